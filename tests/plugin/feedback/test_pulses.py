# ruff: noqa: F811  (pytest fixtures imported from smtp_capture are parameters here)
"""The 30-day pulse: the workflow sends it at day 30 (the clock moves, nobody sleeps), staff answer it once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from engine_support import drain, post_event
from feedback_support import BUDDY_LOGIN, pair_with_two_logins
from organisation import login
from selfservice_support import MONDAY, csrf
from smtp_capture import mailbox  # noqa: F401 - fixture
from sqlalchemy import select

from tandem.plugin.models import FeedbackAnswer, Notification
from tandem.plugin.views.selfservice import SelfServiceView
from tandem.workflows.delivery import claim_due_notifications, deliver


@pytest.fixture
def pair(app, mailbox, monkeypatch):
    app.config["TANDEM_SMTP_URL"] = mailbox[0]
    org, clock = pair_with_two_logins(app)
    monkeypatch.setattr(SelfServiceView, "clock", lambda view: clock)  # the pages' "now" is the test's
    return org, clock


def deliver_due(app, clock) -> None:
    with app.app_context():
        session = app.appbuilder.session
        deliver(session, claim_due_notifications(session, clock, limit=1000), clock)
        session.remove()


def pulses(app) -> list[Notification]:
    with app.app_context():
        session = app.appbuilder.session
        rows = session.scalars(select(Notification).where(Notification.template == "feedback/pulse")).all()
        session.expunge_all()
        return rows


def move_to(app, clock, days: float) -> None:
    """Move the clock to ``days`` after the hire, running the engine and delivery on the way, a day at a time."""
    while clock.now() < MONDAY + timedelta(days=days):
        clock.advance(min(timedelta(days=1), MONDAY + timedelta(days=days) - clock.now()))
        drain(app, clock)
        deliver_due(app, clock)


def subjects(mailbox) -> list[str]:
    return [message["Subject"] for message in mailbox[1].messages]


def test_the_onboarding_run_sends_the_pulse_to_both_thirty_days_after_the_introduction(app, pair, mailbox):
    _, clock = pair
    move_to(app, clock, 29)
    assert not [s for s in subjects(mailbox) if s.startswith("A month in")], "not before day 30"
    assert {row.status for row in pulses(app)} == {"queued"} and len(pulses(app)) == 2
    move_to(app, clock, 30.1)
    arrived = [m for m in mailbox[1].messages if m["Subject"].startswith("A month in")]
    assert sorted(m["To"].addresses[0].username for m in arrived) == ["dev1", "sales1"]
    text = arrived[0].get_body(("plain",)).get_content()
    assert "/tandem/feedback/" in text and "never with your name" in text


def test_a_pulse_is_answered_once_and_an_empty_answer_is_a_form_error(app, pair):
    _, clock = pair
    move_to(app, clock, 30.1)
    client = app.test_client()
    login(client, "staff")
    page = client.get("/tandem/feedback/").get_data(as_text=True)
    assert "30-day pulse" in page and "Our conversations are worth my time." in page
    with app.app_context():
        pulse = app.appbuilder.session.scalar(
            select(Notification.id).where(
                Notification.template == "feedback/pulse", Notification.recipient.has(employee_id="E4")
            )
        )
    token = csrf(client, "/tandem/feedback/")
    empty = client.post(f"/tandem/feedback/{pulse}/answer", data={"csrf_token": token, "useful": "4"})
    assert empty.status_code == 400
    body = empty.get_data(as_text=True)
    assert "Choose an answer from 1 to 5" in body and "has-error" in body, body[body.find("<form") :][:3000]
    assert re.search(r"value=\"4\"\s+checked", body), "what was chosen is kept"
    done = client.post(
        f"/tandem/feedback/{pulse}/answer",
        data={"csrf_token": token, "useful": "4", "time_to_meet": "2", "progress": "5"},
    )
    assert done.status_code == 302
    assert "No survey waits for you" in client.get("/tandem/feedback/").get_data(as_text=True)
    again = client.post(
        f"/tandem/feedback/{pulse}/answer",
        data={"csrf_token": token, "useful": "1", "time_to_meet": "1", "progress": "1"},
    )
    assert again.status_code == 409
    with app.app_context():
        [row] = app.appbuilder.session.scalars(select(FeedbackAnswer)).all()
        assert (row.survey, row.useful, row.time_to_meet, row.progress, row.recommend) == ("pulse", 4, 2, 5, None)


def test_nobody_answers_a_pulse_sent_to_someone_else_or_not_yet_due(app, pair):
    _, clock = pair
    move_to(app, clock, 10)
    buddy = app.test_client()
    login(buddy, BUDDY_LOGIN)
    assert "No survey waits for you" in buddy.get("/tandem/feedback/").get_data(as_text=True)
    with app.app_context():
        staffs = app.appbuilder.session.scalar(
            select(Notification.id).where(
                Notification.template == "feedback/pulse", Notification.recipient.has(employee_id="E4")
            )
        )
    token = csrf(buddy, "/tandem/inbox/")
    answers = {"csrf_token": token, "useful": "4", "time_to_meet": "4", "progress": "4"}
    assert buddy.post(f"/tandem/feedback/{staffs}/answer", data=answers).status_code == 404
    move_to(app, clock, 30.1)
    assert buddy.post(f"/tandem/feedback/{staffs}/answer", data=answers).status_code == 404, "not theirs"


def test_the_pulse_of_a_run_cancelled_before_day_30_is_not_sent(app, pair, mailbox):
    _, clock = pair
    move_to(app, clock, 12)
    post_event(app, "employee.left", "E9", "sales1-left")
    move_to(app, clock, 31)
    assert {row.status for row in pulses(app)} == {"suppressed"}
    assert not [s for s in subjects(mailbox) if s.startswith("A month in")]
