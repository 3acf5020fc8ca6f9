"""Opting out of a programme, and back in.

Opting out is the enrolment transition ``active → opted_out``. It stops new
prompts at once and cleanly: the person's running workflow runs of that
programme are cancelled (their pending timers with them, their pairings
closed), their open check-ins there are cancelled, and each run's history says
why. Opting back in (``opted_out → active``) makes the person eligible again
for matching and for runs that start from then on; a cancelled run is not
resumed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tandem.workflows.clock import Clock
from tandem.workflows.operations import cancel_instance

from ..errors import NotFound
from ..models import CheckIn, Enrolment, InstanceHistory, InstanceParticipant, Person, WorkflowInstance
from .transitions import ENROLMENT, apply


def own_enrolment(session: Session, enrolment_id: int, person_id: int) -> Enrolment:
    """The enrolment if it is ``person_id``'s own; :class:`NotFound` otherwise."""
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.person_id != person_id:
        raise NotFound("There is no such enrolment among yours.")
    return enrolment


def opt_out(session: Session, enrolment: Enrolment, clock: Clock) -> list[int]:
    """Leave the programme: no new prompts from it. Returns the ids of the workflow runs stopped."""
    apply(enrolment, ENROLMENT, "opt_out")
    person = session.get(Person, enrolment.person_id)
    stopped = []
    for instance in _running_runs(session, enrolment):
        cancel_instance(session, instance.id, clock, f"{person.full_name} (opted out)")
        _note(session, instance, clock.now(), f"opted out: {person.full_name}")
        stopped.append(instance.id)
    if stopped:
        session.execute(
            update(CheckIn)
            .where(CheckIn.instance_id.in_(stopped), CheckIn.status.in_(("open", "scheduled", "paused")))
            .values(status="cancelled")
        )
    session.flush()
    return stopped


def opt_in(session: Session, enrolment: Enrolment) -> Enrolment:
    """Take part again: eligible for matching and for new runs."""
    apply(enrolment, ENROLMENT, "opt_in")
    session.flush()
    return enrolment


def _running_runs(session: Session, enrolment: Enrolment) -> list[WorkflowInstance]:
    involved = select(InstanceParticipant.instance_id).where(InstanceParticipant.person_id == enrolment.person_id)
    return list(
        session.scalars(
            select(WorkflowInstance)
            .where(
                WorkflowInstance.programme_id == enrolment.programme_id,
                WorkflowInstance.status.in_(("running", "paused")),
                (WorkflowInstance.id.in_(involved)) | (WorkflowInstance.subject_id == enrolment.person_id),
            )
            .order_by(WorkflowInstance.id)
        )
    )


def _note(session: Session, instance: WorkflowInstance, at: datetime, signal: str) -> None:
    session.add(
        InstanceHistory(
            instance_id=instance.id, at=at, signal=signal[:200], status="cancelled", step=instance.step, effects=[]
        )
    )
