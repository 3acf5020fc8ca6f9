"""``/mentoring/today/``: HR's home page — what needs them today, each item linking to where it is fixed.

Permission: ``can_write`` on ``TandemProgramme`` (the people who run programmes);
the intranet's landing page sends such users here.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_appbuilder import expose, has_access
from sqlalchemy import select

from tandem.workflows.clock import SystemClock

from ..models import Programme
from ..programmes.today import today
from ..roles import resource_permissions
from .page import TandemPage

RESOURCE = "TandemProgramme"


class TodayView(TandemPage):
    """What needs HR today."""

    route_base = "/mentoring/today"
    default_view = "index"
    class_permission_name = RESOURCE
    base_permissions = resource_permissions(RESOURCE)
    method_permission_name = {"index": "write"}

    @expose("/")
    @has_access
    def index(self) -> Any:
        """The list of what needs HR, and the running programmes."""
        items = [(item, url_for(item.endpoint, **dict(item.args))) for item in today(self.session, SystemClock().now())]
        running = self.session.scalars(
            select(Programme).where(Programme.status != "closed").order_by(Programme.status, Programme.name)
        ).all()
        return self.page("tandem/today.html", items=items, running=running)
