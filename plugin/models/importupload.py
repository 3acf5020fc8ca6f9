"""A directory file HR uploaded: kept between its preview and HR's confirmation, then imported."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import TandemModel, one_of, utcnow
from .pairing import IllegalTransition

IMPORT_STATUSES = ("previewed", "running", "done", "failed")


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

    def start(self) -> None:
        """previewed → running: HR confirmed the import."""
        self._move("previewed", "running")

    def finish(self, result: dict[str, Any]) -> None:
        """running → done, with what the import changed (the file itself is dropped)."""
        self._move("running", "done")
        self.result, self.content = result, ""

    def fail(self, result: dict[str, Any]) -> None:
        """running → failed: the file was refused at import time (the directory changed since the preview)."""
        self._move("running", "failed")
        self.result = result

    def _move(self, source: str, target: str) -> None:
        if self.status != source:
            raise IllegalTransition(f"an import that is {self.status} cannot become {target}")
        self.status = target

    def __repr__(self) -> str:
        return f"import of {self.filename or 'a file'}"
