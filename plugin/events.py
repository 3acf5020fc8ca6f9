"""Recording events: the one way anything enters the append-only event log.

An event id that was seen before is ignored, so an HRIS, a retrying client or
a re-run import can send the same event twice without effect.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, String, cast, insert, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import EVENT_TYPES, Event, Timer
from .models.base import utcnow


class UnknownEventType(ValueError):
    """Raised for an event type Tandem does not know."""


@dataclass(frozen=True)
class NewEvent:
    """An event about to be recorded."""

    type: str
    person_id: int | None = None
    programme_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    source: str = "api"
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        if self.type not in EVENT_TYPES:
            raise UnknownEventType(f"unknown event type {self.type!r}")

    def row(self, recorded_at: datetime) -> dict[str, Any]:
        """The column values of this event's row."""
        return {
            "event_id": self.event_id,
            "type": self.type,
            "person_id": self.person_id,
            "programme_id": self.programme_id,
            "payload": self.payload,
            "source": self.source,
            "occurred_at": self.occurred_at,
            "recorded_at": recorded_at,
        }


def record_events(session: Session, events: list[NewEvent], chunk: int = 500) -> int:
    """Add ``events`` to the log in the caller's transaction, skipping known event ids.

    Returns how many were new. Meant for bulk producers (the directory import)
    whose ids are fresh; concurrent writers of the same id use :func:`record_event`.
    """
    now = utcnow()
    fresh: dict[str, NewEvent] = {}
    for start in range(0, len(events), chunk):
        batch = {event.event_id: event for event in events[start : start + chunk]}
        known = session.scalars(select(Event.event_id).where(Event.event_id.in_(batch)))
        for event_id in set(batch) - set(known):
            fresh.setdefault(event_id, batch[event_id])
    rows = [event.row(now) for event in fresh.values()]
    for start in range(0, len(rows), chunk):
        batch = rows[start : start + chunk]
        session.execute(insert(Event), batch)
        _schedule_dispatch(session, select(Event).where(Event.event_id.in_([row["event_id"] for row in batch])))
    return len(rows)


# Dispatch timers are due at once, whatever clock the scheduler keeps: a fixed moment before every other
# timer, not the wall-clock time of recording (a scheduler on a virtual clock behind the wall clock, as in
# simulations and tests, would otherwise never find a fresh event due). Retries set real due times.
DUE_AT_ONCE = datetime(1970, 1, 1, tzinfo=UTC)


def _schedule_dispatch(session: Session, events: Select) -> None:
    """A timer due at once for each event, so the engine dispatches it (durably, with retries)."""
    source = events.subquery()
    session.execute(
        insert(Timer).from_select(
            ["dedupe_key", "event_id", "key", "due_at", "status", "attempts", "claimed_by", "last_error"],
            select(
                literal("event:") + cast(source.c.id, String),
                source.c.id,
                literal("dispatch"),
                literal(DUE_AT_ONCE),
                literal("pending"),
                literal(0),
                literal(""),
                literal(""),
            ),
        )
    )


def record_event(session: Session, event: NewEvent) -> tuple[Event, bool]:
    """Record one event; returns the stored event and whether it was new.

    Safe against a concurrent writer of the same event id: the unique
    constraint decides, inside a savepoint, and the loser gets the winner's row.
    """
    existing = session.scalars(select(Event).where(Event.event_id == event.event_id)).first()
    if existing is not None:
        return existing, False
    now = utcnow()
    stored = Event(**event.row(now))
    try:
        with session.begin_nested():
            session.add(stored)
            session.flush()
            _schedule_dispatch(session, select(Event).where(Event.id == stored.id))
    except IntegrityError:
        winner = session.scalars(select(Event).where(Event.event_id == event.event_id)).one()
        return winner, False
    return stored, True
