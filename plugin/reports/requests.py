"""Reading a report request (query string) into report parameters, with errors that name the field.

Shared by the pages, the CSV export and the REST API, so a bad ``since`` or a
team outside the viewer's subtree is refused the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..scoping import reporting_subtree
from .hr import Filters

MAX_QUIET_WEEKS = 104


class ReportRequestError(ValueError):
    """A report parameter that cannot be used; ``field`` names it, ``status`` is the HTTP status."""

    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.status = status


def _date(args: Mapping[str, Any], name: str) -> datetime | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise ReportRequestError(name, "expected a date like 2026-01-31") from None


def hr_filters(args: Mapping[str, Any]) -> Filters:
    """HR's filters from the query string: department, location, since, until (dates, until exclusive)."""
    since, until = _date(args, "since"), _date(args, "until")
    if since and until and until <= since:
        raise ReportRequestError("until", "must be after since")
    return Filters(
        department=(args.get("department") or "").strip(),
        location=(args.get("location") or "").strip(),
        since=since,
        until=until,
    )


@dataclass(frozen=True)
class ManagerArgs:
    """The drill-down team (a manager inside the viewer's subtree) and the quiet-pair horizon."""

    team_id: int | None
    quiet_weeks: int


def manager_args(session: Session, viewer_id: int, args: Mapping[str, Any]) -> ManagerArgs:
    """The manager report's parameters; a team outside the viewer's subtree is "not found" (404)."""
    raw_weeks = (args.get("weeks") or "4").strip()
    if not raw_weeks.isdigit() or not 1 <= int(raw_weeks) <= MAX_QUIET_WEEKS:
        raise ReportRequestError("weeks", f"expected a whole number of weeks from 1 to {MAX_QUIET_WEEKS}")
    team_id = None
    raw_team = (args.get("team") or "").strip()
    if raw_team:
        if not raw_team.isdigit():
            raise ReportRequestError("team", "expected the id of a manager in your reporting line")
        subtree = reporting_subtree(viewer_id).subquery()
        inside = session.scalar(select(subtree.c.id).where(subtree.c.id == int(raw_team)))
        if inside is None:
            raise ReportRequestError("team", "no such team in your reporting line", status=404)
        team_id = int(raw_team)
    return ManagerArgs(team_id=team_id, quiet_weeks=int(raw_weeks))
