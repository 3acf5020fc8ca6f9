"""What needs HR today, each item with where it is fixed: the landing page of TandemHR users.

Open incidents, mentees waiting for a pair, quiet pairs, requests waiting for a
mentor's answer, what goes out this week, programmes about to end. Counts come
from the same queries as the programme page (:mod:`.watch`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..formatting import day
from . import watch


@dataclass(frozen=True)
class Item:
    """One thing needing HR: a sentence, how urgent, and where it is fixed (an endpoint and its arguments)."""

    key: str
    text: str
    endpoint: str
    args: tuple[tuple[str, object], ...] = ()
    urgent: bool = False


def today(session: Session, now: datetime) -> list[Item]:
    """Everything needing HR now, most urgent first; an empty list when all is well."""
    items: list[Item] = []
    incidents = watch.open_incidents(session)
    if incidents:
        items.append(
            Item(
                "incidents",
                f"{incidents} open incident{'s' if incidents != 1 else ''}: workflow steps or messages that failed",
                "IncidentView.list",
                urgent=True,
            )
        )
    for programme, waiting in watch.unmatched(session):
        items.append(
            Item(
                f"unmatched-{programme.slug}",
                f"{waiting} {'person waits' if waiting == 1 else 'people wait'} for a pair in {programme.name}",
                "ProgrammeJourneyView.show",
                (("pk", programme.id), ("_anchor", "match")),
            )
        )
    quiet = watch.quiet_pairs(session, now)
    if quiet:
        items.append(
            Item(
                "quiet",
                f"{len(quiet)} quiet pair{'s' if len(quiet) != 1 else ''}: no check-in answered for weeks",
                "PairingView.list",
            )
        )
    requests = watch.waiting_requests(session)
    if requests:
        items.append(
            Item(
                "requests",
                f"{requests} request{'s' if requests != 1 else ''} to a mentor waiting for an answer",
                "PairingView.list",
            )
        )
    sends = watch.upcoming(session, now)
    if sends.total:
        items.append(
            Item(
                "sends",
                f"{sends.total} message{'s' if sends.total != 1 else ''} and prompts due this week",
                "NotificationView.list",
            )
        )
    for programme in watch.ending_soon(session, now.date()):
        items.append(
            Item(
                f"ending-{programme.slug}",
                f"{programme.name} ends on {day(programme.ends_on)}: wrap it up and close it",
                "ProgrammeJourneyView.show",
                (("pk", programme.id), ("_anchor", "close")),
            )
        )
    return items
