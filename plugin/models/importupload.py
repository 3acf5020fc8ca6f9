"""A directory file HR uploaded: kept between its preview and HR's confirmation, then imported."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import TandemModel, one_of, utcnow
from .pairing import IllegalTransition

IMPORT_STATUSES = ("previewed", "queued", "running", "done", "failed")


class ImportUpload(TandemModel):
    """An uploaded directory CSV, found by the hash of an unguessable token and only by the login that sent it."""

    __tablename__ = "tandem_import_upload"
    __table_args__ = (one_of("status", IMPORT_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(Text)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="previewed")
    plan: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    #: Which run this is (1 for the first); a worker acts only on the run it started.
    attempt: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Until when the running worker is known alive (its heartbeat extends it).
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rows_read: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    def queue(self) -> None:
        """previewed → queued: HR confirmed the import; a worker will start it."""
        self._move(("previewed",), "queued")

    def start(self, lease_until: datetime) -> None:
        """queued → running: a worker took it, for its lease (a new attempt)."""
        self._move(("queued",), "running")
        self.attempt += 1
        self.lease_until, self.rows_read = lease_until, 0

    def lapse(self) -> None:
        """running → queued: the worker's lease ran out (it stopped); its transaction rolled back, so run it again."""
        self._move(("running",), "queued")
        self.lease_until, self.rows_read = None, 0

    def stop(self, message: str) -> None:
        """queued | running → failed: no worker can finish it; ``message`` tells HR why (nothing was written)."""
        self._move(("queued", "running"), "failed")
        self.lease_until, self.result = None, {"stopped": message}

    def retry(self) -> None:
        """failed → queued: HR tries the same file again."""
        self._move(("failed",), "queued")
        self.result, self.rows_read = None, 0

    def finish(self, result: dict[str, Any]) -> None:
        """running → done, with what the import changed (the file itself is dropped)."""
        self._move(("running",), "done")
        self.result, self.content, self.lease_until = result, "", None

    def fail(self, result: dict[str, Any]) -> None:
        """running → failed: the file was refused at import time (the directory changed since the preview)."""
        self._move(("running",), "failed")
        self.result, self.lease_until = result, None

    def _move(self, sources: tuple[str, ...], target: str) -> None:
        if self.status not in sources:
            raise IllegalTransition(f"an import that is {self.status} cannot become {target}")
        self.status = target

    def __repr__(self) -> str:
        return f"import of {self.filename or 'a file'}"
