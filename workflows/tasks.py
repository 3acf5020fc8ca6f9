"""Background tasks the features register: one row id per message, run on the engine's workers.

A feature registers a task under a name (:meth:`.extensions.Extensions.add_task`);
:func:`.actors.declare` declares one thin actor per task on every broker, so
``tandem worker`` and the embedded workers of ``tandem serve`` run them alike.
:func:`send_task` sends a row id from any process of the app: to the workers
started in this process if there are any, else to ``TANDEM_BROKER_URL``, else
(the embedded default, no configuration) to worker threads it starts here.

The row is the truth (rule 1): a task marks its own progress on the row, takes
a lease it extends while it works, and is safe to run twice. A task that finds
its row still leased to another worker raises :class:`TryLater`; the actor
sends the id again after that many seconds.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from .actors import Actors

#: ``app.extensions`` keys: the actors of workers running in this process, and a publisher of our own.
RUNNING = "tandem.workflows.tasks.running"
PUBLISHER = "tandem.workflows.tasks.publisher"
OWN_WORKERS = "tandem.workflows.tasks.own_workers"
_LOCK = threading.Lock()


class TryLater(Exception):
    """Not now: the row is busy (leased to another worker); send the id again after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"busy; again in {seconds:.1f} s")
        self.seconds = seconds


def actor_name(name: str) -> str:
    """The Dramatiq actor name of task ``name``."""
    return f"tandem.task.{name}"


def remember(app: Flask, actors: Actors) -> None:
    """Workers run in this process on ``actors``' broker: send tasks there."""
    app.extensions[RUNNING] = actors


def forget(app: Flask, actors: Actors) -> None:
    """The workers of ``actors`` stopped."""
    if app.extensions.get(RUNNING) is actors:
        del app.extensions[RUNNING]


def send_task(app: Flask, name: str, row_id: int) -> None:
    """Send ``row_id`` to task ``name`` on the workers; raises if the broker does not take it."""
    _actors(app).tasks[name].send(row_id)


def _actors(app: Flask) -> Actors:
    found = app.extensions.get(RUNNING)
    if found is not None:
        return found
    with _LOCK:
        found = app.extensions.get(RUNNING) or app.extensions.get(PUBLISHER)
        if found is not None:
            return found
        url = app.config.get("TANDEM_BROKER_URL")
        if url:
            from .actors import declare
            from .broker import make_broker

            found = app.extensions[PUBLISHER] = declare(make_broker(url), app)
            return found
        from .service import start_workers

        # The embedded default: nobody runs workers for this app, so run them here (as ``tandem serve`` does).
        runtime = app.extensions[OWN_WORKERS] = start_workers(app, threads=1, with_scheduler=False)
        return runtime.actors


def stop_own(app: Flask) -> None:
    """Stop the workers, or close the publisher, that :func:`send_task` started for ``app`` (tests, shutdown)."""
    with _LOCK:
        runtime = app.extensions.pop(OWN_WORKERS, None)
        publisher = app.extensions.pop(PUBLISHER, None)
    if runtime is not None:
        runtime.stop()
    if publisher is not None:
        publisher.run_timers.broker.close()
