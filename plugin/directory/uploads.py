"""A directory file uploaded in the browser: checked and previewed, kept, then imported in the background.

The file waits in ``tandem_import_upload`` between the preview and HR's
confirmation, found by an unguessable token (stored only as its hash) and only
for the login that uploaded it, for :data:`KEEP_FOR`. Confirming queues it for
the engine's workers (:mod:`.jobs`), which import it with
:func:`.importer.import_people` — the CLI's and the API's code, one
transaction; the page polls :func:`status`, read from the row.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import ImportUpload
from .preview import ImportPlan, preview_import

KEEP_FOR = timedelta(hours=1)


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


def status(upload: ImportUpload) -> dict[str, Any]:
    """Where an import stands, for the page's progress bar: status, rows read of all rows, outcome."""
    return {
        "status": upload.status,
        "rows": upload.rows,
        "read": upload.rows_read if upload.status == "running" else upload.rows if upload.status == "done" else 0,
        "result": upload.result,
    }
