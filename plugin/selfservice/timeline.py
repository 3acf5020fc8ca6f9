"""A person's timeline: what happened, what comes next, and why each prompt came — in their time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tandem.workflows.clock import as_utc
from tandem.workflows.preferences import preferences_for
from tandem.workflows.store import parsed

from .. import formatting
from ..models import (
    Acknowledgement,
    CheckIn,
    InstanceHistory,
    InstanceParticipant,
    Notification,
    Person,
    Timer,
    WorkflowInstance,
)
from .titles import notification_title

CHECKIN_TEMPLATES = ("checkin/prompt", "checkin/reminder", "checkin/escalation")
TIMER_WORDS = {
    "prompt": "check-in {n} opens",
    "remind": "a reminder about check-in {n}, if it is still unanswered",
    "escalate": "HR is told if nobody answered check-in {n}",
    "end": "the check-ins end",
    "wait": "the next step",
    "timeout": "the wait ends",
    "match-deadline": "the deadline to find a match",
}


PAST_TIMERS = {
    "prompt": "check-in {n} opened",
    "remind": "the reminder time for check-in {n} came",
    "escalate": "the escalation time for check-in {n} came",
    "end": "the check-ins ended",
    "wait": "a wait ended",
    "timeout": "a wait timed out",
    "match-deadline": "the deadline to find a match passed",
}
EVENTS = {
    "checkin.completed": "a check-in answer arrived",
    "checkin.missed": "a check-in closed unanswered",
    "match.found": "a match was found",
    "match.failed": "no match could be found yet",
    "employee.leave_started": "someone went on leave",
    "employee.leave_ended": "someone came back from leave",
    "employee.left": "someone left the company",
    "programme.closed": "the programme closed",
}


def describe_signal(signal: str) -> str:
    """A history signal as a person reads it: ``timer v3.prompt.1`` → ``check-in 1 opened``."""
    kind, _, rest = signal.partition(" ")
    if kind == "start":
        return "started"
    if kind == "timer":
        name = rest.split("~")[0].split(".", 1)[-1]
        timer, _, number = name.partition(".")
        return PAST_TIMERS.get(timer, name).format(n=number)
    if kind == "event":
        return EVENTS.get(rest, rest)
    return signal


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: when (UTC and local), what, and why."""

    at: datetime
    local: str
    kind: str
    text: str
    why: str = ""


def local_time(moment: datetime | None, timezone: str) -> str:
    """``moment`` in the person's zone, as people read it: ``Mon 30 Nov 2026, 09:00 CET``."""
    return formatting.local_time(moment, timezone)


def person_zone(session: Session, person: Person) -> str:
    """The zone the person reads times in: the one chosen in their notification preferences, else the directory's."""
    return preferences_for(session, person).timezone


def my_instances(session: Session, person_id: int) -> list[WorkflowInstance]:
    """Every workflow run the person takes part in, in any role."""
    involved = select(InstanceParticipant.instance_id).where(InstanceParticipant.person_id == person_id)
    return list(
        session.scalars(
            select(WorkflowInstance)
            .where(or_(WorkflowInstance.subject_id == person_id, WorkflowInstance.id.in_(involved)))
            .order_by(WorkflowInstance.id)
        )
    )


def _step_text(instance: WorkflowInstance, index: int) -> str:
    definition = parsed(instance.definition)
    if not 0 <= index < len(definition.steps):
        return ""
    return f"{formatting.step_label(index)}: {definition.steps[index].describe().replace('_', ' ')}"


def _workflow_name(instance: WorkflowInstance) -> str:
    row = instance.definition
    return f"“{row.title or row.name}” (version {row.version})"


def _step_for_template(instance: WorkflowInstance, template: str, item: str | None) -> int | None:
    """The step that sends ``template``: the notify step naming it, the check-in, the campaign item."""
    steps = parsed(instance.definition).steps
    for index, step in enumerate(steps):
        if step.kind == "notify" and step.options.get("template") == template:
            return index
        if step.kind == "check_in" and (template in CHECKIN_TEMPLATES or step.options.get("template") == template):
            return index
        if step.kind == "campaign_item" and template == "campaign/item" and step.options.get("item") == item:
            return index
    return None


def why_notification(session: Session, notification: Notification) -> str:
    """Why the person got ``notification``: the workflow, the step and their role in it; "" if not from one."""
    key = notification.idempotency_key or ""
    if not key.startswith("wf:"):
        return ""
    _, instance_id, rest = key.split(":", 2)
    instance = session.get(WorkflowInstance, int(instance_id)) if instance_id.isdigit() else None
    if instance is None:
        return ""
    role = rest.rsplit(":", 1)[0].rsplit(".", 1)[-1]
    index = _step_for_template(instance, notification.template, (notification.context or {}).get("item"))
    step = f", {_step_text(instance, index)}" if index is not None else ""
    return f"Workflow {_workflow_name(instance)}{step} — you take part as {role.replace('_', ' ')}."


def why_checkin(session: Session, checkin: CheckIn) -> str:
    """Which workflow and step opened ``checkin``."""
    if checkin.instance_id is None:
        if checkin.pairing is not None:
            return f"Check-in {checkin.sequence} of your pairing in {checkin.pairing.programme.name}."
        return "Opened by HR."
    instance = session.get(WorkflowInstance, checkin.instance_id)
    index = _step_for_template(instance, "checkin/prompt", None)
    step = f", {_step_text(instance, index)}" if index is not None else ""
    return f"Workflow {_workflow_name(instance)}{step} — this is check-in {checkin.sequence}."


def timer_text(key: str) -> str:
    """A timer's key as what it is for: ``v4.prompt.2`` → ``check-in 2 opens``."""
    name = key.split("~")[0].split(".", 1)[-1]  # "v4.prompt.2" -> "prompt.2"
    kind, _, number = name.partition(".")
    return TIMER_WORDS.get(kind, kind.replace("-", " ")).format(n=number or "")


def _newest(rows: Any, limit: int | None, keep: Any = None) -> list[Any]:
    """Up to ``limit`` rows (all without one) of ``rows``, given newest first, that ``keep`` accepts; returned
    oldest first, in the order they were recorded."""
    found = []
    for row in rows:
        if keep is None or keep(row):
            found.append(row)
            if limit is not None and len(found) >= limit:
                break
    return found[::-1]


def happened(session: Session, person: Person, limit: int | None = None) -> list[Entry]:
    """What already happened to the person, newest first; only the newest ``limit`` entries when given (each
    source then reads no more than ``limit`` rows, so a page of a long history stays cheap)."""
    tz = person_zone(session, person)
    entries: list[Entry] = []
    for instance in my_instances(session, person.id):
        name = _workflow_name(instance)
        rows = session.scalars(
            select(InstanceHistory)
            .where(InstanceHistory.instance_id == instance.id)
            .order_by(InstanceHistory.id.desc())
            .limit(limit)
        )
        for row in _newest(rows, limit):
            where = _step_text(instance, row.step) if row.status in ("running", "paused") else row.status
            text = f"{name}: {describe_signal(row.signal)} — now at {where}"
            entries.append(Entry(as_utc(row.at), local_time(row.at, tz), "workflow", text))
    checkins = (
        select(CheckIn)
        .where(
            CheckIn.respondent_id == person.id,
            or_(
                (CheckIn.status == "completed") & CheckIn.completed_at.is_not(None),
                CheckIn.status.in_(("missed", "cancelled")),
            ),
        )
        .order_by(func.coalesce(CheckIn.completed_at, CheckIn.due_at).desc(), CheckIn.id.desc())
        .limit(limit)
    )
    for checkin in _newest(session.scalars(checkins), limit):
        if checkin.status == "completed":
            text = f"You answered check-in {checkin.sequence}: {checkin.rating}/5"
            entries.append(
                Entry(
                    as_utc(checkin.completed_at),
                    local_time(checkin.completed_at, tz),
                    "check-in",
                    text,
                    why_checkin(session, checkin),
                )
            )
        else:
            text = f"Check-in {checkin.sequence} {checkin.status}"
            entries.append(Entry(as_utc(checkin.due_at), local_time(checkin.due_at, tz), "check-in", text))
    now = datetime.now(UTC)

    def moment_of(notification: Notification) -> Any:
        return notification.sent_at or notification.deliver_after or notification.created_at

    notifications = session.scalars(
        select(Notification)
        .where(Notification.recipient_id == person.id)
        .order_by(
            func.coalesce(Notification.sent_at, Notification.deliver_after, Notification.created_at).desc(),
            Notification.id.desc(),
        )
    )
    for notification in _newest(notifications, limit, lambda n: as_utc(moment_of(n)) <= now):
        moment = moment_of(notification)
        title = notification_title(session, notification)
        text = f"You received “{title}” ({notification.channel.replace('_', '-')})"
        entries.append(
            Entry(as_utc(moment), local_time(moment, tz), "message", text, why_notification(session, notification))
        )
    acknowledgements = (
        select(Acknowledgement)
        .where(Acknowledgement.person_id == person.id)
        .order_by(Acknowledgement.acknowledged_at.desc(), Acknowledgement.id.desc())
        .limit(limit)
    )
    for ack in _newest(session.scalars(acknowledgements), limit):
        text = f"You acknowledged “{ack.item.title}”"
        entries.append(Entry(as_utc(ack.acknowledged_at), local_time(ack.acknowledged_at, tz), "campaign", text))
    order = {id(entry): index for index, entry in enumerate(entries)}  # ties: the later-recorded first
    return sorted(entries, key=lambda entry: (entry.at, order[id(entry)]), reverse=True)[:limit]


ABOUT_A_CHECKIN = ("remind", "escalate")


def settled(session: Session, person: Person, timer: Timer) -> bool:
    """Whether ``timer`` is about a check-in of the person that is already answered, missed or cancelled.

    Such a reminder or escalation will do nothing for them when it fires (the
    engine checks the row then), so "what comes next" must not announce it.
    """
    visit, _, name = timer.key.split("~")[0].partition(".")
    kind, _, number = name.partition(".")
    if kind not in ABOUT_A_CHECKIN or not number.isdigit():
        return False
    key = f"wf:{timer.instance_id}:{visit}.checkin.{number}:{person.id}"
    status = session.scalar(select(CheckIn.status).where(CheckIn.idempotency_key == key))
    return status is not None and status not in ("open", "scheduled")


def coming(session: Session, person: Person) -> list[Entry]:
    """What comes next: open check-ins to answer and the pending steps of the person's running workflows."""
    tz = person_zone(session, person)
    entries: list[Entry] = []
    open_checkins = select(CheckIn).where(CheckIn.respondent_id == person.id, CheckIn.status == "open")
    for checkin in session.scalars(open_checkins):
        text = f"Check-in {checkin.sequence} is open for your answer (since {local_time(checkin.due_at, tz)})"
        entries.append(
            Entry(as_utc(checkin.due_at), local_time(checkin.due_at, tz), "to do", text, why_checkin(session, checkin))
        )
    running = [i for i in my_instances(session, person.id) if i.status in ("running", "paused")]
    by_id: dict[int, Any] = {instance.id: instance for instance in running}
    if by_id:
        timers = session.scalars(
            select(Timer)
            .where(Timer.instance_id.in_(by_id), Timer.status.in_(("pending", "claimed")))
            .order_by(Timer.due_at)
        )
        for timer in timers:
            if settled(session, person, timer):
                continue
            instance = by_id[timer.instance_id]
            why = f"Workflow {_workflow_name(instance)}, {_step_text(instance, instance.step)}"
            entries.append(
                Entry(as_utc(timer.due_at), local_time(timer.due_at, tz), "next", _sentence(timer_text(timer.key)), why)
            )
    return sorted(entries, key=lambda entry: entry.at)
