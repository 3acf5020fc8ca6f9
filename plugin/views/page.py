"""The base of every page of the add-on's own that is not a model view: its session, rendering, refusals."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_appbuilder import BaseView

from ..errors import SelfServiceError
from ..layout import render_page


class TandemPage(BaseView):
    """A page of the add-on's own (not a model view): the session, rendering with a status, refusals."""

    @property
    def session(self) -> Any:
        """The add-on's database session."""
        return current_app.appbuilder.session

    def page(self, template: str, status: int = 200, **context: Any) -> Any:
        """Render a page in the intranet's layout with ``status``."""
        return render_page(template, status, **context)

    def refused(self, error: SelfServiceError, back: str) -> Any:
        """A clear page for a refused request, with its HTTP status (404, 400 or 409) and a way back."""
        self.session.rollback()
        return self.page("tandem/me/refused.html", status=error.status, error=error, back=back)
