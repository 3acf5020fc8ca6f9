"""Running a message's batch of due timers: all in one transaction, once, and a failure never takes the rest down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from engine_support import MATCH_LATER, BrokenMatcher, count
from organisation import build
from sqlalchemy import select

from tandem.plugin.models import CheckIn, InstanceHistory, Notification, Person, Timer, WorkflowInstance
from tandem.workflows.clock import FrozenClock
from tandem.workflows.jobs import run_timers
from tandem.workflows.runtime import WorkflowRunner
from tandem.workflows.scheduler import claim_due
from tandem.workflows.store import save_definition

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
BY_ENGINE = CheckIn.instance_id.is_not(None)
WEEKLY = """
workflow: weekly-checkin
subject: person
steps:
  - check_in: {between: [person], every: 1 day, times: 2}
"""


@pytest.fixture
def clock():
    return FrozenClock(MONDAY)


def start_for_everyone(app, clock, source, names=None) -> list[int]:
    """Start ``source`` for the named people (everyone by default); returns the instance ids."""
    with app.app_context():
        session = app.appbuilder.session
        row, _ = save_definition(session, source)
        people = session.scalars(select(Person).order_by(Person.id)).all()
        engine = WorkflowRunner(session, clock)
        ids = [engine.start(row, person).id for person in people if names is None or person.full_name in names]
        session.commit()
        return ids


def claim_and_run(app, clock, matcher=None) -> list[str]:
    with app.app_context():
        session = app.appbuilder.session
        outcomes = run_timers(session, claim_due(session, clock, "test"), clock, matcher)
        session.remove()
        return outcomes


def test_a_batch_of_due_prompts_opens_every_check_in_and_writes_every_notification(app, clock):
    build(app)
    instances = start_for_everyone(app, clock, WEEKLY)
    clock.advance(timedelta(days=1, hours=1))
    outcomes = claim_and_run(app, clock)
    assert outcomes == ["done"] * len(instances)
    assert count(app, CheckIn, BY_ENGINE, CheckIn.sequence == 1, CheckIn.status == "open") == len(instances)
    assert count(app, Notification, Notification.template == "checkin/prompt") == len(instances)
    assert count(app, InstanceHistory, InstanceHistory.signal.like("timer %")) == len(instances)


def test_the_same_batch_delivered_again_changes_nothing(app, clock):
    build(app)
    start_for_everyone(app, clock, WEEKLY)
    clock.advance(timedelta(days=1, hours=1))
    with app.app_context():
        session = app.appbuilder.session
        ids = claim_due(session, clock, "test")
        run_timers(session, ids, clock)
        assert run_timers(session, ids, clock) == ["skipped"] * len(ids), "a redelivered message is skipped"
        session.execute(Timer.__table__.update().where(Timer.id.in_(ids)).values(status="claimed"))
        session.commit()
        run_timers(session, ids, clock)  # a worker that died between commit and ack, run again
        session.remove()
    assert count(app, CheckIn, BY_ENGINE, CheckIn.sequence == 1) == len(ids)
    assert count(app, Notification, Notification.template == "checkin/prompt") == len(ids)


def test_one_failing_step_is_retried_alone_and_the_rest_of_its_batch_completes(app, clock):
    build(app)
    weekly = start_for_everyone(app, clock, WEEKLY)
    failing = start_for_everyone(app, clock, MATCH_LATER, names={"Dev1"})
    clock.advance(timedelta(days=1, hours=1))
    outcomes = claim_and_run(app, clock, BrokenMatcher())
    assert sorted(outcomes) == sorted(["done"] * len(weekly) + ["retry"])
    assert count(app, CheckIn, BY_ENGINE, CheckIn.sequence == 1) == len(weekly)
    with app.app_context():
        timer = app.appbuilder.session.scalars(select(Timer).where(Timer.instance_id == failing[0])).one()
        assert (timer.status, timer.attempts) == ("pending", 1)
        assert "matching service unreachable" in timer.last_error


def test_two_due_timers_of_one_instance_in_one_batch_both_run_in_turn(app, clock):
    build(app)
    [instance_id] = start_for_everyone(app, clock, WEEKLY, names={"Dev1"})
    with app.app_context():
        session = app.appbuilder.session
        session.add(Timer(instance_id=instance_id, key="v9.superseded", due_at=MONDAY, dedupe_key="stale"))
        session.commit()
    clock.advance(timedelta(days=1, hours=1))
    assert claim_and_run(app, clock) == ["done", "done"]
    with app.app_context():
        session = app.appbuilder.session
        history = select(InstanceHistory.signal).where(InstanceHistory.instance_id == instance_id)
        signals = session.scalars(history.order_by(InstanceHistory.id)).all()
        assert signals[0] == "start" and len(signals) == 3, "each timer leaves its own history row"
        assert session.get(WorkflowInstance, instance_id).status == "running"
    assert count(app, CheckIn, BY_ENGINE, CheckIn.sequence == 1) == 1
