"""What a ``match`` step takes up instead of matching again: a pairing HR or a mentor already agreed, a circle.

A run started by ``pairing.proposed`` introduces *that* pair; a member of a
published peer circle joins *that* circle. Both come from the database, so a
step run twice finds the same answer.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandem.plugin.models import Circle, CircleMember, MatchRun, Pairing, Person, Programme, WorkflowInstance

from ..state import Participant


def announced_pairing(session: Session, instance: WorkflowInstance) -> Pairing | None:
    """The pairing named by the event that started ``instance``, if the subject is its mentee."""
    event = instance.trigger_event
    pairing_id = (event.payload or {}).get("pairing_id") if event is not None else None
    pairing = session.get(Pairing, pairing_id) if pairing_id else None
    return pairing if pairing is not None and pairing.mentee_id == instance.subject_id else None


def published_circle(session: Session, person: Person, programme: Programme | None) -> Circle | None:
    """The person's circle in the programme's latest published run, if any."""
    if programme is None:
        return None
    return session.scalars(
        select(Circle)
        .join(MatchRun, MatchRun.id == Circle.run_id)
        .join(CircleMember, CircleMember.circle_id == Circle.id)
        .where(Circle.programme_id == programme.id, MatchRun.status == "published", CircleMember.person_id == person.id)
        .order_by(Circle.id.desc())
    ).first()


def circle_as_partner(circle: Circle, person: Person) -> Participant:
    """The circle as the one "partner" a workflow knows: named after the other members (no person id)."""
    others = [m.person.full_name for m in circle.members if m.person_id != person.id]
    named = ", ".join(others[:-1]) + f" and {others[-1]}" if len(others) > 1 else "".join(others)
    return Participant(-circle.id, named or circle.name, person.timezone or "UTC", person.country or "")
