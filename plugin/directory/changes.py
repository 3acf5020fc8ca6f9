"""What a change to a person tells the workflows, however it is made.

The directory import records these events for a whole file; a person added or edited by hand, in the
admin or through the REST API, records the very same ones, so an onboarding workflow starts for a
newcomer HR types in, and a move, a leave or a departure reaches the workflows that wait for it.
A face calls :func:`stored_state` before the change is flushed and :func:`record_hand_edit` after.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandem.workflows.intake import record_events

from ..events import NewEvent
from ..models import Person

# status change -> the event it produces
STATUS_EVENTS = {
    ("active", "left"): "employee.left",
    ("on_leave", "left"): "employee.left",
    ("active", "on_leave"): "employee.leave_started",
    ("on_leave", "active"): "employee.leave_ended",
}


class Stored(NamedTuple):
    """What the database holds of a person before a hand edit."""

    status: str
    manager_id: int | None


def stored_state(session: Session, person: Person) -> Stored | None:
    """The stored status and manager of ``person``, read without flushing the pending change (None if new)."""
    if person.id is None:
        return None
    with session.no_autoflush:
        row = session.execute(select(Person.status, Person.manager_id).where(Person.id == person.id)).first()
    return Stored(*row) if row is not None else None


def hand_edit_events(before: Stored | None, person: Person, source: str) -> list[NewEvent]:
    """The events that turning ``before`` (None: nothing, a new person) into ``person`` produces."""
    payload = {"employee_id": person.employee_id}
    if before is None:
        return (
            [] if person.status == "left" else [NewEvent("employee.hired", person.id, source=source, payload=payload)]
        )
    events = []
    transition = STATUS_EVENTS.get((before.status, person.status))
    if transition:
        events.append(NewEvent(transition, person.id, source=source, payload=payload))
    manager_id = person.manager.id if person.manager is not None else None
    if manager_id != before.manager_id:
        events.append(
            NewEvent(
                "employee.manager_changed", person.id, source=source, payload={**payload, "manager_id": manager_id}
            )
        )
    return events


def record_hand_edit(session: Session, before: Stored | None, person: Person, source: str) -> int:
    """Record, in the transaction that saves it, what a hand-made add or edit of ``person`` means."""
    session.add(person)
    session.flush()
    return record_events(session, hand_edit_events(before, person, source))
