"""Making and ending pairings: the one place a pairing is created or closed outside the engine."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tandem.workflows.clock import Clock
from tandem.workflows.intake import record_event
from tandem.workflows.operations import cancel_instance
from tandem.workflows.store import definition_for

from ..errors import NotAllowed, Refused
from ..events import NewEvent
from ..models import OPEN_PAIRING_STATUSES, CheckIn, Enrolment, Pairing, Person, Programme, WorkflowInstance


def open_pairing(session: Session, programme_id: int, mentee_id: int) -> Pairing | None:
    """The mentee's proposed, accepted or running pairing in the programme, if any."""
    return session.scalars(
        select(Pairing).where(
            Pairing.programme_id == programme_id,
            Pairing.mentee_id == mentee_id,
            Pairing.status.in_(OPEN_PAIRING_STATUSES),
        )
    ).first()


def free_places(session: Session, programme_id: int, mentor_id: int) -> int:
    """How many more mentees the mentor can take in the programme (0 when not an active mentor there)."""
    capacity = session.scalar(
        select(Enrolment.capacity).where(
            Enrolment.programme_id == programme_id,
            Enrolment.person_id == mentor_id,
            Enrolment.role == "mentor",
            Enrolment.status == "active",
        )
    )
    load = session.scalar(
        select(func.count(Pairing.id)).where(
            Pairing.programme_id == programme_id,
            Pairing.mentor_id == mentor_id,
            Pairing.status.in_(OPEN_PAIRING_STATUSES),
        )
    )
    return max(0, (capacity or 0) - (load or 0))


PROPOSED = "pairing.proposed"


def require_introducing_workflow(session: Session, programme: Programme) -> None:
    """Refuse (naming ``workflow``) unless the programme runs a workflow that starts on a published pairing."""
    definition = definition_for(session, programme)
    if definition is None:
        raise Refused(
            f"{programme.name} runs no workflow: choose one (such as mentoring-cohort) on the programme first",
            "workflow",
        )
    if definition.trigger != PROPOSED or not definition.active:
        starts = f"starts on {definition.trigger}" if definition.trigger else "has no trigger"
        raise Refused(
            f"{programme.name} runs {definition.name}, which {starts}, not on a published pairing: "
            "choose a workflow such as mentoring-cohort on the programme first",
            "workflow",
        )


def propose_pairing(
    session: Session,
    programme: Programme,
    mentee_id: int,
    mentor_id: int,
    score: int,
    breakdown: dict[str, Any],
    event_id: str,
    source: str,
) -> Pairing:
    """Create a ``proposed`` pairing and announce it with ``pairing.proposed``; the workflow introduces the pair.

    Refused (409) when the mentee already has an open pairing or the mentor has no free place, and
    (400, naming ``workflow``) when the programme runs no workflow that a published pairing starts.
    """
    require_introducing_workflow(session, programme)
    if open_pairing(session, programme.id, mentee_id) is not None:
        raise NotAllowed(f"{_name(session, mentee_id)} already has a pairing in {programme.name}.", "mentee")
    if free_places(session, programme.id, mentor_id) <= 0:
        raise NotAllowed(f"{_name(session, mentor_id)} has no free place in {programme.name}.", "mentor")
    pairing = Pairing(
        programme_id=programme.id,
        mentor_id=mentor_id,
        mentee_id=mentee_id,
        status="proposed",
        score=float(score),
        score_breakdown=dict(breakdown),
    )
    session.add(pairing)
    session.flush()
    payload = {"pairing_id": pairing.id, "mentor_id": mentor_id, "mentee_id": mentee_id, "score": score}
    record_event(
        session,
        NewEvent(
            type="pairing.proposed",
            person_id=mentee_id,
            programme_id=programme.id,
            payload={**payload, "breakdown": dict(breakdown)},
            source=source,
            event_id=event_id,
        ),
    )
    return pairing


def end_pairing(session: Session, pairing: Pairing, clock: Clock, reason: str, by: str) -> list[int]:
    """Close the pairing with ``reason``, stop its workflow runs and record ``pairing.closed``.

    Both people go back to the pool; matching never proposes this pair again. Returns the runs stopped.
    """
    now = clock.now()
    pairing.transition("close", now, reason)
    stopped = []
    for instance in _runs_of(session, pairing):
        cancel_instance(session, instance.id, clock, by)
        stopped.append(instance.id)
    session.execute(
        update(CheckIn)
        .where(CheckIn.pairing_id == pairing.id, CheckIn.status.in_(("open", "scheduled", "paused")))
        .values(status="cancelled")
    )
    record_event(
        session,
        NewEvent(
            type="pairing.closed",
            person_id=pairing.mentee_id,
            programme_id=pairing.programme_id,
            payload={"pairing_id": pairing.id, "mentor_id": pairing.mentor_id, "reason": reason},
            source="matching",
            event_id=f"pairing-{pairing.id}-closed",
        ),
    )
    session.flush()
    return stopped


def _runs_of(session: Session, pairing: Pairing) -> list[WorkflowInstance]:
    running = session.scalars(
        select(WorkflowInstance).where(
            WorkflowInstance.programme_id == pairing.programme_id,
            WorkflowInstance.subject_id == pairing.mentee_id,
            WorkflowInstance.status.in_(("running", "paused")),
        )
    )
    return [run for run in running if (run.state or {}).get("context", {}).get("pairing_id") == pairing.id]


def _name(session: Session, person_id: int) -> str:
    return session.scalar(select(Person.full_name).where(Person.id == person_id)) or f"person {person_id}"
