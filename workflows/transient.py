"""Which database errors pass by themselves: a lost connection, a shutdown, a deadlock, a serialization failure.

Such an error says nothing about the step that met it, so it never counts as
one of the step's attempts (nor fails a notification): the message carrying
the step is retried soon by Dramatiq instead (see :mod:`tandem.workflows.actors`).
"""

from __future__ import annotations

from sqlalchemy import exc

# SQLSTATE classes and codes that a retry can get past (PostgreSQL, and the same codes in other drivers).
TRANSIENT_SQLSTATES = ("08", "40001", "40P01", "57P01", "57P02", "57P03", "53300", "55P03")


def is_transient(error: BaseException | None) -> bool:
    """True when ``error`` (or what caused it) is a database error that passes by itself."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, exc.DisconnectionError):
            return True
        if isinstance(error, exc.OperationalError):
            # SQLite reports a missing table as "operational" too: only its busy database passes by itself.
            sqlite = type(error.orig).__module__ == "sqlite3"
            return not sqlite or any(word in str(error.orig) for word in ("locked", "busy"))
        if isinstance(error, exc.PendingRollbackError) and is_transient(error.__context__):
            return True
        code = getattr(error, "sqlstate", None) or getattr(getattr(error, "orig", None), "sqlstate", None)
        if isinstance(code, str) and code.startswith(TRANSIENT_SQLSTATES):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False
