"""The batch path (Core rows, one statement per table) writes exactly what running each timer on its own writes.

The same mixed day runs twice, each on a fresh copy of the database: once as
workers run it (``run_timers``: the batch path, with what it hands back run on
ORM objects), once one timer per transaction (``run_timer``). Every row the
engine writes must come out the same. On PostgreSQL in tox's postgres env
(``TANDEM_TEST_DATABASE=postgres``), on SQLite otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from conftest import close_app, open_app
from engine_support import MATCH_LATER, BrokenMatcher
from organisation import build
from sqlalchemy import select, update

from tandem.plugin.models import (
    CheckIn,
    Incident,
    InstanceHistory,
    Notification,
    Person,
    PersonStat,
    Programme,
    Timer,
    WorkflowInstance,
)
from tandem.workflows.batch import run_due_steps
from tandem.workflows.clock import FrozenClock
from tandem.workflows.jobs import run_timer, run_timers
from tandem.workflows.runtime import WorkflowRunner
from tandem.workflows.scheduler import claim_due
from tandem.workflows.store import save_definition

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
CHECK_IN = """
workflow: mix-checkin
subject: person
steps:
  - check_in: {between: [person], every: 1 day, times: 2, remind_after: 2 hours}
"""
IN_PROGRAMME = """
workflow: mix-programme
subject: person
steps:
  - check_in: {between: [person], every: 1 day, times: 1}
"""
NOTIFY_LATER = """
workflow: mix-notify
subject: person
steps:
  - wait: {for: 1 day}
  - notify: {to: [person], template: onboarding/wrap-up}
"""


def by_batch(session, ids, clock) -> list[str]:
    return run_timers(session, ids, clock, BrokenMatcher())


def one_by_one(session, ids, clock) -> list[str]:
    return [run_timer(session, timer_id, clock, BrokenMatcher()) for timer_id in ids]


def start(session, clock, source, people, programme=None) -> list[int]:
    row, _ = save_definition(session, source)
    engine = WorkflowRunner(session, clock)
    return [engine.start(row, person, programme=programme).id for person in people]


def mixed_day(app, run: Callable[..., list[str]]) -> tuple[list[str], dict[str, list[tuple]]]:
    """Prompts, check-ins in a programme, deferred notifications, a failing match, a broken instance;
    then half the check-ins answered behind the reminders' back, and the reminders. Returns the outcomes
    and every row the engine writes."""
    build(app)
    clock = FrozenClock(MONDAY)
    outcomes = []
    with app.app_context():
        session = app.appbuilder.session
        people = session.scalars(select(Person).order_by(Person.id)).all()
        mentoring = session.scalars(select(Programme).where(Programme.slug == "mentoring")).one()
        checking = start(session, clock, CHECK_IN, people)
        enrolled = [person for person in people if person.full_name in ("Dev1", "Sales1")]
        start(session, clock, IN_PROGRAMME, [*enrolled, *people[:2]], mentoring)
        start(session, clock, NOTIFY_LATER, people[::2])
        start(session, clock, MATCH_LATER, people[:1])
        # A run whose stored state no transition can read: its step fails, alone, whichever the path.
        session.execute(update(WorkflowInstance).where(WorkflowInstance.id == checking[-1]).values(state={"x": 1}))
        session.commit()
        clock.advance(timedelta(days=1, hours=1))
        outcomes += run(session, claim_due(session, clock, "test"), clock)
        # Answers whose events have not reached the engine yet: the reminders must find them at fire time.
        answered = session.scalars(select(CheckIn.id).where(CheckIn.instance_id.in_(checking[::2]))).all()
        session.execute(update(CheckIn).where(CheckIn.id.in_(answered)).values(status="completed", rating=4))
        session.commit()
        clock.advance(timedelta(hours=3))
        outcomes += run(session, claim_due(session, clock, "test"), clock)
        rows = snapshot(session)
        session.remove()
    return outcomes, rows


def snapshot(session) -> dict[str, list[tuple]]:
    """Every row the engine writes, without ids and write times (the order of inserts may differ)."""
    tables = {
        "history": select(
            InstanceHistory.instance_id,
            InstanceHistory.at,
            InstanceHistory.signal,
            InstanceHistory.status,
            InstanceHistory.step,
            InstanceHistory.effects,
        ),
        "timers": select(
            Timer.dedupe_key,
            Timer.instance_id,
            Timer.key,
            Timer.due_at,
            Timer.status,
            Timer.attempts,
            Timer.last_error,
            Timer.done_at,
            Timer.lease_until,
        ),
        "outbox": select(
            Notification.idempotency_key,
            Notification.recipient_id,
            Notification.channel,
            Notification.template,
            Notification.context,
            Notification.deliver_after,
            Notification.status,
        ),
        "check-ins": select(
            CheckIn.idempotency_key,
            CheckIn.pairing_id,
            CheckIn.enrolment_id,
            CheckIn.respondent_id,
            CheckIn.sequence,
            CheckIn.due_at,
            CheckIn.status,
            CheckIn.instance_id,
            CheckIn.prompts,
        ),
        "instances": select(
            WorkflowInstance.id, WorkflowInstance.status, WorkflowInstance.step, WorkflowInstance.state
        ),
        "incidents": select(Incident.instance_id, Incident.summary),
        "person statistics": select(PersonStat.person_id, PersonStat.stat, PersonStat.value),
    }
    return {name: sorted((tuple(row) for row in session.execute(query)), key=repr) for name, query in tables.items()}


def test_the_batch_path_writes_exactly_the_rows_of_running_each_timer_alone(initialised_copy, caplog):
    results = []
    for run in (by_batch, one_by_one):
        app = open_app(initialised_copy())
        try:
            results.append(mixed_day(app, run))
        finally:
            close_app(app)
    (batch_outcomes, batch_rows), (single_outcomes, single_rows) = results
    assert "the batch path failed" not in caplog.text, "the batch path ran its steps itself"
    assert sorted(batch_outcomes) == sorted(single_outcomes)
    assert batch_outcomes.count("retry") == 4, "the failing match and the broken run: on their own, in both rounds"
    for table in batch_rows:
        assert batch_rows[table] == single_rows[table], f"{table} differ"
    outbox = batch_rows["outbox"]
    reminded = {key.split(":")[1] for key, *_ in outbox if ".remind." in key}
    prompted = {key.split(":")[1] for key, *_ in outbox if ".prompt." in key}
    assert reminded and prompted - reminded, "open check-ins are reminded, answered ones are not"
    assert any(enrolment for _, _, enrolment, *_ in batch_rows["check-ins"]), "check-ins of a programme's enrolment"
    assert any(template == "onboarding/wrap-up" for _, _, _, template, *_ in outbox)


def test_the_batch_path_runs_row_effects_and_hands_back_events_matches_and_broken_runs(app):
    build(app)
    clock = FrozenClock(MONDAY)
    with app.app_context():
        session = app.appbuilder.session
        people = session.scalars(select(Person).order_by(Person.id)).all()
        checking = start(session, clock, CHECK_IN, people[:3])
        matching = start(session, clock, MATCH_LATER, people[:1])
        session.execute(update(WorkflowInstance).where(WorkflowInstance.id == checking[0]).values(state={"x": 1}))
        session.commit()
        clock.advance(timedelta(days=1, hours=1))
        ids = claim_due(session, clock, "test")
        by_instance = dict(session.execute(select(Timer.instance_id, Timer.id).where(Timer.id.in_(ids))).all())
        done, rest = run_due_steps(session, ids, clock)
        assert sorted(done) == sorted(by_instance[i] for i in checking[1:])
        assert sorted(rest) == sorted([by_instance[checking[0]], by_instance[matching[0]]])
        pending = session.scalars(select(Timer.status).where(Timer.id.in_(rest))).all()
        assert pending == ["claimed", "claimed"], "what it hands back is untouched"
        session.remove()
