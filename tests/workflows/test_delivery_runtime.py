# ruff: noqa: F811  (pytest fixtures imported from smtp_capture are parameters here)
"""Delivery inside the running system: the scheduler claims due notifications and the actor e-mails them."""

from __future__ import annotations

import pytest
from engine_support import buddy_programme, count, post_event
from organisation import build
from processes import wait_until
from smtp_capture import mailbox  # noqa: F401 - fixture
from sqlalchemy import update

from tandem.plugin.models import Notification
from tandem.workflows.service import start_workers

INTRODUCTION = Notification.template == "onboarding/introduction"


def introduce_and_deliver(app, mailbox) -> None:
    org = build(app)
    buddy_programme(app, org)
    with app.app_context():  # the organisation's own sample rows are not the engine's
        app.appbuilder.session.execute(update(Notification).values(status="sent"))
        app.appbuilder.session.commit()
    assert post_event(app, "employee.hired", "E4", "delivery-1") == 201
    wait_until(lambda: count(app, Notification, INTRODUCTION) == 2, 30, "the introductions")
    with app.app_context():  # due now, whatever the hour in Berlin
        app.appbuilder.session.execute(update(Notification).where(INTRODUCTION).values(deliver_after=None))
        app.appbuilder.session.commit()
    wait_until(lambda: count(app, Notification, INTRODUCTION, Notification.status == "sent") == 2, 30, "delivery")
    subjects = sorted(message["Subject"] for message in mailbox[1].messages)
    assert len(subjects) == 2 and all(subject.startswith("Meet ") for subject in subjects)


@pytest.fixture
def fast(app, mailbox):
    app.config["TANDEM_SMTP_URL"] = mailbox[0]
    app.config["TANDEM_SCHEDULER_INTERVAL"] = 0.1
    return app


def test_the_embedded_runtime_emails_the_introductions_once_they_are_due(fast, mailbox):
    runtime = start_workers(fast, threads=2, url="")
    try:
        introduce_and_deliver(fast, mailbox)
    finally:
        runtime.stop()


def test_through_rabbitmq_the_delivery_actor_emails_the_introductions(fast, mailbox, rabbitmq_url):
    runtime = start_workers(fast, threads=2, url=rabbitmq_url)
    try:
        introduce_and_deliver(fast, mailbox)
    finally:
        runtime.stop()
