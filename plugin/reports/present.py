"""Reports as tables: the one shape the page, the REST API and the CSV export all print.

Each table has a title, column headings and rows of printed values, where a
suppressed value already reads "fewer than N" (see :mod:`.privacy`); a table's
``chart`` names the column the page draws as bars, so the chart and its
accessible table show the very same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..safecsv import csv_text
from .privacy import shown


@dataclass
class Table:
    """One section of a report, ready to print."""

    key: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]]
    chart: list[str] = field(default_factory=list)

    def printed(self) -> list[list[Any]]:
        """The rows as printed values, in column order."""
        return [[shown(row.get(key)) for key, _ in self.columns] for row in self.rows]

    def as_json(self) -> dict[str, Any]:
        """The table for the REST API."""
        keys = [key for key, _ in self.columns]
        return {
            "title": self.title,
            "columns": keys,
            "headings": [heading for _, heading in self.columns],
            "rows": [dict(zip(keys, values, strict=True)) for values in self.printed()],
        }


TEAM_COLUMNS = [
    ("label", "Team of"),
    ("people", "People"),
    ("enrolled", "Enrolled"),
    ("participating", "Took part in a check-in"),
    ("enrolment_rate", "Enrolment rate"),
    ("participation_rate", "Participation rate"),
]


def manager_tables(report: dict[str, Any]) -> list[Table]:
    """The manager report's sections."""
    return [
        Table(
            "teams",
            "Enrolment and participation per team",
            TEAM_COLUMNS,
            [*report["teams"], report["total"]],
            chart=["enrolled", "participating"],
        ),
        Table(
            "checkins",
            "Check-ins by month",
            [("label", "Month"), ("due", "Due"), ("completed", "Completed"), ("missed", "Missed")],
            report["checkins_by_month"],
            chart=["due", "completed", "missed"],
        ),
        Table(
            "rating",
            "Average check-in rating",
            [("label", "Measure"), ("ratings", "Ratings given"), ("average", "Average (1–5)")],
            [report["rating"]],
        ),
        Table(
            "quiet",
            "Quiet pairs",
            [("label", "Measure"), ("pairs", "Live pairs"), ("quiet", "Quiet pairs")],
            [report["quiet_pairs"]],
            chart=["pairs", "quiet"],
        ),
        Table(
            "campaigns",
            "Campaign reach",
            [
                ("label", "Campaign"),
                ("people", "Reached"),
                ("acknowledged", "Acknowledged"),
                ("acknowledgement_rate", "Acknowledgement rate"),
            ],
            report["campaigns"],
            chart=["people", "acknowledged"],
        ),
    ]


def hr_tables(dashboard: dict[str, Any]) -> list[Table]:
    """HR's dashboard sections."""
    return [
        Table(
            "funnel",
            "Participation funnel per programme",
            [
                ("label", "Programme"),
                ("enrolled", "Enrolled"),
                ("matched", "Matched"),
                ("first_checkin", "First check-in"),
                ("three_checkins", "Three or more check-ins"),
                ("completed", "Completed"),
            ],
            dashboard["funnel"],
            chart=["enrolled", "matched", "first_checkin", "three_checkins", "completed"],
        ),
        Table(
            "matching",
            "Matching health",
            [
                ("label", "Programme"),
                ("unmatched", "Unmatched mentees"),
                ("mentors", "Mentors"),
                ("mentored", "Mentees with a mentor"),
                ("mentor_load", "Mentees per mentor"),
                ("over_capacity", "Mentors over capacity"),
                ("idle_mentors", "Mentors without a mentee"),
            ],
            dashboard["matching"],
            chart=["unmatched", "mentored"],
        ),
        Table(
            "incidents",
            "Open incidents",
            [("label", "Programme"), ("open", "Open incidents")],
            dashboard["incidents"],
            chart=["open"],
        ),
        Table(
            "delivery",
            "Notification delivery",
            [("label", "Status"), ("notifications", "Notifications")],
            dashboard["delivery"],
            chart=["notifications"],
        ),
    ]


def to_csv(tables: list[Table]) -> str:
    """Every table of a report in one CSV: a ``section`` column, then each table's columns, formulas neutralised."""
    rows: list[list[Any]] = []
    for table in tables:
        rows.append(["section", *(heading for _, heading in table.columns)])
        rows.extend([table.title, *values] for values in table.printed())
        rows.append([])
    return csv_text(rows)
