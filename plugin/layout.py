"""A page in the intranet's layout: the one way Tandem renders a template of its own with a status.

Views (through :class:`tandem.plugin.views.page.TandemPage`), the error pages, the sign-in throttle and
the paging refusals all render here, so each gets the host's base template and app builder the same way.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, render_template


def render_page(template: str, status: int = 200, **context: Any) -> Response:
    """``template`` rendered in the intranet's layout, answered with ``status``."""
    appbuilder = current_app.appbuilder  # type: ignore[attr-defined]
    body = render_template(template, appbuilder=appbuilder, base_template=appbuilder.base_template, **context)
    return current_app.response_class(body, status=status)
