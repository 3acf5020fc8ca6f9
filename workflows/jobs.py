"""Running claimed timers: exactly once in effect, retried with backoff per step kind, then an incident.

:func:`run_timers` runs a message's worth of timers. First the batch path
(:func:`tandem.workflows.batch.run_due_steps`) runs the instance timers whose
effects are rows (prompts, check-ins, notifications, timers) on Core rows in
one transaction. What it hands back runs here on ORM objects: the instance
timers set-based in one transaction (locked with one statement each, every
transition computed in memory, effects written with one statement per table);
anything else (an event to dispatch, a second timer of the same instance) and
any batch that fails runs through :func:`run_timer`, one timer per
transaction, which records failures.
"""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tandem.plugin.models import Incident, Timer, WorkflowInstance

from .batch import RUNNABLE, run_due_steps
from .clock import Clock
from .firetime import facts_for
from .matching.interface import DefaultMatcher, Matcher
from .runtime import WorkflowRunner
from .store import parsed
from .transient import is_transient

log = logging.getLogger(__name__)

# Waits between attempts, by what the timer does. A match calls a slower, shared
# service and gets more room; dispatching an event is cheap and retried soon.
BACKOFF = {
    "dispatch": (timedelta(seconds=5), timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10)),
    "match": (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)),
    "default": (timedelta(seconds=10), timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30)),
}
MAX_ATTEMPTS = 5


def run_timer(session: Session, timer_id: int, clock: Clock, matcher: Matcher | None = None) -> str:
    """Run timer ``timer_id`` in its own transaction; returns ``done``, ``skipped``, ``retry`` or ``failed``.

    A timer already done (a redelivered message) is skipped: its effects exist once.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    timer = session.get(Timer, timer_id, with_for_update=postgres)
    if timer is None or timer.status not in RUNNABLE:
        session.rollback()
        return "skipped"
    try:
        WorkflowRunner(session, clock, matcher or DefaultMatcher()).run(timer)
        timer.status, timer.done_at, timer.lease_until = "done", clock.now(), None
        session.commit()
        return "done"
    except Exception as error:
        session.rollback()
        if is_transient(error):
            raise  # not the step's fault: the message is retried soon, the attempt is not counted
        return record_failure(session, timer_id, clock, error)


def run_timers(session: Session, timer_ids: list[int], clock: Clock, matcher: Matcher | None = None) -> list[str]:
    """Run ``timer_ids``: their instance timers in one transaction, the rest one by one; returns the outcomes.

    An outcome is ``done``, ``skipped`` (already done or cancelled), ``retry``,
    ``failed``, or ``busy``: another transaction holds the timer locked right
    now (a worker at it, or one just killed whose connection the server has not
    yet dropped). A busy timer is not done: the caller sends it again shortly
    (:func:`busy_ids`). A transient database error is raised, never counted as
    a failed attempt.
    """
    try:
        done, rest = run_due_steps(session, timer_ids, clock)
    except Exception as error:
        session.rollback()
        if is_transient(error):
            raise
        log.warning("the batch path failed; its %d timers run on ORM objects", len(timer_ids), exc_info=True)
        done, rest = [], list(timer_ids)  # a batch that failed as a whole: each step again, on ORM objects
    outcomes = ["done"] * len(done)
    return outcomes + (run_orm_timers(session, rest, clock, matcher) if rest else [])


def run_orm_timers(session: Session, timer_ids: list[int], clock: Clock, matcher: Matcher | None = None) -> list[str]:
    """Run ``timer_ids`` on ORM objects: their instance timers in one transaction, the rest one by one.

    The outcomes are those of :func:`run_timers`.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    query = select(Timer).where(Timer.id.in_(timer_ids), Timer.status.in_(RUNNABLE)).order_by(Timer.id)
    timers = session.scalars(query.with_for_update(skip_locked=True) if postgres else query).all()
    outcomes = []
    if postgres and len(timers) < len(timer_ids):
        got = {timer.id for timer in timers}
        busy = set(
            session.scalars(
                select(Timer.id).where(Timer.id.in_([i for i in timer_ids if i not in got]), Timer.status.in_(RUNNABLE))
            )
        )
        outcomes += [f"busy:{timer_id}" for timer_id in sorted(busy)]
    outcomes += ["skipped"] * (len(timer_ids) - len(timers) - len(outcomes))
    batch: dict[int, Timer] = {}
    for timer in timers:
        if timer.event_id is None and timer.instance_id is not None:
            batch.setdefault(timer.instance_id, timer)
    singles = [timer.id for timer in timers if batch.get(timer.instance_id) is not timer]
    if batch:
        try:
            outcomes += _run_batch(session, list(batch.values()), clock, matcher, postgres)
        except Exception as error:
            session.rollback()
            if is_transient(error):
                raise
            singles = sorted(singles + [timer.id for timer in batch.values()])
    else:
        session.rollback()
    return outcomes + [run_timer(session, timer_id, clock, matcher) for timer_id in singles]


def busy_ids(outcomes: list[str]) -> list[int]:
    """The timers :func:`run_timers` found locked by another transaction: to be sent again shortly."""
    return [int(outcome.split(":", 1)[1]) for outcome in outcomes if outcome.startswith("busy:")]


def _run_batch(
    session: Session, timers: list[Timer], clock: Clock, matcher: Matcher | None, postgres: bool
) -> list[str]:
    """Advance each timer's instance (one timer per instance) and commit everything at once."""
    ids = sorted(timer.instance_id for timer in timers)
    query = select(WorkflowInstance).where(WorkflowInstance.id.in_(ids)).order_by(WorkflowInstance.id)
    # Held for the whole batch: the session's identity map only keeps them while something refers to them.
    instances = session.scalars(query.with_for_update() if postgres else query).all()
    definitions = {instance.definition_id: instance.definition for instance in instances}
    engine = WorkflowRunner(session, clock, matcher or DefaultMatcher(), deferred=True, locked=set(ids))
    facts = facts_for(session, timers)
    for timer in timers:
        engine.run(timer, facts.get(timer.id))
    engine.flush_inserts()
    session.execute(
        update(Timer)
        .where(Timer.id.in_([timer.id for timer in timers]))
        .values(status="done", done_at=clock.now(), lease_until=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    del instances, definitions
    return ["done"] * len(timers)


def step_kind(timer: Timer) -> str:
    """What a timer does: ``dispatch`` for an event, else the kind of its instance's current step."""
    if timer.event_id is not None:
        return "dispatch"
    instance = timer.instance
    if instance is None:
        return "default"
    steps = parsed(instance.definition).steps
    return steps[instance.step].kind if instance.step < len(steps) else "default"


def record_failure(session: Session, timer_id: int, clock: Clock, error: BaseException) -> str:
    """Count a failed attempt: back off and retry, or open an incident when attempts run out."""
    timer = session.get(Timer, timer_id, with_for_update=session.get_bind().dialect.name == "postgresql")
    if timer is None:
        return "skipped"
    timer.attempts += 1
    timer.last_error = "".join(traceback.format_exception_only(error)).strip()[:2000]
    timer.lease_until = None
    if timer.attempts < MAX_ATTEMPTS:
        waits = BACKOFF.get(step_kind(timer), BACKOFF["default"])
        timer.status, timer.due_at = "pending", clock.now() + waits[timer.attempts - 1]
        session.commit()
        return "retry"
    timer.status = "failed"
    what = f"event {timer.event.type}" if timer.event_id else f"step {timer.key} of instance {timer.instance_id}"
    if session.scalar(select(Incident.id).where(Incident.timer_id == timer.id)) is None:
        session.add(
            Incident(
                timer_id=timer.id,
                instance_id=timer.instance_id,
                summary=f"{what} failed {timer.attempts} times",
                error=timer.last_error,
            )
        )
    session.commit()
    return "failed"
