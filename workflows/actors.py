"""Dramatiq actors: thin, and they carry ids only. The database holds everything else.

Actors are declared per broker and app by :func:`declare` (nothing is
created at import time). Dramatiq's own retries are off: a failed timer is
retried by the database (backoff, then an incident), which survives restarts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import dramatiq
from dramatiq import Actor, Broker
from flask import Flask

from . import jobs
from .clock import Clock, SystemClock

QUEUE = "tandem"
BATCH = 200


@dataclass
class Actors:
    """The actors of one broker."""

    run_timers: Actor
    deliver_notifications: Actor | None = None

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
        actor.send(ids[start : start + BATCH])
    return -(-len(ids) // BATCH)


def declare(broker: Broker, app: Flask, clock: Clock | None = None, delivery_retries: int = 3) -> Actors:
    """Declare Tandem's actors on ``broker``, running inside ``app``."""
    clock = clock or SystemClock()

    def run_timers(timer_ids: list[int]) -> None:
        with app.app_context():
            session = app.appbuilder.session
            try:
                jobs.run_timers(session, timer_ids, clock)
            finally:
                session.remove()

    def deliver_notifications(notification_ids: list[int]) -> None:
        from .delivery import deliver

        with app.app_context():
            session = app.appbuilder.session
            try:
                deliver(session, notification_ids, clock)
            finally:
                session.remove()

    return Actors(
        run_timers=_actor(run_timers, broker, "tandem.run_timers"),
        # Passing failures are retried by the database (backoff in deliver_after); Dramatiq's
        # retries cover a crash of the batch itself (the database unreachable, a bug).
        deliver_notifications=dramatiq.actor(
            deliver_notifications,
            broker=broker,
            actor_name="tandem.deliver_notifications",
            queue_name=QUEUE,
            max_retries=delivery_retries,
            min_backoff=1000,
            max_backoff=60_000,
        ),
    )


def _actor(fn: Callable[..., None], broker: Broker, name: str) -> Actor:
    return dramatiq.actor(fn, broker=broker, actor_name=name, queue_name=QUEUE, max_retries=0)
