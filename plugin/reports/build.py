"""Who sees which report, computed once for the page, the CSV export and the REST API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app

from ..roles import MANAGER_ROLE
from ..scoping import current_user, person_for_user, sees_everyone
from ..settings import settings
from .hr import hr_dashboard
from .manager import manager_report
from .present import Table, hr_tables, manager_tables
from .requests import ReportRequestError, hr_filters, manager_args


@dataclass
class Built:
    """A computed report: its tables and what the page needs around them."""

    kind: str
    title: str
    tables: list[Table]
    threshold: int
    extra: dict[str, Any]


def _now() -> datetime:
    return datetime.now(UTC)


def can_see_dashboard(user: Any) -> bool:
    """HR (and FAB's admin) see the programme dashboard."""
    return sees_everyone(user)


def build_manager(args: Mapping[str, Any]) -> Built:
    """The signed-in manager's report over their own subtree (404 for anyone who manages nobody)."""
    user = current_user()
    person = person_for_user(user)
    roles = {role.name for role in getattr(user, "roles", None) or []}
    if person is None or MANAGER_ROLE not in roles:
        raise ReportRequestError("manager", "the manager report is for managers with a directory entry", 403)
    session = current_app.appbuilder.session
    parsed = manager_args(session, person.id, args)
    threshold = settings().min_group_size
    report = manager_report(session, person.id, _now(), threshold, parsed.quiet_weeks, parsed.team_id)
    teams = [row for row in report["teams"] if row.get("team_id") not in (None, report["root_id"])]
    return Built(
        "manager",
        "Participation in your teams",
        manager_tables(report),
        threshold,
        {"teams": teams, "team_id": parsed.team_id, "weeks": parsed.quiet_weeks},
    )


def build_hr(args: Mapping[str, Any]) -> Built:
    """HR's dashboard over every programme, with the filters of the query string."""
    if not can_see_dashboard(current_user()):
        raise ReportRequestError("dashboard", "the programme dashboard is for HR", 403)
    filters = hr_filters(args)
    threshold = settings().min_group_size
    dashboard = hr_dashboard(current_app.appbuilder.session, threshold, filters)
    return Built("hr", "Programme dashboard", hr_tables(dashboard), threshold, {"filters": filters})
