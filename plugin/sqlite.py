"""SQLite tuned for a web site and a worker sharing one file: WAL and a busy timeout on every connection.

In WAL mode readers never wait for a writer (a long import does not block the
pages), and the busy timeout makes a second writer wait its turn instead of
failing at once with "database is locked". PostgreSQL connections are left alone.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import Any

from flask import Flask
from sqlalchemy import event

BUSY_TIMEOUT_MS = 30_000


def _tune(dbapi_connection: Any, connection_record: Any) -> None:
    """On each new SQLite connection: WAL (for a file) and the busy timeout."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA database_list")
        files = [row[2] for row in cursor.fetchall() if row[1] == "main"]
        if files and files[0]:
            # A no-op once the file is in WAL mode; if another process holds the file just now,
            # a later connection switches it.
            with contextlib.suppress(sqlite3.OperationalError):
                cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def install(app: Flask) -> None:
    """Tune every SQLite connection ``app``'s engines open from now on (idempotent); their pools start afresh.

    Only the app's own engines (Flask-SQLAlchemy's): other engines in the process are left alone.
    """
    if "sqlalchemy" not in app.extensions:
        return
    with app.app_context():
        engines = list(app.extensions["sqlalchemy"].engines.values())
    for engine in engines:
        if engine.dialect.name != "sqlite":
            continue
        if not event.contains(engine, "connect", _tune):
            event.listen(engine, "connect", _tune)
        engine.dispose()
