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

    def enqueue(self, timer_ids: list[int]) -> int:
        """Send ``timer_ids`` in batches; returns the number of messages."""
        messages = 0
        for start in range(0, len(timer_ids), BATCH):
            self.run_timers.send(timer_ids[start : start + BATCH])
            messages += 1
        return messages


def declare(broker: Broker, app: Flask, clock: Clock | None = None) -> Actors:
    """Declare Tandem's actors on ``broker``, running inside ``app``."""
    clock = clock or SystemClock()

    def run_timers(timer_ids: list[int]) -> None:
        with app.app_context():
            session = app.appbuilder.session
            try:
                jobs.run_timers(session, timer_ids, clock)
            finally:
                session.remove()

    return Actors(run_timers=_actor(run_timers, broker, "tandem.run_timers"))


def _actor(fn: Callable[..., None], broker: Broker, name: str) -> Actor:
    return dramatiq.actor(fn, broker=broker, actor_name=name, queue_name=QUEUE, max_retries=0)
