"""The engine on a real database: an event becomes an instance, timers, pairings, check-ins and mail — once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from engine_support import as_utc, buddy_programme, count, drain, post_event
from organisation import build
from simple_matcher import SimpleMatcher
from sqlalchemy import select

from tandem.plugin.models import CheckIn, Incident, Notification, Pairing, Timer, WorkflowInstance
from tandem.workflows import operations
from tandem.workflows.clock import FrozenClock
from tandem.workflows.jobs import MAX_ATTEMPTS, run_timer

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
ONBOARDING = Pairing.programme.has(slug="onboarding-buddies")
BY_ENGINE_CHECKIN = CheckIn.instance_id.is_not(None)
BY_ENGINE_MAIL = Notification.idempotency_key.like("wf:%")


@pytest.fixture
def org(app):
    org = build(app)
    buddy_programme(app, org)
    return org


def hire(app, employee_id="E4", event_id="hire-1"):
    post_event(app, "employee.hired", employee_id, event_id)


def instance(app) -> WorkflowInstance:
    with app.app_context():
        row = app.appbuilder.session.scalars(select(WorkflowInstance)).one()
        app.appbuilder.session.expunge(row)
        return row


def test_a_hire_starts_onboarding_pairs_a_buddy_outside_the_reporting_line_and_introduces_both(app, org):
    clock = FrozenClock(MONDAY)
    hire(app)
    drain(app, clock)
    started = instance(app)
    assert (started.status, started.subject_id) == ("running", org.people["dev1"])
    with app.app_context():
        pairing = app.appbuilder.session.scalars(select(Pairing).where(ONBOARDING)).one()
        assert pairing.mentee_id == org.people["dev1"]
        assert pairing.mentor_id in {org.people["sales_head"], org.people["hrp"]}
        assert pairing.score_breakdown
        introductions = app.appbuilder.session.scalars(
            select(Notification.recipient_id).where(Notification.template == "onboarding/introduction")
        ).all()
        assert sorted(introductions) == sorted([pairing.mentee_id, pairing.mentor_id])


def test_a_week_later_both_get_a_check_in_in_the_morning(app, org):
    clock = FrozenClock(MONDAY)
    hire(app)
    drain(app, clock)
    clock.advance(timedelta(days=8))
    drain(app, clock)
    assert count(app, CheckIn, BY_ENGINE_CHECKIN, CheckIn.sequence == 1, CheckIn.status == "open") == 2
    assert count(app, Notification, BY_ENGINE_MAIL, Notification.template == "checkin/prompt") == 2


def test_the_same_event_twice_and_every_timer_run_twice_change_nothing(app, org):
    clock = FrozenClock(MONDAY)
    hire(app)
    hire(app)
    drain(app, clock)
    clock.advance(timedelta(days=8))
    drain(app, clock)
    before = (
        count(app, Notification, BY_ENGINE_MAIL),
        count(app, CheckIn, BY_ENGINE_CHECKIN),
        count(app, Pairing, ONBOARDING),
        count(app, WorkflowInstance),
    )
    with app.app_context():
        session = app.appbuilder.session
        done = session.scalars(select(Timer.id).where(Timer.status == "done")).all()
        assert len(done) >= 3
        for timer_id in done:
            assert run_timer(session, timer_id, clock) == "skipped"
            session.execute(Timer.__table__.update().where(Timer.id == timer_id).values(status="pending"))
            session.commit()
            run_timer(session, timer_id, clock)
    after = (
        count(app, Notification, BY_ENGINE_MAIL),
        count(app, CheckIn, BY_ENGINE_CHECKIN),
        count(app, Pairing, ONBOARDING),
        count(app, WorkflowInstance),
    )
    # e-mails: the introduction, the 30-day pulse (waiting in the outbox) and check-in 1, to both
    assert after == before == (6, 2, 1, 1)


class BrokenMatcher(SimpleMatcher):
    def find(self, *args, **kwargs):
        raise ConnectionError("matching service unreachable")


def test_a_step_that_keeps_failing_becomes_an_incident_and_retry_from_the_inbox_completes_it(app, org):
    clock = FrozenClock(MONDAY)
    hire(app)
    drain(app, clock, matcher=BrokenMatcher())
    with app.app_context():
        first_retry = app.appbuilder.session.scalar(select(Timer.due_at).where(Timer.key == "dispatch"))
    assert as_utc(first_retry) == MONDAY + timedelta(seconds=5), "an event dispatch is retried soon"
    for _ in range(MAX_ATTEMPTS - 1):
        clock.advance(timedelta(hours=1))
        drain(app, clock, matcher=BrokenMatcher())
    with app.app_context():
        incident = app.appbuilder.session.scalars(select(Incident)).one()
        assert incident.status == "open"
        assert "matching service unreachable" in incident.error
        still = operations.retry(app.appbuilder.session, incident.id, clock, by="hr", matcher=BrokenMatcher())
        assert not still.closed and "matching service unreachable" in still.message
        assert app.appbuilder.session.get(Incident, incident.id).status == "open"
        fixed = operations.retry(app.appbuilder.session, incident.id, clock, by="hr")  # the service is back
        assert fixed.closed and fixed.message.startswith("Ran again and succeeded")
        assert app.appbuilder.session.get(Incident, incident.id).status == "retried"
    assert instance(app).status == "running"
    assert count(app, Pairing, ONBOARDING) == 1, "the retry ran the step itself, at once"


def test_a_leaver_cancels_their_onboarding_and_closes_the_pairing(app, org):
    clock = FrozenClock(MONDAY)
    hire(app)
    drain(app, clock)
    post_event(app, "employee.left", "E4", "left-1")
    drain(app, clock)
    assert instance(app).status == "cancelled"
    assert count(app, Pairing, ONBOARDING, Pairing.status == "closed") == 1
