# ruff: noqa: F811  (pytest fixtures imported from smtp_capture are parameters here)
"""Sign-up (with HR's approval), goals at a check-in and the 30-day pulse while PostgreSQL restarts mid-POST.

The database is restarted (``pg_ctl restart -m fast``) at the moment the POST
writes its row: the page is the 503 "try again" page (never a 500, never a
traceback), nothing of the POST is written, and the same POST sent again is
recorded exactly once (a third one is refused as a repeat).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from conftest import ON_POSTGRES
from engine_support import drain
from feedback_support import pair_with_two_logins
from organisation import login
from selfservice_support import MONDAY, csrf
from smtp_capture import mailbox  # noqa: F401 - fixture
from sqlalchemy import event, func, select

from tandem.plugin.models import CheckIn, Enrolment, FeedbackAnswer, Goal, Notification, Programme, SignUp
from tandem.plugin.views.selfservice import SelfServiceView
from tandem.workflows.delivery import claim_due_notifications, deliver

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRES, reason="restarts PostgreSQL: runs in the py311-postgres env"),
]


class RestartOnWrite:
    """Restarts the server when the app's next statement matches ``pattern`` (that statement then fails)."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.pattern: re.Pattern[str] | None = None
        self.restarts = 0
        self.commits = 0

    def arm(self, table: str) -> None:
        self.pattern = re.compile(rf"^\s*(INSERT INTO|UPDATE) {table}\b")

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.pattern is not None and self.pattern.match(statement):
            self.pattern = None
            self.server.restart()  # the connection of this very statement is cut
            self.restarts += 1

    def commit(self, conn) -> None:
        self.commits += 1


@pytest.fixture
def restart(app, postgresql_server) -> Iterator[RestartOnWrite]:
    hook = RestartOnWrite(postgresql_server)
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    event.listen(engine, "before_cursor_execute", hook)
    event.listen(engine, "commit", hook.commit)
    yield hook
    event.remove(engine, "commit", hook.commit)
    event.remove(engine, "before_cursor_execute", hook)


def count(app, model, *where) -> int:
    with app.app_context():
        session = app.appbuilder.session
        try:
            return session.scalar(select(func.count()).select_from(model).where(*where))
        finally:
            session.remove()


def twice_then_once(app, restart, table: str, post, rows) -> tuple[Any, Any]:
    """``post()`` meets a restart when it writes ``table``: 503, nothing written; again: 302; a third: 409."""
    before = rows()
    restart.arm(table)
    first = post()
    body = first.get_data(as_text=True)
    assert restart.restarts and restart.pattern is None, f"the POST never wrote {table}"
    assert first.status_code == 503, body[:2000]
    assert "Try again in a moment" in body and "Traceback" not in body
    assert first.headers["Retry-After"] == "5"
    assert rows() == before, f"nothing of the POST is written to {table} or beside it"
    restart.commits = 0
    again = post()
    assert again.status_code == 302, again.get_data(as_text=True)[:2000]
    assert restart.commits == 1, f"one POST, one transaction (saw {restart.commits} commits)"
    after = rows()
    assert post().status_code == 409, "the same POST a third time is a repeat"
    assert rows() == after
    return before, after


def open_checkins(app, person_id: int) -> list[int]:
    with app.app_context():
        session = app.appbuilder.session
        try:
            return list(
                session.scalars(
                    select(CheckIn.id)
                    .where(CheckIn.respondent_id == person_id, CheckIn.status == "open")
                    .order_by(CheckIn.sequence)
                )
            )
        finally:
            session.remove()


def move_to_day(app, clock, days: float) -> None:
    """The clock to ``days`` after the hire, the engine and delivery run on the way, ten days at a time."""
    while clock.now() < MONDAY + timedelta(days=days):
        clock.advance(min(timedelta(days=10), MONDAY + timedelta(days=days) - clock.now()))
        drain(app, clock)
        with app.app_context():
            session = app.appbuilder.session
            deliver(session, claim_due_notifications(session, clock, limit=1000), clock)
            session.remove()


def test_sign_up_approval_goals_and_the_pulse_survive_a_database_restart_mid_post(app, mailbox, restart, monkeypatch):
    app.config["TANDEM_SMTP_URL"] = mailbox[0]
    org, clock = pair_with_two_logins(app)
    monkeypatch.setattr(SelfServiceView, "clock", lambda view: clock)
    with app.app_context():
        session = app.appbuilder.session
        session.add(
            Programme(
                name="Leaders",
                slug="leaders",
                kind="mentoring",
                status="active",
                signup_open=True,
                signup_needs_approval=True,
            )
        )
        session.commit()
        session.remove()
    staff = app.test_client()
    login(staff, "staff")
    dev1 = org.people["dev1"]

    # Signing up for a programme HR approves.
    form = {"csrf_token": csrf(staff, "/tandem/signup/leaders"), "role": "mentee", "goals": "negotiation"}
    before, after = twice_then_once(
        app,
        restart,
        "tandem_signup",
        lambda: staff.post("/tandem/signup/leaders", data=form),
        lambda: count(app, SignUp, SignUp.person_id == dev1),
    )
    assert (before, after) == (0, 1)

    # HR approves it: enrolled once.
    hr = app.test_client()
    login(hr, "hr")
    with app.app_context():
        pk = app.appbuilder.session.scalar(select(SignUp.id).where(SignUp.person_id == dev1))
    token = csrf(hr, "/mentoring/signups/")
    leaders = select(Programme.id).where(Programme.slug == "leaders").scalar_subquery()
    before, after = twice_then_once(
        app,
        restart,
        "tandem_enrolment",
        lambda: hr.post(f"/mentoring/signups/{pk}/approve", data={"csrf_token": token}),
        lambda: (
            count(app, Enrolment, Enrolment.person_id == dev1, Enrolment.programme_id == leaders),
            count(app, SignUp, SignUp.id == pk, SignUp.status == "approved"),
        ),
    )
    assert (before, after) == ((0, 0), (1, 1))

    # The first check-in, with the goals the pair agrees on.
    first = open_checkins(app, dev1)[0]
    form = {"csrf_token": csrf(staff, f"/tandem/check-ins/{first}"), "rating": "4", "goal_1": "Ship a change alone"}
    before, after = twice_then_once(
        app,
        restart,
        "tandem_goal",
        lambda: staff.post(f"/tandem/check-ins/{first}/answer", data=form),
        lambda: (count(app, Goal), count(app, CheckIn, CheckIn.id == first, CheckIn.status == "open")),
    )
    assert (before, after) == ((0, 1), (1, 0))

    # The 30-day pulse.
    move_to_day(app, clock, 30.1)
    with app.app_context():
        pulse = app.appbuilder.session.scalar(
            select(Notification.id).where(Notification.template == "feedback/pulse", Notification.recipient_id == dev1)
        )
    form = {"csrf_token": csrf(staff, "/tandem/feedback/"), "useful": "4", "time_to_meet": "2", "progress": "5"}
    before, after = twice_then_once(
        app,
        restart,
        "tandem_feedback_answer",
        lambda: staff.post(f"/tandem/feedback/{pulse}/answer", data=form),
        lambda: count(app, FeedbackAnswer),
    )
    assert (before, after) == (0, 1)
    assert restart.restarts == 4
