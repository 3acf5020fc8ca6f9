"""A programme's life in one place: set it up, choose how it matches, invite an audience, launch, watch, close.

The service layer behind HR's programme page (:mod:`tandem.plugin.views.programme_journey`)
and HR's home page (:mod:`tandem.plugin.views.today`). Every function takes a session and
works in the caller's transaction; a refused request raises a
:class:`~tandem.plugin.errors.SelfServiceError` naming the form field at fault,
so the view answers 4xx and rolls back.
"""
