"""The database's side of each effect: how the runtime carries it out, in the transaction of the signal that caused it.

Registered with :func:`tandem.workflows.effects.handles`, beside the
simulator's side each step kind registers, so one mapping from effect type to
handler serves both. Every row is keyed (``wf:<instance>:<effect key>``), so
applying the same effect twice writes nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from tandem.plugin.events import NewEvent
from tandem.plugin.models import (
    OPEN_PAIRING_STATUSES,
    CheckIn,
    Enrolment,
    Notification,
    Pairing,
    Timer,
    WorkflowInstance,
)

from .effects import (
    ClosePairings,
    MarkCheckInMissed,
    OpenCheckIn,
    RequestMatch,
    ScheduleTimer,
    SendNotification,
    handles,
)
from .intake import record_event
from .state import InstanceState

if TYPE_CHECKING:
    from .machine import Signal
    from .runtime import WorkflowRunner


def idempotency_key(instance: WorkflowInstance, effect_key: str) -> str:
    """The database key of one effect of one instance."""
    return key_of(instance.id, effect_key)


def key_of(instance_id: int, effect_key: str) -> str:
    """The database key of one effect of the instance ``instance_id``."""
    return f"wf:{instance_id}:{effect_key}"


# ---- the rows each keyed effect writes: built here for the runtime and for the batch path alike ----------------


def timer_row(instance_id: int, effect: ScheduleTimer) -> dict[str, Any]:
    """The timer row of a :class:`ScheduleTimer`."""
    return {
        "instance_id": instance_id,
        "key": effect.key,
        "due_at": effect.due_at,
        "dedupe_key": key_of(instance_id, effect.key),
    }


def notification_rows(instance_id: int, effect: SendNotification, recipients: list[int]) -> list[dict[str, Any]]:
    """One outbox row per recipient of a :class:`SendNotification`."""
    key = key_of(instance_id, effect.key)
    return [
        {
            "recipient_id": person_id,
            "channel": "email",
            "template": effect.template,
            "context": effect.context,
            "deliver_after": effect.not_before,
            "idempotency_key": f"{key}:{person_id}",
        }
        for person_id in recipients
    ]


def checkin_rows(
    instance_id: int, state: InstanceState, effect: OpenCheckIn, enrolment_of: Callable[[int], int | None]
) -> list[dict[str, Any]]:
    """One open check-in row per respondent of an :class:`OpenCheckIn`: of the run's pairing, or else of the
    respondent's enrolment (``enrolment_of(person_id)``)."""
    key = key_of(instance_id, effect.key)
    pairing_id = state.context.get("pairing_id")
    return [
        {
            "pairing_id": pairing_id,
            "enrolment_id": None if pairing_id else enrolment_of(person_id),
            "respondent_id": person_id,
            "sequence": effect.sequence,
            "due_at": effect.due_at,
            "status": "open",
            "instance_id": instance_id,
            "prompts": list(effect.prompts),
            "idempotency_key": f"{key}:{person_id}",
        }
        for person_id in effect.respondent_ids
    ]


# ---- the runtime's side ---------------------------------------------------------------------------------------


def schedule_timer(
    runner: WorkflowRunner, instance: WorkflowInstance, state: InstanceState, effect: ScheduleTimer
) -> None:
    """A database timer (never a broker delay)."""
    runner.insert_once(Timer, **timer_row(instance.id, effect))


def send_notification(
    runner: WorkflowRunner, instance: WorkflowInstance, state: InstanceState, effect: SendNotification
) -> None:
    """One outbox row per recipient of the role."""
    for row in notification_rows(instance.id, effect, runner.recipients(instance, effect)):
        runner.insert_once(Notification, **row)


def open_check_in(
    runner: WorkflowRunner, instance: WorkflowInstance, state: InstanceState, effect: OpenCheckIn
) -> None:
    """One open check-in per respondent: of the run's pairing, or else of the respondent's enrolment."""
    for row in checkin_rows(instance.id, state, effect, lambda person_id: _enrolment_id(runner, instance, person_id)):
        runner.insert_once(CheckIn, **row)


def _enrolment_id(runner: WorkflowRunner, instance: WorkflowInstance, person_id: int) -> int | None:
    if instance.programme_id is None:
        return None
    return runner.session.scalar(
        select(Enrolment.id)
        .where(Enrolment.programme_id == instance.programme_id, Enrolment.person_id == person_id)
        .order_by(Enrolment.id)
        .limit(1)
    )


def mark_check_in_missed(
    runner: WorkflowRunner, instance: WorkflowInstance, state: InstanceState, effect: MarkCheckInMissed
) -> None:
    """The still-open check-ins of the occurrence become missed, each with its ``checkin.missed`` event."""
    runner.flush_inserts()  # the check-ins to mark may have been opened in this batch
    # One conditional UPDATE: an answer committed meanwhile (its row lock waited for) stays completed.
    missed = runner.session.execute(
        update(CheckIn)
        .where(
            CheckIn.instance_id == instance.id,
            CheckIn.sequence == effect.sequence,
            CheckIn.respondent_id.in_(effect.respondent_ids),
            CheckIn.status == "open",
        )
        .values(status="missed")
        .returning(CheckIn.id, CheckIn.respondent_id)
    ).all()
    for checkin_id, respondent_id in sorted(missed):
        record_event(
            runner.session,
            NewEvent(
                "checkin.missed",
                respondent_id,
                instance.programme_id,
                {"instance_id": instance.id, "sequence": effect.sequence},
                source="engine",
                event_id=f"checkin.missed:{checkin_id}",
            ),
        )


def close_pairings(
    runner: WorkflowRunner, instance: WorkflowInstance, state: InstanceState, effect: ClosePairings
) -> None:
    """The run's open pairings end, with the reason."""
    runner.session.execute(
        update(Pairing)
        .where(
            Pairing.id.in_(state.context.get("pairing_ids", [])),
            Pairing.status.in_(OPEN_PAIRING_STATUSES),
        )
        .values(status="closed", ended_at=runner.clock.now(), end_reason=effect.reason)
    )


def request_match(
    runner: WorkflowRunner, instance: WorkflowInstance, state: InstanceState, effect: RequestMatch
) -> Signal:
    """The pairing the trigger announced, or the matcher's proposal: answered as ``match.found``/``match.failed``."""
    return runner.match(instance, state, effect)


handles(ScheduleTimer, apply=schedule_timer)
handles(SendNotification, apply=send_notification)
handles(OpenCheckIn, apply=open_check_in)
handles(MarkCheckInMissed, apply=mark_check_in_missed)
handles(ClosePairings, apply=close_pairings)
handles(RequestMatch, apply=request_match)
