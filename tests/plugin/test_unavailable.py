"""The web survives a database restart: a request meeting a lost database gets a plain 503 "try again", not a 500."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tandem.plugin.links import make_token


def answer_link(app) -> str:
    with app.app_context():
        return f"/tandem/answer/{make_token('checkin-answer', {'checkin': 1, 'rating': 4})}"


def test_a_request_meeting_a_locked_sqlite_database_gets_a_plain_try_again_page(app):
    def held_by_another_writer():  # what SQLite raises once the busy timeout has run out
        raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))

    app.add_url_rule("/held", "held", held_by_another_writer)
    response = app.test_client().get("/held")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert "Try again in a moment" in page and "OperationalError" not in page and "locked" not in page


def test_a_database_error_that_is_not_passing_is_not_dressed_up_as_try_again(app):
    def broken():  # a missing table is a bug, not an outage
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: tandem_nothing"))

    app.add_url_rule("/broken", "broken", broken)
    with pytest.raises(OperationalError, match="no such table"):  # left to the error pages (a 500), not a 503
        app.test_client().get("/broken")


def test_a_request_during_a_postgresql_outage_gets_503_and_the_next_one_after_it_works(app, postgres_engine):
    link = answer_link(app)
    assert app.test_client().get(link).status_code == 410  # the pool now holds a connection
    database = postgres_engine.url.database
    admin = create_engine(postgres_engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:  # the server restarts: every connection cut, none accepted
        connection.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false'))
        connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"), {"d": database}
        )
    try:
        during = app.test_client().get(link)
        api = app.test_client().get("/api/v1/event/", headers={"Accept": "application/json"})
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true'))
        admin.dispose()
    assert during.status_code == 503
    assert "try again" in during.get_data(as_text=True)
    assert api.status_code in (401, 503), "an API client is never answered 500"
    assert app.test_client().get(link).status_code == 410, "pre-ping replaced the cut connection"
