"""When the database is unreachable (restarting, failing over): a plain 503 "try again" page, never a 500.

Connections are checked before use (``pool_pre_ping``), so a request after a
restart gets a fresh connection; a request that meets the restart itself
gets this page, its transaction rolled back and the broken connection dropped.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, request
from sqlalchemy.exc import DisconnectionError, OperationalError

from tandem.workflows.transient import is_transient

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Try again in a moment</title></head>
<body><h1>Try again in a moment</h1>
<p>Tandem cannot reach its database just now (it may be restarting). Nothing you sent was lost or half-saved:
please try again in a few seconds.</p></body></html>
"""


def try_again(error: Exception) -> Response:
    """The 503 page for a database that is briefly away; any other database error goes on as before (a 500)."""
    if not is_transient(error):
        raise error
    try:
        current_app.appbuilder.session.rollback()
    except Exception:  # the connection is gone: the pool replaces it
        log.debug("rollback after a lost connection failed", exc_info=True)
    log.warning("database unavailable for %s %s: %s", request.method, request.path, error)
    wants_json = request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"
    if wants_json:
        response = Response(
            '{"message": "The database is briefly unavailable: try again."}\n', 503, mimetype="application/json"
        )
    else:
        response = Response(PAGE, 503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def end_session_quietly(error: BaseException | None) -> None:
    """End the request's session; a connection that died meanwhile is dropped, not turned into a 500.

    Registered after Flask-SQLAlchemy's own teardown, so it runs first: the
    response is already made, and a rollback on a connection the database cut
    (a restart under way) must not replace it with an error.
    """
    session = current_app.appbuilder.session
    try:
        session.remove()
    except Exception as lost:
        if not is_transient(lost):
            raise
        session.registry.clear()  # its connection is invalidated; the pool opens a new one
        log.warning("dropped a session whose connection the database cut: %s", lost)


def install(app: Flask) -> None:
    """Answer requests that meet a lost database connection with 503 and ``Retry-After``."""
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {}).setdefault("pool_pre_ping", True)
    for error in (OperationalError, DisconnectionError):
        app.register_error_handler(error, try_again)


def install_teardown(app: Flask) -> None:
    """Register :func:`end_session_quietly`, after Flask-SQLAlchemy's ``init_app`` (teardowns run last first)."""
    app.teardown_appcontext(end_session_quietly)
