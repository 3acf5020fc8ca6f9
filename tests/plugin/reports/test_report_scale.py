"""Report queries bind a fixed number of parameters, however large the organisation."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest
from organisation import PASSWORD, build, login
from sqlalchemy import event, insert

from tandem.plugin.models import Person
from tandem.plugin.rollups import rebuild

# SQLite refuses a statement with more bound variables than its limit: 999 by default before 3.32, 32,766
# since, 250,000 in Debian's build. The test sets the historic 999 and gives a manager more direct reports.
VARIABLE_LIMIT = 999
DIRECT_REPORTS = 1_500


@pytest.fixture
def small_variable_limit(app):
    """Every new SQLite connection of ``app`` binds at most VARIABLE_LIMIT variables per statement."""
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's variable limit; PostgreSQL's is 65,535 and the queries bind one array")

    def limit(dbapi_connection, _record):
        dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, VARIABLE_LIMIT)

    event.listen(engine, "connect", limit)
    engine.dispose()
    yield
    event.remove(engine, "connect", limit)


def test_a_manager_with_more_direct_reports_than_sqlite_can_bind_gets_the_csv(app, small_variable_limit):
    org = build(app)
    with app.app_context():
        session = app.appbuilder.session
        rows = [
            {
                "employee_id": f"W{i}",
                "full_name": f"Worker {i}",
                "email": f"w{i}@example.org",
                "manager_id": org.people["head"],
                "status": "active",
                "skills": [],
                "interests": [],
                "languages": [],
            }
            for i in range(DIRECT_REPORTS)
        ]
        for start in range(0, len(rows), 100):  # Core, in statements below the limit; past the ORM's tracking
            session.connection().execute(insert(Person.__table__), rows[start : start + 100])
        rebuild(session)
        session.commit()
    client = app.test_client()
    login(client, "manager", PASSWORD)
    exported = client.get("/mentoring/reports/manager.csv")
    assert exported.status_code == 200, exported.get_data(as_text=True)[:300]
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert any("Direct reports who lead no team" in row for row in rows)
    assert client.get("/mentoring/reports/manager").status_code == 200
