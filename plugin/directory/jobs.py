"""A confirmed directory import, run on the engine's workers: the task ``directory import``.

The page queues the upload (``previewed → queued``) and sends its id
(:func:`queue_import`); a worker takes it (``queued → running``, attempt n,
a lease), imports the file and marks it done in **one** transaction, so it is
imported once or not at all. While it works, a heartbeat in its own connection
extends the lease and stores the rows read (any web process shows them).

A worker that dies mid-import leaves its transaction rolled back and its lease
running out. Then the message, redelivered, runs it again once the lease has
run out (``running → queued → running``, :func:`run_import`); an upload nobody
takes over within one more lease is failed with words HR can read (``stop``,
:func:`settle_one`) when the page or the hourly sweep looks at it, and HR may
try again (``failed → queued``).
"""

from __future__ import annotations

import io
import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tandem.workflows.clock import Clock
from tandem.workflows.tasks import TryLater, send_task
from tandem.workflows.transient import is_transient

from ..models import IllegalTransition, ImportUpload
from ..settings import settings
from .errors import ImportRejected, RowError
from .importer import import_people

log = logging.getLogger(__name__)

TASK = "directory import"
#: How long a confirmed import may wait for a worker before HR is told none took it.
QUEUE_WAIT = timedelta(minutes=10)
#: Runs of one upload before it is failed (a file that kills its worker every time).
MAX_ATTEMPTS = 3
STOPPED = "the worker importing this file stopped {times} before it ended; nothing was written"
NOT_STARTED = (
    "no worker started this import within {minutes} minutes; nothing was written (is `tandem worker` running?)"
)
NOT_SENT = "the job queue could not be reached; nothing was written"


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _lease() -> timedelta:
    return timedelta(seconds=settings().import_lease_seconds)


def queue_import(app: Flask, session: Session, upload: ImportUpload, now: datetime) -> None:
    """HR confirmed (or retried) ``upload``: mark it queued (committed) and send its id to the workers.

    Raises :class:`~..models.IllegalTransition` if it is queued, running or done already.
    """
    if upload.status == "failed":
        if not upload.content:
            raise IllegalTransition("the file of this import is gone: upload it again")
        upload.retry()
    else:
        upload.queue()
    upload.lease_until = now + QUEUE_WAIT
    session.commit()
    try:
        send_task(app, TASK, upload.id)
    except Exception:
        log.exception("could not send directory import %s to the workers", upload.id)
        session.rollback()
        settle_one(session, upload.id, now, reason=NOT_SENT)
        session.commit()


def run_import(session: Session, upload_id: int, clock: Clock) -> None:
    """The task: import upload ``upload_id`` once (a no-op when it is done, failed or someone else's run)."""
    now = clock.now()
    upload = session.scalars(
        select(ImportUpload)
        .where(ImportUpload.id == upload_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if upload is None or upload.status in ("done", "failed", "previewed"):
        session.rollback()
        return
    if upload.status == "running":
        lease = _aware(upload.lease_until)
        if lease is not None and lease > now:
            raise TryLater((lease - now).total_seconds() + 0.5)  # its worker may be alive: look again then
        if upload.attempt >= MAX_ATTEMPTS:
            upload.stop(STOPPED.format(times=f"{upload.attempt} times"))
            session.commit()
            return
        upload.lapse()
    lease = _lease()
    upload.start(now + lease)
    attempt, text = upload.attempt, upload.content
    session.commit()
    heartbeat = Heartbeat(current_app._get_current_object(), upload_id, attempt, lease)
    heartbeat.start()
    try:
        try:
            outcome, result = _import(session, text, heartbeat)
        except Exception as error:
            if is_transient(error):
                raise  # the database went away: the actor sends it again, and the next run takes over the lease
            log.exception("directory import %s stopped on an unexpected error", upload_id)
            session.rollback()
            outcome, result = "fail", {"errors": [unexpected_error()]}
        heartbeat.stop()
        _end(session, upload_id, attempt, outcome, result)
    finally:
        heartbeat.stop()


def _end(session: Session, upload_id: int, attempt: int, outcome: str, result: dict[str, Any]) -> None:
    """Mark this run's outcome in the import's own transaction and commit both: imported once or not at all."""
    mine = session.scalars(
        select(ImportUpload)
        .where(ImportUpload.id == upload_id, ImportUpload.attempt == attempt, ImportUpload.status == "running")
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if mine is None:  # our lease lapsed and another run took over: that run decides
        session.rollback()
        return
    getattr(mine, outcome)(result)
    mine.rows_read = mine.rows
    session.commit()


def _import(session: Session, text: str, heartbeat: Heartbeat) -> tuple[str, dict[str, Any]]:
    """Write the file in the session's transaction (not committed); ``("finish" | "fail", result)``."""
    try:
        result = import_people(session, io.StringIO(text, newline=""), source="web", progress=heartbeat.count)
    except ImportRejected as rejected:
        session.rollback()
        return "fail", {"errors": [error.as_dict() for error in rejected.errors]}
    return "finish", result.as_dict()


class Heartbeat:
    """Extends a running import's lease and stores its rows read, in a connection of its own, every second."""

    EVERY = 1.0

    def __init__(self, app: Flask, upload_id: int, attempt: int, lease: timedelta) -> None:
        self.engine = app.extensions["sqlalchemy"].engine
        self.upload_id, self.attempt, self.lease = upload_id, attempt, lease
        self.read = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="tandem-import-heartbeat", daemon=True)

    def count(self, rows: int) -> None:
        """The importer's progress callback: ``rows`` more rows handled."""
        self.read += rows

    def start(self) -> None:
        """Beat until :meth:`stop`."""
        self._thread.start()

    def stop(self) -> None:
        """Stop beating. A beat under way may still land; it changes nothing once the run has ended.

        Not joined: on SQLite that beat may be waiting for the import's own write lock.
        """
        self._stop.set()

    def _beat(self) -> None:
        while not self._stop.wait(self.EVERY):
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        update(ImportUpload)
                        .where(
                            ImportUpload.id == self.upload_id,
                            ImportUpload.attempt == self.attempt,
                            ImportUpload.status == "running",
                        )
                        .values(lease_until=datetime.now(UTC) + self.lease, rows_read=self.read)
                    )
            except Exception:  # the database is away for a moment (or SQLite's writer is the import): beat again
                log.warning("directory import %s: heartbeat failed", self.upload_id, exc_info=True)


def settle_one(session: Session, upload_id: int, now: datetime, reason: str | None = None) -> ImportUpload | None:
    """Fail upload ``upload_id`` if no worker will end it: a lapsed lease, or queued too long (not committed).

    With ``reason``, a queued upload is failed at once with those words (its message was never sent).
    """
    upload = session.scalars(
        select(ImportUpload)
        .where(ImportUpload.id == upload_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if upload is None or upload.status not in ("queued", "running"):
        return upload
    lease = _aware(upload.lease_until)
    if reason is not None and upload.status == "queued":
        upload.stop(reason)
    elif upload.status == "queued" and lease is not None and lease <= now:
        upload.stop(NOT_STARTED.format(minutes=int(QUEUE_WAIT.total_seconds() // 60)))
    elif upload.status == "running" and (lease is None or lease + _lease() <= now):
        # A lease run out by one more lease: the redelivered message (which takes over at once) did not come.
        upload.stop(STOPPED.format(times="once" if upload.attempt == 1 else f"{upload.attempt} times"))
    return upload


def sweep_stalled_imports(session: Session, clock: Clock) -> str | None:
    """The hourly sweep: fail every import whose worker is gone (nobody is looking at its page)."""
    now = clock.now()
    ids = session.scalars(
        select(ImportUpload.id).where(ImportUpload.status.in_(("queued", "running")), ImportUpload.lease_until <= now)
    ).all()
    failed = 0
    for upload_id in ids:
        upload = settle_one(session, upload_id, now)
        failed += upload is not None and upload.status == "failed"
    return f"failed {failed} stalled import(s)" if failed else None


def unexpected_error() -> dict[str, Any]:
    """The result of an import that stopped on a bug (never a traceback on the page)."""
    return RowError(1, "-", "the import stopped on an unexpected error; nothing was written").as_dict()
