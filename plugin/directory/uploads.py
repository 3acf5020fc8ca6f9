"""A directory file uploaded in the browser: checked and previewed, kept, then imported in the background.

The file waits in ``tandem_import_upload`` between the preview and HR's
confirmation, found by an unguessable token (stored only as its hash) and only
for the login that uploaded it, for :data:`KEEP_FOR`. Confirming imports it with
:func:`.importer.import_people` — the CLI's and the API's code, one transaction —
in a thread of the web process; the page polls :func:`status`. Rows read so far
are counted in this process's memory (:data:`_PROGRESS`); the outcome is stored.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import ImportUpload
from .errors import ImportRejected, RowError
from .importer import import_people
from .preview import ImportPlan, preview_import

KEEP_FOR = timedelta(hours=1)
#: token hash -> [rows read, rows in the file], for the imports this process runs.
_PROGRESS: dict[str, list[int]] = {}
_LOCK = threading.Lock()


class UploadRefused(ValueError):
    """An upload that cannot be read at all (too large, not UTF-8, empty); ``status`` is the HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Previewed:
    """A valid file, kept: the token that finds it again and what importing it would change."""

    token: str
    plan: ImportPlan


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def decode(data: bytes, limit: int) -> str:
    """The text of an uploaded file; raise :class:`UploadRefused` when it is too large, empty or not UTF-8."""
    if len(data) > limit:
        raise UploadRefused(
            f"the file has {len(data):,} bytes, more than the limit of {limit:,} (TANDEM_IMPORT_MAX_BYTES)", 413
        )
    if not data.strip():
        raise UploadRefused("the file is empty: choose a CSV file with a header row")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        byte = error.start + 1
        raise UploadRefused(f"the file is not UTF-8 text (byte {byte} cannot be read); save it as UTF-8") from None


def preview_upload(session: Session, user_id: int, filename: str, text: str, now: datetime) -> Previewed:
    """Check ``text`` and keep it for ``user_id``'s confirmation (committed); return its token and plan.

    Raises :class:`~.errors.ImportRejected` (nothing kept) when any row is wrong.
    """
    plan = preview_import(session, io.StringIO(text, newline=""))
    session.rollback()  # the check only read: end its transaction before writing the upload
    session.execute(delete(ImportUpload).where(ImportUpload.expires_at < now))
    token = secrets.token_urlsafe(32)
    session.add(
        ImportUpload(
            token_hash=_hash(token),
            user_id=user_id,
            filename=filename[:200],
            content=text,
            rows=plan.rows,
            status="previewed",
            plan=plan.as_dict(),
            created_at=now,
            expires_at=now + KEEP_FOR,
        )
    )
    session.commit()
    return Previewed(token, plan)


def find_upload(session: Session, token: str, user_id: int, now: datetime) -> ImportUpload | None:
    """The upload ``token`` names, if ``user_id`` sent it and it has not expired (a finished one stays readable)."""
    upload = session.scalars(select(ImportUpload).where(ImportUpload.token_hash == _hash(token))).first()
    if upload is None or upload.user_id != user_id:
        return None
    expires = upload.expires_at if upload.expires_at.tzinfo else upload.expires_at.replace(tzinfo=UTC)
    if expires < now and upload.status == "previewed":
        return None
    return upload


def confirm(app: Flask, session: Session, upload: ImportUpload, source: str = "web") -> threading.Thread:
    """Mark ``upload`` running (committed) and import it in a thread of this process; return the thread.

    Raises :class:`~..models.IllegalTransition` if it was confirmed before.
    """
    upload.start()
    session.commit()
    key, total = upload.token_hash, upload.rows
    with _LOCK:
        _PROGRESS[key] = [0, total]
    thread = threading.Thread(target=_run, args=(app, upload.id, key, source), name="tandem-import", daemon=True)
    thread.start()
    return thread


def _count(key: str) -> Any:
    def progress(rows: int) -> None:
        with _LOCK:
            _PROGRESS[key][0] += rows

    return progress


def _run(app: Flask, upload_id: int, key: str, source: str) -> None:
    """Import the kept file in one transaction, then store the outcome."""
    with app.app_context():
        session = app.appbuilder.session
        try:
            text = session.get(ImportUpload, upload_id).content
            session.rollback()
            try:
                result = import_people(session, io.StringIO(text, newline=""), source=source, progress=_count(key))
            except ImportRejected as rejected:
                session.rollback()
                _store(session, upload_id, "fail", {"errors": [e.as_dict() for e in rejected.errors]})
                return
            except Exception:
                session.rollback()
                _store(session, upload_id, "fail", {"errors": [_broken()]})
                raise
            session.commit()
            _store(session, upload_id, "finish", result.as_dict())
        finally:
            with _LOCK:
                _PROGRESS.pop(key, None)
            session.remove()


def _broken() -> dict[str, Any]:
    return RowError(1, "-", "the import stopped on an unexpected error; nothing was written").as_dict()


def _store(session: Session, upload_id: int, outcome: str, result: dict[str, Any]) -> None:
    upload = session.get(ImportUpload, upload_id)
    getattr(upload, outcome)(result)
    session.commit()


def status(upload: ImportUpload) -> dict[str, Any]:
    """Where an import stands, for the page's progress bar: status, rows read of all rows, outcome."""
    with _LOCK:
        done, total = _PROGRESS.get(upload.token_hash, [None, upload.rows])
    return {
        "status": upload.status,
        "rows": total,
        "read": upload.rows if upload.status in ("done", "failed") else done,
        "result": upload.result,
    }
