"""The database decides at fire time: what a check-in's reminder, escalation or prompt finds when it comes round.

A check-in's reminder and escalation are timers of its instance, and its
prompt, reminder and escalation are outbox rows; all of them are keyed by the
occurrence they are about (``v<visit>.<kind>.<sequence>``), as is the
check-in itself (``wf:<instance>:v<visit>.checkin.<sequence>:<person>``). So
whatever comes round late — a timer after an outage, an e-mail after the SMTP
server was down — reads the check-in rows as they are now:

- :func:`facts_for` gives a firing reminder or escalation who has answered
  and whose check-in is still open (the transition decides with that);
- :func:`stale_reason` tells delivery that a prompt, reminder or escalation
  has nothing left to ask (it is then ``suppressed`` with that reason);
- :func:`cancel_follow_ups` is called by answering: the occurrence's pending
  reminder (once everyone answered) and escalation are cancelled in the
  answer's own transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from tandem.plugin.models import CheckIn, Notification, Timer, WorkflowInstance

from .machine import FOLLOW_UP_TIMER, CheckInFacts

OCCURRENCE_KEY = re.compile(
    r"^wf:(?P<instance>\d+):(?P<visit>v\d+)\.(?P<kind>prompt|remind|escalate)\.(?P<sequence>\d+)\.[^:]+:(?P<person>\d+)$"
)
NOTIFY_KEY = re.compile(r"^wf:(?P<instance>\d+):v\d+\.notify\.[^:]+:\d+$")
CHECKIN_KEY = re.compile(r"^wf:(?P<instance>\d+):(?P<visit>v\d+)\.checkin\.(?P<sequence>\d+):(?P<person>\d+)$")
CLOSED = ("completed", "missed", "cancelled")


def _prefix(instance_id: int, visit: str, sequence: int | str) -> str:
    return f"wf:{instance_id}:{visit}.checkin.{sequence}:"


def _statuses(session: Session, instance_id: int, visit: str, sequence: int | str) -> dict[int, str]:
    """Each respondent's check-in status in one occurrence."""
    prefix = _prefix(instance_id, visit, sequence)
    rows = session.execute(
        select(CheckIn.respondent_id, CheckIn.status, CheckIn.idempotency_key).where(
            CheckIn.instance_id == instance_id, CheckIn.sequence == int(sequence)
        )
    )
    return {respondent: status for respondent, status, key in rows if (key or "").startswith(prefix)}


def facts_for(session: Session, timers: Iterable[Timer]) -> dict[int, CheckInFacts]:
    """The check-in facts of every reminder or escalation timer among ``timers``, by timer id (one query)."""
    wanted = {}
    for timer in timers:
        match = FOLLOW_UP_TIMER.match(timer.key or "") if timer.instance_id is not None else None
        if match:
            wanted[timer.id] = (timer.instance_id, match["visit"], int(match["sequence"]))
    if not wanted:
        return {}
    found: dict[str, dict[int, str]] = {}
    instance_ids = sorted({instance_id for instance_id, _, _ in wanted.values()})
    for start in range(0, len(instance_ids), 500):
        rows = session.execute(
            select(CheckIn.respondent_id, CheckIn.status, CheckIn.idempotency_key).where(
                CheckIn.instance_id.in_(instance_ids[start : start + 500])
            )
        )
        for respondent, status, key in rows:
            match = CHECKIN_KEY.match(key or "")
            if match:
                occurrence = _prefix(int(match["instance"]), match["visit"], match["sequence"])
                found.setdefault(occurrence, {})[respondent] = status
    facts = {}
    for timer_id, occurrence in wanted.items():
        statuses = found.get(_prefix(*occurrence), {})
        facts[timer_id] = CheckInFacts.of(statuses)
    return facts


def stale_reason(session: Session, notification: Notification) -> str | None:
    """Why a prompt, reminder or escalation should no longer go out (its check-in closed), or None.

    A ``notify`` step's message (one sent ``after`` a while, such as a 30-day
    pulse) whose run was cancelled meanwhile (a participant left) goes out no more either.
    """
    deferred = NOTIFY_KEY.match(notification.idempotency_key or "")
    if deferred is not None:
        status = session.scalar(select(WorkflowInstance.status).where(WorkflowInstance.id == int(deferred["instance"])))
        return "the run was cancelled before it went out" if status == "cancelled" else None
    match = OCCURRENCE_KEY.match(notification.idempotency_key or "")
    if match is None:
        return None
    statuses = _statuses(session, int(match["instance"]), match["visit"], match["sequence"])
    sequence = match["sequence"]
    if match["kind"] == "escalate":
        if "completed" in statuses.values():
            return f"check-in {sequence} was answered before the escalation went out"
        if statuses and all(status == "cancelled" for status in statuses.values()):
            return f"check-in {sequence} was cancelled before the escalation went out"
        return None
    status = statuses.get(notification.recipient_id)
    if status in CLOSED:
        what = "prompt" if match["kind"] == "prompt" else "reminder"
        return f"check-in {sequence} is {status}: the {what} had nothing left to ask"
    return None


def cancel_follow_ups(session: Session, checkin: CheckIn) -> int:
    """Cancel the pending escalation of an answered check-in's occurrence, and its reminder once all answered.

    Runs in the answer's transaction. A timer a worker holds locked right now is
    skipped (waiting for it could deadlock with that worker); it finds the
    answer when it fires. Returns how many timers were cancelled.
    """
    match = CHECKIN_KEY.match(checkin.idempotency_key or "")
    if match is None or checkin.instance_id is None:
        return 0
    visit, sequence = match["visit"], match["sequence"]
    statuses = _statuses(session, checkin.instance_id, visit, sequence)
    statuses[checkin.respondent_id] = checkin.status
    kinds = ["escalate"]
    if "open" not in statuses.values():
        kinds.append("remind")
    keys = [f"{visit}.{kind}.{sequence}" for kind in kinds]
    candidates = select(Timer.id).where(
        Timer.instance_id == checkin.instance_id,
        Timer.status.in_(("pending", "claimed")),
        or_(Timer.key.in_(keys), *(Timer.key.like(f"{key}~%") for key in keys)),
    )
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(session.scalars(candidates))
    if ids:
        session.execute(
            update(Timer)
            .where(Timer.id.in_(ids))
            .values(status="cancelled", lease_until=None)
            .execution_options(synchronize_session=False)
        )
    return len(ids)
