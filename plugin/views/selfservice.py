"""What every staff self-service page shares: the ``TandemSelfService`` permission, the signed-in person, errors.

Each page module (my mentoring, my check-ins, my timeline, my campaign, inbox)
is a FAB ``BaseView`` whose methods are thin: they read the form, call
:mod:`tandem.plugin.selfservice`, commit, and render or redirect. Every query
is scoped to the signed-in person, so another person's record is "not found".
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template
from flask_appbuilder import BaseView

from tandem.workflows.clock import SystemClock

from ..errors import SelfServiceError
from ..models import Person
from ..scoping import current_user, person_for_user

RESOURCE = "TandemSelfService"
READ, WRITE = "read", "write"
CATEGORY = "Me"


class TandemPage(BaseView):
    """A page of the add-on's own (not a model view): the session, rendering with a status, refusals."""

    @property
    def session(self) -> Any:
        """The add-on's database session."""
        return current_app.appbuilder.session

    def page(self, template: str, status: int = 200, **context: Any) -> Any:
        """Render a page in the intranet's layout with ``status``."""
        body = render_template(
            template, appbuilder=self.appbuilder, base_template=self.appbuilder.base_template, **context
        )
        return current_app.response_class(body, status=status)

    def refused(self, error: SelfServiceError, back: str) -> Any:
        """A clear page for a refused request, with its HTTP status (404, 400 or 409) and a way back."""
        self.session.rollback()
        return self.page("tandem/me/refused.html", status=error.status, error=error, back=back)


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
