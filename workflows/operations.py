"""The Operations inbox: what HR can do about an incident — retry, skip or cancel."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tandem.plugin.models import Incident, WorkflowInstance

from .clock import Clock
from .machine import TimerDue
from .runtime import Engine


class IncidentClosed(ValueError):
    """The incident was already handled."""


def _open(session: Session, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None or incident.status != "open":
        raise IncidentClosed(f"incident {incident_id} is not open")
    return incident


def retry(session: Session, incident_id: int, clock: Clock, by: str) -> Incident:
    """Put the failed timer back in the queue, due now, with a fresh count of attempts."""
    incident = _open(session, incident_id)
    timer = incident.timer
    if timer is not None:
        timer.status, timer.attempts, timer.due_at, timer.lease_until = "pending", 0, clock.now(), None
    if incident.notification_id is not None:  # a notification that failed for good: send it again now
        from .delivery import requeue

        requeue(session, incident.notification_id, clock)
    return _resolve(incident, "retried", clock, by)


def skip(session: Session, incident_id: int, clock: Clock, by: str) -> Incident:
    """Give up on the failed step and move the instance past it, as if its timer had run."""
    incident = _open(session, incident_id)
    timer = incident.timer
    if timer is not None:
        timer.status = "cancelled"
        instance = timer.instance
        if instance is not None and instance.status in ("running", "paused"):
            Engine(session, clock).signal(instance, TimerDue(timer.key))
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

    from tandem.plugin.models import Pairing, Timer

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
        .where(Pairing.id.in_(pairing_ids), Pairing.status.in_(("proposed", "accepted", "active")))
        .values(status="closed", ended_at=clock.now(), end_reason=f"workflow cancelled by {by}")
    )
    instance.status = "cancelled"
    instance.state = {**instance.state, "status": "cancelled", "reason": f"cancelled by {by}"}
    return instance


def retry_instance(session: Session, instance_id: int, clock: Clock, by: str) -> int:
    """Retry every failed step of an instance (their incidents count as retried); returns how many."""
    from sqlalchemy import select

    open_incidents = session.scalars(
        select(Incident).where(Incident.instance_id == instance_id, Incident.status == "open")
    ).all()
    for incident in open_incidents:
        retry(session, incident.id, clock, by)
    return len(open_incidents)
