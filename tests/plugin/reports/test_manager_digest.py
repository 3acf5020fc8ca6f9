# ruff: noqa: F811  (pytest fixtures imported from smtp_capture are parameters here)
"""The fortnightly manager digest: started for managers, run by the engine, numbers only, sent by real SMTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine_support import drain
from report_data import TREE, build
from smtp_capture import mailbox  # noqa: F401 - fixture
from sqlalchemy import select, update

from tandem.plugin.models import Notification, WorkflowInstance
from tandem.plugin.reports.subscriptions import start_digests
from tandem.workflows.clock import FrozenClock
from tandem.workflows.delivery import claim_due_notifications, deliver

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Berlin


def start(app, clock) -> int:
    with app.app_context():
        session = app.appbuilder.session
        session.execute(update(Notification).values(status="sent"))  # the seed's own rows are not ours
        started = start_digests(session, clock)
        session.commit()
        session.remove()
    return started


def test_every_manager_gets_one_digest_run_and_starting_again_adds_none(app):
    seeded = build(app)
    clock = FrozenClock(MONDAY)
    managers = {boss for boss in TREE.values() if boss}
    assert start(app, clock) == len(managers)
    assert start(app, clock) == 0
    with app.app_context():
        subjects = set(app.appbuilder.session.scalars(select(WorkflowInstance.subject_id)))
    assert subjects == {seeded.people[name] for name in managers}


def test_on_the_next_monday_at_nine_the_manager_receives_numbers_with_small_groups_suppressed_and_no_names(
    app, mailbox
):
    app.config["TANDEM_SMTP_URL"] = mailbox[0]
    seeded = build(app)
    clock = FrozenClock(MONDAY)
    start(app, clock)
    later = FrozenClock(MONDAY + timedelta(weeks=1, minutes=1))  # started at 09:00: the next Monday 09:00
    drain(app, later)
    with app.app_context():
        session = app.appbuilder.session
        ids = claim_due_notifications(session, later)
        deliver(session, ids, later)
        row = session.scalars(
            select(Notification).where(
                Notification.template == "manager/digest", Notification.recipient_id == seeded.people["boss"]
            )
        ).one()
        assert row.status == "sent"
        teams = {team["label"]: team for team in row.context["report"]["teams"]}
        assert teams["Person lead_c"]["people"] == "fewer than 5"
        assert teams["Person lead_a"]["people"] == 7  # lead_a and six reports
        session.remove()
    (mail,) = [m for m in mailbox[1].messages if "boss@example.org" in m["To"]]
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "fewer than 5" in text and "fewer than 5" in html
    for name in TREE:
        if name[0] in "abcx" and name != "boss" and not name.startswith("lead"):
            assert f"Person {name}" not in text + html
    assert "private sentence" not in text + html
