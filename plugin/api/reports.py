"""``/api/v1/reports/``: the report numbers as JSON, same permission and thresholds as the pages."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_appbuilder.api import BaseApi, expose, protect

from ..reports.build import Built, build_hr, build_manager, can_see_dashboard
from ..reports.requests import ReportRequestError
from ..scoping import current_user


class ReportApi(BaseApi):
    """``GET /api/v1/reports/manager`` and ``GET /api/v1/reports/programmes``."""

    resource_name = "reports"
    class_permission_name = "TandemReport"
    base_permissions = ["can_read"]
    method_permission_name = {"index": "read", "manager": "read", "programmes": "read"}

    @expose("/", methods=["GET"])
    @protect()
    def index(self) -> Any:
        """The reports the caller may read."""
        reports = ["manager"]
        if can_see_dashboard(current_user()):
            reports.append("programmes")
        return self.response(200, reports=[f"/api/v1/reports/{name}" for name in reports])

    @expose("/manager", methods=["GET"])
    @protect()
    def manager(self) -> Any:
        """The signed-in manager's report (``?team=``, ``?weeks=``)."""
        return self._answer(build_manager)

    @expose("/programmes", methods=["GET"])
    @protect()
    def programmes(self) -> Any:
        """HR's dashboard (``?department=``, ``?location=``, ``?since=``, ``?until=``)."""
        return self._answer(build_hr)

    def _answer(self, build: Any) -> Any:
        try:
            built: Built = build(request.args)
        except ReportRequestError as error:
            return self.response(error.status, message={error.field: [error.message]})
        return self.response(
            200,
            title=built.title,
            threshold=built.threshold,
            tables={table.key: table.as_json() for table in built.tables},
        )
