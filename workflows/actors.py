"""Dramatiq actors: thin, and they carry ids only. The database holds everything else.

Actors are declared per broker and app by :func:`declare` (nothing is
created at import time). A failing step is retried by the database (backoff,
then an incident), which survives restarts; Dramatiq retries a message only
for a transient database error (a lost connection, a restart, a deadlock), soon
and without counting it against the step. A message that still ends in the
dead-letter queue opens an incident in the Operations inbox
(:class:`DeadLetterIncidents`); its timers come back when their lease expires.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import dramatiq
from dramatiq import Actor, Broker, Middleware
from flask import Flask

from tandem.plugin.models import Incident

from . import jobs
from .clock import Clock, SystemClock
from .extensions import Task, extensions
from .tasks import TryLater, actor_name
from .transient import is_transient

log = logging.getLogger(__name__)

QUEUE = "tandem"
BATCH = 200
#: A timer another transaction holds locked is sent again after this long, up to BUSY_ROUNDS times.
BUSY_DELAY_MS = 1000
BUSY_ROUNDS = 30
#: Transient database errors: retried this many times, 0.5 s to 2 s apart (over a minute: a restart is well inside).
TRANSIENT_RETRIES = 40


class PublishFailed(Exception):
    """The broker refused (or could not take) a message; ``unsent`` are the ids not published."""

    def __init__(self, unsent: list[int]) -> None:
        super().__init__(f"{len(unsent)} ids not published")
        self.unsent = unsent


def retry_transient(retries: int, error: BaseException) -> bool:
    """Dramatiq's ``retry_when``: retry a transient database error, nothing else."""
    return retries < TRANSIENT_RETRIES and is_transient(error)


@dataclass
class Actors:
    """The actors of one broker."""

    run_timers: Actor
    deliver_notifications: Actor | None = None
    #: One actor per task the features registered (see :mod:`.tasks`), by task name.
    tasks: dict[str, Actor] = field(default_factory=dict)

    def enqueue(self, timer_ids: list[int]) -> int:
        """Send ``timer_ids`` in batches; returns the number of messages."""
        return _send_in_batches(self.run_timers, timer_ids)

    def enqueue_notifications(self, notification_ids: list[int]) -> int:
        """Send notification ids to the delivery actor in batches; returns the number of messages."""
        if self.deliver_notifications is None:
            return 0
        return _send_in_batches(self.deliver_notifications, notification_ids)


def _send_in_batches(actor: Actor, ids: list[int]) -> int:
    for start in range(0, len(ids), BATCH):
        try:
            actor.send(ids[start : start + BATCH])
        except Exception as error:
            raise PublishFailed(ids[start:]) from error
    return -(-len(ids) // BATCH)


def carried_ids(carried: object) -> list[int]:
    """The row ids a message carries. A message of any other shape is a bug, not bad luck: it fails for good
    (no retry helps), so the dead-letter middleware opens an incident instead of it passing as done."""
    if isinstance(carried, list | tuple) and all(type(row_id) is int for row_id in carried):
        return list(carried)
    raise TypeError(f"a message carries a list of row ids, not {type(carried).__name__} {str(carried)[:60]!r}")


def declare(broker: Broker, app: Flask, clock: Clock | None = None, delivery_retries: int = 3) -> Actors:
    """Declare Tandem's actors on ``broker``, running inside ``app``."""
    clock = clock or SystemClock()

    def run_timers(timer_ids: list[int], busy_round: int = 0) -> None:
        with app.app_context():
            session = app.appbuilder.session
            try:
                busy = jobs.busy_ids(jobs.run_timers(session, carried_ids(timer_ids), clock))
            finally:
                session.remove()
        if busy and busy_round < BUSY_ROUNDS:  # locked by another transaction: not done, so look again soon
            actors.run_timers.send_with_options(args=(busy, busy_round + 1), delay=BUSY_DELAY_MS)

    def deliver_notifications(notification_ids: list[int]) -> None:
        from .delivery import deliver

        with app.app_context():
            session = app.appbuilder.session
            try:
                deliver(session, carried_ids(notification_ids), clock)
            finally:
                session.remove()

    if not any(isinstance(middleware, DeadLetterIncidents) for middleware in broker.middleware):
        broker.add_middleware(DeadLetterIncidents(app))
    actors = Actors(
        run_timers=dramatiq.actor(
            run_timers,
            broker=broker,
            actor_name="tandem.run_timers",
            queue_name=QUEUE,
            retry_when=retry_transient,
            min_backoff=500,
            max_backoff=2000,
        ),
        # Passing failures are retried by the database (backoff in deliver_after); Dramatiq's
        # retries cover a crash of the batch itself (the database unreachable, a bug).
        deliver_notifications=dramatiq.actor(
            deliver_notifications,
            broker=broker,
            actor_name="tandem.deliver_notifications",
            queue_name=QUEUE,
            retry_when=lambda retries, error: retry_transient(retries, error) or retries < delivery_retries,
            min_backoff=500,
            max_backoff=2000,
        ),
    )
    for name, task in extensions(app).tasks.items():
        actors.tasks[name] = _task_actor(broker, app, clock, name, task)
    return actors


def _task_actor(broker: Broker, app: Flask, clock: Clock, name: str, task: Task) -> Actor:
    """A thin actor running ``task`` for one row id; a busy row is sent again later."""

    def run_task(row_id: int) -> None:
        with app.app_context():
            session = app.appbuilder.session
            try:
                task(session, row_id, clock)
            except TryLater as later:
                session.rollback()
                actor.send_with_options(args=(row_id,), delay=int(later.seconds * 1000))
            finally:
                session.remove()

    actor: Actor = dramatiq.actor(
        run_task,
        broker=broker,
        actor_name=actor_name(name),
        queue_name=QUEUE,
        retry_when=retry_transient,
        min_backoff=500,
        max_backoff=2000,
    )
    return actor


class DeadLetterIncidents(Middleware):
    """A Tandem message that failed for good (dead-lettered) becomes an incident in HR's Operations inbox."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def after_nack(self, broker: Broker, message: dramatiq.MessageProxy) -> None:
        """Record the dead-lettered message: what it carried and its last error."""
        if not message.actor_name.startswith("tandem."):
            return
        first = message.args[0] if message.args else []
        ids = list(first) if isinstance(first, list | tuple) else [first]
        what = {"tandem.run_timers": "timers", "tandem.deliver_notifications": "notifications"}.get(
            message.actor_name, f"rows of {message.actor_name}"
        )
        error = str(message.options.get("traceback") or "")[-2000:]
        try:
            with self.app.app_context():
                session = self.app.appbuilder.session
                try:
                    session.add(
                        Incident(
                            summary=f"A message for {len(ids)} {what} was dead-lettered after"
                            f" {message.options.get('retries', 0)} retries; they run again when their lease expires"[
                                :300
                            ],
                            error=f"{message.actor_name}{ids[:50]}\n{error}",
                        )
                    )
                    session.commit()
                finally:
                    session.remove()
        except Exception:
            log.exception("could not record the dead-lettered message %s as an incident", message.message_id)
