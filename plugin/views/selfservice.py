"""What every staff self-service page shares: the ``TandemSelfService`` permission, the signed-in person, errors.

Each page module (my mentoring, my check-ins, my timeline, my campaign, inbox)
is a FAB ``BaseView`` whose methods are thin: they read the form, call
:mod:`tandem.plugin.selfservice`, commit, and render or redirect. Every query
is scoped to the signed-in person, so another person's record is "not found".
"""

from __future__ import annotations

from flask import abort

from tandem.workflows.clock import SystemClock

from ..models import Person
from ..scoping import current_user, person_for_user
from .page import TandemPage

RESOURCE = "TandemSelfService"
READ, WRITE = "read", "write"
CATEGORY = "Me"


class SelfServiceView(TandemPage):
    """A staff page: permission ``can_read``/``can_write`` on ``TandemSelfService``, about the signed-in person."""

    class_permission_name = RESOURCE
    base_permissions = ["can_read", "can_write"]
    method_permission_name: dict[str, str] = {}

    def me(self) -> Person:
        """The signed-in person's directory entry; a page explaining it is missing otherwise (403)."""
        person = person_for_user(current_user())
        if person is None:
            abort(self.page("tandem/me/no_person.html", status=403))
        return person

    def clock(self) -> SystemClock:
        """The time source (injected in one place)."""
        return SystemClock()
