# ruff: noqa: F811  (pytest fixtures imported from smtp_capture are parameters here)
"""The database decides at fire time: answered check-ins get no reminder or escalation, however late anything runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from engine_support import count, drain
from organisation import build
from smtp_capture import mailbox  # noqa: F401 - fixture
from sqlalchemy import select, update

from tandem.plugin.models import CheckIn, InstanceHistory, Notification, Person, Timer
from tandem.plugin.selfservice.checkins import Answer, answer
from tandem.workflows.clock import FrozenClock
from tandem.workflows.delivery import deliver
from tandem.workflows.runtime import WorkflowRunner
from tandem.workflows.store import save_definition

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
FOLLOWED_UP = """
workflow: followed-up
subject: person
working_hours: {start: "00:00", end: "23:59"}
steps:
  - check_in:
      between: [person]
      every: 10 hours
      times: 2
      remind_after: 2 hours
      escalate_to: manager
      escalate_after: 4 hours
  - notify: {to: [person], template: onboarding/wrap-up}
"""


@pytest.fixture
def clock():
    return FrozenClock(MONDAY)


@pytest.fixture
def first_prompt(app, clock):
    """Dev1's run, its first check-in just opened (prompt sent to the outbox); returns the instance id."""
    build(app)
    with app.app_context():
        session = app.appbuilder.session
        row, _ = save_definition(session, FOLLOWED_UP)
        person = session.scalars(select(Person).where(Person.employee_id == "E4")).one()
        instance_id = WorkflowRunner(session, clock).start(row, person).id
        session.commit()
    clock.advance(timedelta(hours=10))
    drain(app, clock)
    assert count(app, CheckIn, CheckIn.instance_id == instance_id, CheckIn.status == "open") == 1
    return instance_id


def sent(app, template, instance_id):
    return count(
        app, Notification, Notification.template == template, Notification.idempotency_key.like(f"wf:{instance_id}:%")
    )


def timer_status(app, instance_id, name):
    with app.app_context():
        return app.appbuilder.session.scalar(
            select(Timer.status).where(Timer.instance_id == instance_id, Timer.key.like(f"v%.{name}"))
        )


def answer_first(app, clock, instance_id):
    with app.app_context():
        session = app.appbuilder.session
        checkin = session.scalars(select(CheckIn).where(CheckIn.instance_id == instance_id)).one()
        answer(session, checkin, Answer(rating=4), clock.now())
        session.commit()


def history(app, instance_id):
    with app.app_context():
        return app.appbuilder.session.execute(
            select(InstanceHistory.signal, InstanceHistory.effects)
            .where(InstanceHistory.instance_id == instance_id)
            .order_by(InstanceHistory.id)
        ).all()


def test_answering_cancels_the_check_ins_pending_reminder_and_escalation_in_the_same_transaction(
    app, clock, first_prompt
):
    answer_first(app, clock, first_prompt)
    assert timer_status(app, first_prompt, "remind.1") == "cancelled"
    assert timer_status(app, first_prompt, "escalate.1") == "cancelled"
    clock.advance(timedelta(hours=5))
    drain(app, clock)
    assert sent(app, "checkin/reminder", first_prompt) == 0
    assert sent(app, "checkin/escalation", first_prompt) == 0


def test_a_reminder_that_fires_after_an_answer_its_run_has_not_heard_of_sends_nothing_and_says_why(
    app, clock, first_prompt
):
    # The answer is in the check-in's row, but its event has not reached the run (a backlog, a broker outage),
    # and the timers were already claimed when it was given: the row decides.
    with app.app_context():
        session = app.appbuilder.session
        session.execute(update(CheckIn).where(CheckIn.instance_id == first_prompt).values(status="completed"))
        session.commit()
    clock.advance(timedelta(hours=5))
    drain(app, clock)
    assert sent(app, "checkin/reminder", first_prompt) == 0
    assert sent(app, "checkin/escalation", first_prompt) == 0
    notes = {signal: effects for signal, effects in history(app, first_prompt) if effects and "remind" in signal}
    assert [effect["text"] for effects in notes.values() for effect in effects] == [
        "no reminder: check-in 1 is answered or closed for everyone"
    ]


def test_an_unanswered_check_in_is_reminded_and_escalated_to_the_manager(app, clock, first_prompt):
    clock.advance(timedelta(hours=5))
    drain(app, clock)
    assert sent(app, "checkin/reminder", first_prompt) == 1
    assert sent(app, "checkin/escalation", first_prompt) == 1


def test_a_missed_check_ins_escalation_still_goes_out_after_the_run_finished(app, clock, first_prompt):
    # The escalation timer is held back (an outage) while the rest of the run goes on to its end.
    with app.app_context():
        session = app.appbuilder.session
        session.execute(
            update(Timer)
            .where(Timer.instance_id == first_prompt, Timer.key.like("%.escalate.1"))
            .values(due_at=MONDAY + timedelta(days=3))
        )
        session.commit()
    for _ in range(8):  # the next prompt, then the end, each as it falls due
        clock.advance(timedelta(hours=5))
        drain(app, clock)
    first_escalation = Notification.idempotency_key.like(f"wf:{first_prompt}:%.escalate.1.%")
    assert sent(app, "onboarding/wrap-up", first_prompt) == 1, "the run finished"
    assert count(app, Notification, first_escalation) == 0
    clock.advance(timedelta(days=3))
    drain(app, clock)
    assert count(app, Notification, first_escalation) == 1
    assert count(app, CheckIn, CheckIn.instance_id == first_prompt, CheckIn.status == "missed") == 2


def test_a_timer_of_a_finished_run_says_in_its_history_why_it_did_nothing(app, clock, first_prompt):
    with app.app_context():
        session = app.appbuilder.session
        session.add(Timer(instance_id=first_prompt, key="v1.superseded", due_at=MONDAY, dedupe_key="late"))
        session.commit()
    clock.advance(timedelta(days=2))
    drain(app, clock)
    [effects] = [e for s, e in history(app, first_prompt) if s == "timer v1.superseded"]
    assert effects[0]["effect"] == "Note" and "no longer awaited" in effects[0]["text"]


def test_a_prompt_whose_check_in_closed_before_delivery_is_suppressed_with_the_reason(
    app, clock, first_prompt, mailbox
):
    url, collector = mailbox
    app.config["TANDEM_SMTP_URL"] = url
    answer_first(app, clock, first_prompt)
    with app.app_context():
        session = app.appbuilder.session
        prompt = session.scalars(
            select(Notification).where(
                Notification.template == "checkin/prompt", Notification.idempotency_key.like(f"wf:{first_prompt}:%")
            )
        ).one()
        outcome = deliver(session, [prompt.id], clock)
        session.refresh(prompt)
        assert outcome.counts == {"suppressed": 1}
        assert prompt.status == "suppressed"
        assert prompt.error == "check-in 1 is completed: the prompt had nothing left to ask"
    assert collector.messages == []


def test_an_escalation_for_a_missed_check_in_is_delivered(app, clock, first_prompt, mailbox):
    url, collector = mailbox
    app.config["TANDEM_SMTP_URL"] = url
    clock.advance(timedelta(hours=11))
    drain(app, clock)  # escalated, then the next prompt marks check-in 1 missed
    with app.app_context():
        session = app.appbuilder.session
        escalation = session.scalars(select(Notification).where(Notification.template == "checkin/escalation")).one()
        assert deliver(session, [escalation.id], clock).counts == {"sent": 1}
    assert len(collector.messages) == 1
