"""Check-ins the engine opens and marks missed (Core bulk inserts and updates) are kept in the report data too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine_support import buddy_programme, drain, post_event
from organisation import build
from sqlalchemy import func, select
from test_rollups_kept import assert_kept_equals_rebuilt

from tandem.plugin.models import CheckIn, Person
from tandem.plugin.reports import manager_report
from tandem.workflows.clock import FrozenClock

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def test_the_engines_check_ins_count_in_the_new_hires_managers_report_as_they_open_and_lapse(app):
    org = build(app)
    buddy_programme(app, org)
    clock = FrozenClock(MONDAY)
    post_event(app, "employee.hired", "E4", "hire-1")
    drain(app, clock)
    for days in (8, 8, 8):  # the first check-in opens, then lapses; the next ones follow
        clock.advance(timedelta(days=days))
        drain(app, clock)
    with app.app_context():
        session = app.appbuilder.session
        manager_id = session.get(Person, org.people["dev1"]).manager_id
        due = session.scalar(select(func.count()).where(CheckIn.respondent_id == org.people["dev1"]))
        report = manager_report(session, manager_id, clock.now(), 0)
    assert due > 0
    assert sum(row["due"] for row in report["checkins_by_month"]) >= due
    assert_kept_equals_rebuilt(app)
