"""Check-ins the engine opens and marks missed (Core bulk inserts and updates) are kept in the report data too."""

from __future__ import annotations

from datetime import timedelta

from engine_support import drain
from selfservice_support import onboarding_with_an_open_check_in
from sqlalchemy import func, select
from test_rollups_kept import assert_kept_equals_rebuilt

from tandem.plugin.models import CheckIn, Person
from tandem.plugin.reports import manager_report
from tandem.plugin.scoping import reporting_subtree


def test_the_engines_check_ins_count_in_the_new_hires_managers_report_as_they_open_and_lapse(app):
    org, clock = onboarding_with_an_open_check_in(app)
    for _ in range(2):  # the first check-in lapses while the next ones open
        clock.advance(timedelta(days=8))
        drain(app, clock)
    with app.app_context():
        session = app.appbuilder.session
        manager_id = session.get(Person, org.people["dev1"]).manager_id
        subtree = reporting_subtree(manager_id).subquery()
        due = session.scalar(
            select(func.count(CheckIn.id)).where(
                CheckIn.respondent_id.in_(select(subtree.c.id)), CheckIn.status != "cancelled"
            )
        )
        engine_made = session.scalar(
            select(func.count(CheckIn.id)).where(
                CheckIn.respondent_id == org.people["dev1"], CheckIn.instance_id.is_not(None)
            )
        )
        report = manager_report(session, manager_id, clock.now(), 0)
    assert engine_made >= 2
    assert sum(row["due"] for row in report["checkins_by_month"]) == due
    assert_kept_equals_rebuilt(app)
