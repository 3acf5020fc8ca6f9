"""Participation reports in the intranet: HR's programme dashboard and a manager's own teams, with CSV export.

Permission: ``can_read`` on ``TandemReport`` (HR and managers). The numbers come
from :mod:`tandem.plugin.reports`, which also applies the privacy threshold,
so this page, ``/api/v1/reports/`` and the CSV export print the same values.
"""

from __future__ import annotations

from typing import Any

from flask import Response, redirect, request, url_for
from flask_appbuilder import expose, has_access

from ..reports.build import Built, build_hr, build_manager, can_see_dashboard
from ..reports.present import to_csv
from ..reports.requests import ReportRequestError
from ..scoping import current_user
from .page import TandemPage

RESOURCE = "TandemReport"


class ReportView(TandemPage):
    """``/mentoring/reports``: the dashboard for HR, the team report for managers."""

    route_base = "/mentoring/reports"
    default_view = "index"
    class_permission_name = RESOURCE
    base_permissions = ["can_read"]
    method_permission_name = {name: "read" for name in ("index", "manager", "hr", "manager_csv", "hr_csv")}

    @expose("/")
    @has_access
    def index(self) -> Any:
        """HR lands on the dashboard, a manager on their teams."""
        target = "ReportView.hr" if can_see_dashboard(current_user()) else "ReportView.manager"
        return redirect(url_for(target))

    @expose("/manager")
    @has_access
    def manager(self) -> Any:
        """The signed-in manager's report, with drill-down to one team (``?team=``)."""
        return self._page(build_manager)

    @expose("/programmes")
    @has_access
    def hr(self) -> Any:
        """HR's dashboard per programme, filtered by department, location and enrolment dates."""
        return self._page(build_hr)

    @expose("/manager.csv")
    @has_access
    def manager_csv(self) -> Any:
        """The manager report as CSV, same thresholds as the page."""
        return self._csv(build_manager, "team-participation.csv")

    @expose("/programmes.csv")
    @has_access
    def hr_csv(self) -> Any:
        """HR's dashboard as CSV, same thresholds as the page."""
        return self._csv(build_hr, "programme-dashboard.csv")

    def _refused(self, error: ReportRequestError) -> Response:
        return self.page("tandem/report_refused.html", error.status, error=error)

    def _page(self, build: Any) -> Any:
        try:
            built: Built = build(request.args)
        except ReportRequestError as error:
            return self._refused(error)
        return self.page("tandem/reports.html", built=built)

    def _csv(self, build: Any, filename: str) -> Any:
        try:
            built: Built = build(request.args)
        except ReportRequestError as error:
            return self._refused(error)
        return Response(
            to_csv(built.tables),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
