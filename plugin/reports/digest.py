"""The numbers of a manager's fortnightly digest e-mail, from the manager report itself.

Same queries and the same privacy threshold as the page (a small group reads
"fewer than 5"); team labels are the names of the *managers* of each team,
never a mentee's name, and nothing from a check-in note.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from .manager import manager_report
from .privacy import shown

TEMPLATE = "manager/digest"


def digest_numbers(session: Session, manager_id: int, now: datetime, threshold: int) -> dict[str, Any]:
    """Printed numbers for the digest template: totals, teams, the last months, rating, quiet pairs."""
    report = manager_report(session, manager_id, now, threshold)

    def printed(row: dict[str, Any]) -> dict[str, Any]:
        return {key: shown(value) for key, value in row.items() if key != "team_id"}

    return {
        "threshold": threshold,
        "total": printed(report["total"]),
        "teams": [printed(row) for row in report["teams"]],
        "months": [printed(row) for row in report["checkins_by_month"][-3:]],
        "rating": printed(report["rating"]),
        "quiet_pairs": printed(report["quiet_pairs"]),
        "campaigns": [printed(row) for row in report["campaigns"]],
    }
