"""Channels are one registration each: a channel registered in a test is offered on the preferences page,
chosen there, and carries the message when delivery runs; forgotten again, it is neither offered nor used."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from organisation import build, login
from sqlalchemy import select

from tandem.plugin.models import Notification, NotificationPreference
from tandem.workflows.channels import Channel, Outgoing, channel_names, register, unregister
from tandem.workflows.clock import FrozenClock
from tandem.workflows.delivery import claim_due_notifications, deliver

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.fixture
def pager():
    """A throwaway channel that keeps what it carries (its own 'outside world')."""
    carried: list[tuple[str, str]] = []

    def send(out: Outgoing) -> None:
        carried.append((out.person.full_name, out.rendered.subject))

    register(Channel(name="pager", label="Pager on the factory floor", send=send))
    yield carried
    unregister("pager")


@pytest.fixture
def org(app):
    org = build(app)
    with app.app_context():  # the organisation's own sample notifications are not ours to deliver
        session = app.appbuilder.session
        for row in session.scalars(select(Notification)):
            row.status = "sent"
        session.commit()
    return org


def choose(client, channels: list[str]) -> int:
    page = client.get("/tandem/preferences/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/tandem/preferences/", data={"csrf_token": token, "channels": channels, "daily_budget": "6"}
    )
    return response.status_code


def reminder_to(app, person_id: int, key: str) -> int:
    with app.app_context():
        session = app.appbuilder.session
        row = Notification(
            recipient_id=person_id,
            channel="email",
            template="checkin/reminder",
            context={"workflow": "onboarding-buddy", "names": {}, "sequence": 1},
            idempotency_key=key,
        )
        session.add(row)
        session.commit()
        return row.id


def deliver_due(app) -> dict[str, int]:
    with app.app_context():
        session = app.appbuilder.session
        clock = FrozenClock(MONDAY)
        counts = deliver(session, claim_due_notifications(session, clock), clock).counts
        session.remove()
        return counts


def sent(app, notification_id: int) -> tuple[str, str, str]:
    with app.app_context():
        row = app.appbuilder.session.get(Notification, notification_id)
        return row.status, row.channel, row.error


def test_a_registered_channel_is_offered_chosen_and_used_by_delivery(app, org, pager):
    client = app.test_client()
    login(client, "staff")
    page = client.get("/tandem/preferences/").get_data(as_text=True)
    assert 'value="pager"' in page and "Pager on the factory floor" in page
    assert choose(client, ["pager"]) == 302
    with app.app_context():
        row = app.appbuilder.session.scalars(
            select(NotificationPreference).where(NotificationPreference.person_id == org.people["dev1"])
        ).one()
        assert row.channels == ["pager"]

    notification_id = reminder_to(app, org.people["dev1"], "test:pager:1")
    assert deliver_due(app) == {"sent": 1}
    assert sent(app, notification_id) == ("sent", "pager", "")
    assert len(pager) == 1 and pager[0][0] == "Dev1"

    unregister("pager")
    assert 'value="pager"' not in client.get("/tandem/preferences/").get_data(as_text=True)
    later = reminder_to(app, org.people["dev1"], "test:pager:2")
    assert deliver_due(app) == {"suppressed": 1}, "a choice of a channel nobody registers any more is no choice"
    assert sent(app, later) == ("suppressed", "email", "the person turned every channel off")
    assert len(pager) == 1


def test_the_outbox_takes_only_registered_channels(app, org):
    assert channel_names() == ("email", "in_app", "webhook")
    with app.app_context(), pytest.raises(ValueError, match=r"channel: 'sms' is not a registered channel"):
        Notification(recipient_id=org.people["dev1"], channel="sms", template="t", idempotency_key="k")
