"""Recording events: the one way anything enters the append-only event log.

An event id that was seen before is ignored, so an HRIS, a retrying client or
a re-run import can send the same event twice without effect. Each new event
gets a dispatch timer in the same transaction, so the engine dispatches it
durably, with retries.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Select, String, cast, insert, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tandem.plugin.events import NewEvent
from tandem.plugin.models import Event, Timer
from tandem.plugin.models.base import utcnow


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
