"""The intranet's landing page."""

from __future__ import annotations

from flask import redirect, url_for
from flask_appbuilder import IndexView, expose

from .scoping import current_user, person_for_user


class HomeView(IndexView):
    """Greets the signed-in person and points them at what they can do; HR lands on their "Today" page."""

    index_template = "tandem/index.html"

    @expose("/")
    def index(self):
        """The landing page."""
        user = current_user()
        if getattr(user, "is_authenticated", False) and self.appbuilder.sm.has_access("can_write", "TandemProgramme"):
            return redirect(url_for("TodayView.index"))  # the people who run programmes land on what needs them
        person = person_for_user(user) if user is not None else None
        return self.render_template(self.index_template, appbuilder=self.appbuilder, person=person)
