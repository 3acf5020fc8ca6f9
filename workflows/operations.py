"""The Operations inbox: what HR can do about an incident — retry, skip or cancel.

*Retry* re-runs the failed work at once, in the request: the step runs
again, or the notification is delivered again through the same channel
code the workers use. The incident closes only when that succeeded; else it
stays open with the new error, and :class:`RetryOutcome` says in words what
happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from tandem.plugin.models import Incident, Notification, Timer, WorkflowInstance
from tandem.plugin.settings import settings

from .channels import sent_by
from .clock import Clock, as_utc
from .machine import TimerDue
from .matching.interface import Matcher
from .runtime import WorkflowRunner


class IncidentClosed(ValueError):
    """The incident was already handled."""


def _open(session: Session, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None or incident.status != "open":
        raise IncidentClosed("That incident is already closed: someone retried, skipped or cancelled it.")
    return incident


@dataclass(frozen=True)
class RetryOutcome:
    """What a retry did: ``closed`` when the work succeeded (the incident is closed), and a sentence saying so."""

    incident_id: int
    closed: bool
    message: str


def retry(session: Session, incident_id: int, clock: Clock, by: str, matcher: Matcher | None = None) -> RetryOutcome:
    """Run the failed work again now; close the incident only if it succeeded. Commits.

    A failed step runs again (with a fresh count of attempts); a failed
    notification is delivered again. Still failing, the incident stays open
    with the new error, and the work waits for HR again (a step stays failed;
    a notification that met a passing problem is retried by the outbox, and
    its incident closes when it goes out).
    """
    incident = _open(session, incident_id)
    if incident.notification_id is not None:
        return _retry_notification(session, incident, clock, by)
    if incident.timer_id is not None:
        return _retry_timer(session, incident, clock, by, matcher)
    _resolve(incident, "retried", clock, by)
    session.commit()
    return RetryOutcome(incident_id, True, "Nothing was left to run; the incident is closed.")


def _retry_timer(session: Session, incident: Incident, clock: Clock, by: str, matcher: Matcher | None) -> RetryOutcome:
    from .jobs import run_timer

    incident_id, timer_id, summary = incident.id, incident.timer_id, incident.summary
    timer = incident.timer
    timer.status, timer.attempts, timer.due_at, timer.lease_until = "pending", 0, clock.now(), None
    session.commit()
    result = run_timer(session, timer_id, clock, matcher)
    incident, timer = session.get(Incident, incident_id), session.get(Timer, timer_id)
    if result == "done" or (result == "skipped" and timer is not None and timer.status == "done"):
        _resolve(incident, "retried", clock, by)
        session.commit()
        return RetryOutcome(incident_id, True, f"Ran again and succeeded: {_what(summary)}. The incident is closed.")
    # Still failing: back to HR, not to the automatic backoff (an open incident over a timer that runs itself
    # would be closed by nobody).
    if timer is not None and timer.status == "pending":
        timer.status = "failed"
    error = (timer.last_error if timer is not None else "") or "the step did not run"
    incident.error = error
    session.commit()
    return RetryOutcome(incident_id, False, f"Still failing: {_what(summary)}: {error}. The incident stays open.")


def _retry_notification(session: Session, incident: Incident, clock: Clock, by: str) -> RetryOutcome:
    from .delivery import deliver, requeue

    incident_id, notification_id = incident.id, incident.notification_id
    if settings().delivery_paused:
        return RetryOutcome(
            incident_id, False, "Delivery is paused (TANDEM_DELIVERY_PAUSED): nothing was sent. Retry once it resumes."
        )
    requeue(session, notification_id, clock)
    session.commit()
    state = next(iter(deliver(session, [notification_id], clock).counts), "skipped")
    notification, incident = session.get(Notification, notification_id), session.get(Incident, incident_id)
    whom = notification.recipient.full_name if notification is not None else "its recipient"
    if notification is not None and notification.status in ("sent", "digested", "suppressed"):
        done = {
            "sent": f"Sent again to {whom} ({sent_by(notification.channel)}).",
            "digested": f"{whom} has had today's messages: it goes out in their round-up tomorrow morning.",
            "suppressed": f"Nothing to send to {whom}: {notification.error}.",
        }[notification.status]
        _resolve(incident, "retried", clock, by)
        session.commit()
        return RetryOutcome(incident_id, True, f"{done} The incident is closed.")
    if state == "postponed":
        when = as_utc(notification.deliver_after).strftime("%d %B %Y, %H:%M UTC")
        return RetryOutcome(
            incident_id,
            False,
            f"Waiting for the end of {whom}'s quiet hours ({when}); the incident closes when it goes out.",
        )
    error = notification.error if notification is not None else "the notification is gone"
    if state == "retrying":
        return RetryOutcome(
            incident_id,
            False,
            f"Still failing for {whom}: {error}. The outbox tries again by itself; "
            "the incident stays open until it goes out.",
        )
    return RetryOutcome(incident_id, False, f"Still failing for {whom}: {error}. The incident stays open.")


def _what(summary: str) -> str:
    """What failed, from the incident's summary (``event employee.hired failed 5 times`` → ``event employee.hired``)."""
    what = re.sub(r" failed \d+ times$", "", summary)
    return what[:1].lower() + what[1:] if what else "the step"


def skip(session: Session, incident_id: int, clock: Clock, by: str) -> Incident:
    """Give up on the failed step and move the instance past it, as if its timer had run."""
    incident = _open(session, incident_id)
    timer = incident.timer
    if timer is not None:
        timer.status = "cancelled"
        instance = timer.instance
        if instance is not None and instance.status in ("running", "paused"):
            WorkflowRunner(session, clock).signal(instance, TimerDue(timer.key))
    return _resolve(incident, "skipped", clock, by)


def cancel(session: Session, incident_id: int, clock: Clock, by: str) -> Incident:
    """Cancel the whole instance the failed step belongs to."""
    incident = _open(session, incident_id)
    if incident.timer is not None:
        incident.timer.status = "cancelled"
    instance: WorkflowInstance | None = incident.instance
    if instance is not None and instance.status in ("running", "paused"):
        instance.status = "cancelled"
        instance.state = {
            **instance.state,
            "status": "cancelled",
            "reason": f"cancelled by {by} from the Operations inbox",
        }
    return _resolve(incident, "cancelled", clock, by)


def _resolve(incident: Incident, status: str, clock: Clock, by: str) -> Incident:
    incident.status, incident.resolved_at, incident.resolved_by = status, clock.now(), by
    return incident


def cancel_instance(session: Session, instance_id: int, clock: Clock, by: str) -> WorkflowInstance:
    """Stop an instance: its pending timers are cancelled and its pairings closed."""
    from sqlalchemy import update

    from tandem.plugin.models import OPEN_PAIRING_STATUSES, Pairing, Timer

    instance = session.get(WorkflowInstance, instance_id)
    if instance is None or instance.status not in ("running", "paused"):
        raise IncidentClosed(f"instance {instance_id} is not running")
    session.execute(
        update(Timer)
        .where(Timer.instance_id == instance.id, Timer.status.in_(("pending", "claimed")))
        .values(status="cancelled")
    )
    pairing_ids = instance.state.get("context", {}).get("pairing_ids", [])
    session.execute(
        update(Pairing)
        .where(Pairing.id.in_(pairing_ids), Pairing.status.in_(OPEN_PAIRING_STATUSES))
        .values(status="closed", ended_at=clock.now(), end_reason=f"workflow cancelled by {by}")
    )
    instance.status = "cancelled"
    instance.state = {**instance.state, "status": "cancelled", "reason": f"cancelled by {by}"}
    return instance


def retry_instance(session: Session, instance_id: int, clock: Clock, by: str) -> list[RetryOutcome]:
    """Retry every failed step of an instance now (see :func:`retry`); returns each outcome."""
    from sqlalchemy import select

    open_incidents = session.scalars(
        select(Incident.id).where(Incident.instance_id == instance_id, Incident.status == "open")
    ).all()
    return [retry(session, incident_id, clock, by) for incident_id in open_incidents]
