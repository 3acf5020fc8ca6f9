"""Lateness bounded by the fault, not the lease: released claims, busy timers retried, transient errors not counted."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import dramatiq
import pytest
from engine_support import count
from organisation import build
from services import free_port
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

from tandem.plugin.models import Incident, Person, Timer
from tandem.workflows.actors import PublishFailed, declare
from tandem.workflows.broker import make_broker
from tandem.workflows.clock import FrozenClock
from tandem.workflows.jobs import busy_ids, run_timers
from tandem.workflows.runtime import WorkflowRunner
from tandem.workflows.scheduler import claim_due
from tandem.workflows.service import schedule_once
from tandem.workflows.store import save_definition
from tandem.workflows.transient import is_transient

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
WAIT = """
workflow: wait-a-second
subject: person
steps:
  - wait: {for: 1 second}
  - close: {reason: done}
"""


@pytest.fixture
def clock():
    return FrozenClock(MONDAY)


@pytest.fixture
def due_timers(app, clock):
    """Everyone's one-second wait, due now; returns how many."""
    build(app)
    with app.app_context():
        session = app.appbuilder.session
        row, _ = save_definition(session, WAIT)
        engine = WorkflowRunner(session, clock)
        people = session.scalars(select(Person).order_by(Person.id)).all()
        for person in people:
            engine.start(row, person)
        session.commit()
    clock.advance(timedelta(seconds=2))
    return len(people)


def timer_states(app):
    with app.app_context():
        return sorted(set(app.appbuilder.session.execute(select(Timer.status, Timer.lease_until)).all()))


def test_claims_whose_message_could_not_be_published_are_released_at_once(app, clock, due_timers):
    broker = make_broker(f"amqp://guest:guest@127.0.0.1:{free_port()}/%2F")  # nothing listens there
    try:
        with pytest.raises(PublishFailed) as failure:
            schedule_once(app, declare(broker, app, clock), clock, "scheduler-a")
    finally:
        broker.close()
    assert len(failure.value.unsent) == due_timers
    assert timer_states(app) == [("pending", None)], "back in the queue, no lease to wait out"


def test_a_timer_another_transaction_holds_is_busy_and_sent_again_shortly(app, clock, due_timers, postgres_engine):
    with app.app_context():
        session = app.appbuilder.session
        ids = claim_due(session, clock, "scheduler-a")
        session.remove()
    held = ids[0]
    with postgres_engine.connect() as other:  # a worker killed mid-transaction: the server has not dropped it yet
        other.execute(text("SELECT id FROM tandem_timer WHERE id = :id FOR UPDATE"), {"id": held})
        broker = make_broker(None)
        actors = declare(broker, app, clock)
        actors.run_timers(ids)
        with app.app_context():
            session = app.appbuilder.session
            outcomes = run_timers(session, [held], clock)
            session.remove()
        other.rollback()
    assert busy_ids(outcomes) == [held]
    with app.app_context():
        assert app.appbuilder.session.get(Timer, held).status == "claimed", "not acknowledged as done"
    [again] = [dramatiq.Message.decode(data) for data in broker.queues["tandem.DQ"].queue]
    assert again.args[0] == [held], "the actor sent the busy timer again"
    assert again.options["eta"] - again.message_timestamp <= 2000, "within seconds, not a lease"


def test_a_lost_database_connection_is_raised_for_a_retry_and_never_counted_against_the_step(
    app, clock, due_timers, postgres_engine
):
    with app.app_context():
        session = app.appbuilder.session
        ids = claim_due(session, clock, "scheduler-a")
        pid = session.scalar(text("SELECT pg_backend_pid()"))
        with postgres_engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            other.commit()
        with pytest.raises(OperationalError) as lost:
            run_timers(session, ids, clock)
        session.remove()
    assert is_transient(lost.value)
    with app.app_context():
        attempts = app.appbuilder.session.scalars(select(Timer.attempts)).all()
    assert set(attempts) == {0}
    assert count(app, Incident) == 0


def test_a_busy_sqlite_database_is_transient_and_a_missing_table_is_not(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}", connect_args={"timeout": 0})
    holder = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    with engine.connect() as connection, pytest.raises(OperationalError) as locked:
        connection.execute(text("SELECT * FROM t"))
    holder.execute("ROLLBACK")
    with engine.connect() as connection, pytest.raises(OperationalError) as missing:
        connection.execute(text("SELECT * FROM no_such_table"))
    holder.close()
    engine.dispose()
    assert is_transient(locked.value)
    assert not is_transient(missing.value)


def test_a_message_that_fails_for_good_becomes_an_incident_in_the_operations_inbox(app, clock):
    broker = make_broker(None)
    actors = declare(broker, app, clock)
    worker = dramatiq.Worker(broker, worker_timeout=50)
    worker.start()
    try:
        actors.run_timers.send("not a list of ids")
        broker.join("tandem", fail_fast=False)
        worker.join()
    finally:
        worker.stop()
        broker.close()
    with app.app_context():
        [incident] = app.appbuilder.session.scalars(select(Incident)).all()
    assert incident.summary.startswith("A message for")
    assert "dead-lettered" in incident.summary
    assert "tandem.run_timers" in incident.error
