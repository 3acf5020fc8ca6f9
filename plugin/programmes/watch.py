"""Watching a programme run, and what needs HR today: funnel, quiet pairs, incidents, requests, upcoming sends.

Reuses the report queries (the funnel from :mod:`tandem.plugin.reports.hr`, kept by the
rollups, with the same small-group rule) and the quiet-pair rule of
:mod:`tandem.plugin.matchmaking.rematch`, so every page counts alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandem.workflows.clock import as_utc

from ..matchmaking.rematch import RematchRules, last_answers
from ..models import (
    OPEN_PAIRING_STATUSES,
    Enrolment,
    Incident,
    MatchRequest,
    Notification,
    Pairing,
    Programme,
    Timer,
    WorkflowInstance,
)
from ..reports.hr import Filters, funnel, per_programme
from ..reports.privacy import suppress_groups

FUNNEL_WORDS = {
    "enrolled": "Enrolled",
    "matched": "Matched",
    "first_checkin": "First check-in",
    "three_checkins": "Three or more check-ins",
    "completed": "Completed",
}
SOON = timedelta(days=7)
ENDING_SOON = timedelta(days=14)


def timer_words(key: str) -> str:
    """A timer's key as what it sends: ``v2.remind.3`` → ``check-in reminder``."""
    for part, text in (("prompt", "check-in prompt"), ("remind", "check-in reminder"), ("escalate", "escalation")):
        if f".{part}" in key or key.startswith(part):
            return text
    if ".checkin." in key:
        return "check-in"
    return "workflow step"


@dataclass
class QuietPair:
    """A running pair without a completed check-in for the programme's quiet period."""

    pairing: Pairing
    since: datetime
    warned: bool


def quiet_pairs(session: Session, now: datetime, programme_id: int | None = None) -> list[QuietPair]:
    """Running pairs (of ``programme_id``, or all) quiet for their programme's ``quiet_weeks``, quietest first."""
    query = select(Pairing).where(Pairing.status == "active")
    if programme_id is not None:
        query = query.where(Pairing.programme_id == programme_id)
    answered = last_answers(session)
    found = []
    for pairing in session.scalars(query):
        moments = [answered.get(pairing.id), pairing.started_at, pairing.proposed_at]
        last = max(as_utc(m) for m in moments if m is not None)
        if pairing.warned_at is not None or last < now - timedelta(
            weeks=RematchRules.of(pairing.programme).quiet_weeks
        ):
            found.append(QuietPair(pairing, last, pairing.warned_at is not None))
    return sorted(found, key=lambda quiet: quiet.since)


def open_incidents(session: Session, programme_id: int | None = None) -> int:
    """Open incidents (of the programme's runs, or all)."""
    query = select(func.count(Incident.id)).where(Incident.status == "open")
    if programme_id is not None:
        query = query.join(WorkflowInstance, WorkflowInstance.id == Incident.instance_id).where(
            WorkflowInstance.programme_id == programme_id
        )
    return session.scalar(query) or 0


@dataclass
class Upcoming:
    """What goes out in the coming week: per day, how many of each kind."""

    days: list[tuple[datetime, Counter[str]]] = field(default_factory=list)
    queued: int = 0

    @property
    def total(self) -> int:
        """Everything due in the week, queued messages included."""
        return self.queued + sum(sum(kinds.values()) for _, kinds in self.days)


def upcoming(session: Session, now: datetime, programme_id: int | None = None) -> Upcoming:
    """Timers due in the next 7 days grouped by day and kind, and messages waiting in the outbox."""
    query = select(Timer.key, Timer.due_at).where(Timer.status == "pending", Timer.due_at <= now + SOON)
    query = query.where(Timer.instance_id.is_not(None))
    if programme_id is not None:
        query = query.join(WorkflowInstance, WorkflowInstance.id == Timer.instance_id).where(
            WorkflowInstance.programme_id == programme_id
        )
    by_day: dict[Any, Counter[str]] = {}
    for key, due in session.execute(query.order_by(Timer.due_at)).all():
        moment = as_utc(due)
        by_day.setdefault(moment.date(), Counter())[timer_words(key)] += 1
    queued = select(func.count(Notification.id)).where(Notification.status == "queued")
    if programme_id is not None:
        queued = queued.where(
            Notification.recipient_id.in_(select(Enrolment.person_id).where(Enrolment.programme_id == programme_id))
        )
    return Upcoming(sorted(by_day.items()), session.scalar(queued) or 0)


def programme_funnel(session: Session, programme: Programme, threshold: int) -> list[dict[str, Any]]:
    """The programme's funnel (enrolled → matched → first check-in → three → completed), small groups hidden."""
    rows = [row for row in per_programme(session, Filters()) if row["programme_id"] == programme.id]
    return suppress_groups(funnel(rows), "enrolled", threshold, keep=("label", "programme_id"))


def waiting_requests(session: Session, programme_id: int | None = None) -> int:
    """Mentees' requests to a mentor not answered yet."""
    query = select(func.count(MatchRequest.id)).where(MatchRequest.status == "pending")
    if programme_id is not None:
        query = query.where(MatchRequest.programme_id == programme_id)
    return session.scalar(query) or 0


def unmatched(session: Session, programme_id: int | None = None) -> list[tuple[Programme, int]]:
    """Per running or draft programme that pairs people: mentees waiting without a pair (programmes with any)."""
    # NOT EXISTS, not NOT IN: PostgreSQL runs it as one anti-join instead of a scan of pairings per enrolment
    # (3.6 s at 10,000 people, bench/pages.py)
    paired = select(Pairing.id).where(
        Pairing.programme_id == Enrolment.programme_id,
        Pairing.mentee_id == Enrolment.person_id,
        Pairing.status.in_(OPEN_PAIRING_STATUSES),
    )
    query = (
        select(Programme, func.count(Enrolment.id))
        .join(Enrolment, Enrolment.programme_id == Programme.id)
        .where(
            Programme.status != "closed",
            Programme.kind.in_(("mentoring", "onboarding")),
            Enrolment.role == "mentee",
            Enrolment.status == "active",
            ~paired.correlate(Enrolment).exists(),
        )
        .group_by(Programme.id)
        .order_by(Programme.name)
    )
    if programme_id is not None:
        query = query.where(Programme.id == programme_id)
    return [(programme, count) for programme, count in session.execute(query).all()]


def ending_soon(session: Session, today: Any) -> list[Programme]:
    """Running programmes whose end date is within two weeks (or past)."""
    return list(
        session.scalars(
            select(Programme)
            .where(Programme.status == "active", Programme.ends_on.is_not(None))
            .where(Programme.ends_on <= today + ENDING_SOON)
            .order_by(Programme.ends_on, Programme.name)
        )
    )
