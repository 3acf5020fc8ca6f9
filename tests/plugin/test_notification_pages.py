"""The pages around notifications: HR's template editor, the preferences page, the demo's mail outbox."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pytest
from organisation import build, login
from sqlalchemy import select

from tandem.plugin.links import make_token
from tandem.plugin.mail_sink import start_sink
from tandem.plugin.models import Notification, NotificationPreference, NotificationTemplate, Person
from tandem.workflows.clock import FrozenClock
from tandem.workflows.delivery import claim_due_notifications, deliver

EDITOR = "/mentoring/notification-templates/edit/checkin/reminder"


@pytest.fixture
def org(app):
    return build(app)


def csrf(page: str) -> str:
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "every form carries a CSRF token"
    return token.group(1)


def post_template(client, text: str, action: str = "save"):
    page = client.get(EDITOR).get_data(as_text=True)
    return client.post(
        EDITOR,
        data={
            "csrf_token": csrf(page),
            "name": "checkin/reminder",
            "subject": "Check-in {{ sequence }} is waiting",
            "text": text,
            "html": "<p>{{ person.first_name }}</p>",
            action: "1",
        },
    )


def versions(app) -> list[int]:
    with app.app_context():
        return list(app.appbuilder.session.scalars(select(NotificationTemplate.version).order_by("version")))


def test_hr_sees_every_shipped_template_and_edits_one_in_new_versions(app, org):
    client = app.test_client()
    login(client, "hr")
    listing = client.get("/mentoring/notification-templates/").get_data(as_text=True)
    assert "checkin/prompt" in listing and "onboarding/introduction" in listing
    assert post_template(client, "Hello {{ person.first_name }}, check-in {{ sequence }}.").status_code == 302
    assert post_template(client, "Hi {{ person.first_name }}!").status_code == 302
    assert versions(app) == [1, 2]
    assert "Hi {{ person.first_name }}!" in client.get(EDITOR).get_data(as_text=True)


def test_the_preview_renders_the_template_with_sample_data_without_saving(app, org):
    client = app.test_client()
    login(client, "hr")
    response = post_template(client, "Hello {{ person.first_name }}, this is check-in {{ sequence }}.", "preview")
    assert response.status_code == 200
    assert "Hello Ada, this is check-in 2." in response.get_data(as_text=True)
    assert versions(app) == []


@pytest.mark.parametrize("attack", ["{{ ''.__class__.__mro__ }}", "{{ cycler.__init__.__globals__ }}"])
def test_a_template_reaching_for_python_internals_is_refused_with_a_clear_message(app, org, attack):
    client = app.test_client()
    login(client, "hr")
    response = post_template(client, attack)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Not saved." in page and "reaches for Python internals" in page
    assert versions(app) == []


def test_a_template_too_slow_to_render_is_refused_at_preview_and_at_save_with_a_sentence(app, org):
    client = app.test_client()
    login(client, "hr")
    slow = "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"
    for action in ("preview", "save"):
        started = time.monotonic()
        response = post_template(client, slow, action)
        assert response.status_code == 400
        assert "takes longer than 1 second to render" in response.get_data(as_text=True)
        assert time.monotonic() - started < 5
    flood = post_template(client, "{{ lipsum(100000, false, 1000, 2000) }}", "preview")
    assert flood.status_code == 200 and len(flood.get_data()) < 100_000
    assert versions(app) == []


def test_staff_and_managers_cannot_open_the_template_editor_or_the_mail_outbox(app, org):
    for user in ("staff", "manager"):
        client = app.test_client()
        login(client, user)
        for url in ("/mentoring/notification-templates/", EDITOR, "/tandem/mail-outbox/"):
            response = client.get(url)
            assert response.status_code in (302, 403), (user, url)
            assert "checkin/prompt" not in response.get_data(as_text=True)


def preferences_of(app, person_id: int) -> NotificationPreference:
    with app.app_context():
        row = app.appbuilder.session.scalars(
            select(NotificationPreference).where(NotificationPreference.person_id == person_id)
        ).one()
        app.appbuilder.session.expunge(row)
        return row


def test_staff_set_their_channels_quiet_hours_and_webhook(app, org):
    client = app.test_client()
    login(client, "staff")
    page = client.get("/tandem/preferences/").get_data(as_text=True)
    response = client.post(
        "/tandem/preferences/",
        data={
            "csrf_token": csrf(page),
            "channels": ["in_app", "webhook"],
            "quiet_start": "20:00",
            "quiet_end": "07:30",
            "timezone": "Europe/Lisbon",
            "webhook_url": "https://hooks.slack.example/T000/B000",
            "daily_budget": "3",
        },
    )
    assert response.status_code == 302
    row = preferences_of(app, org.people["dev1"])
    assert row.channels == ["in_app", "webhook"] and row.timezone == "Europe/Lisbon" and row.daily_budget == 3
    assert (row.quiet_start.hour, row.quiet_end.minute) == (20, 30)


def test_bad_preferences_are_refused_naming_the_field_and_nothing_is_saved(app, org):
    client = app.test_client()
    login(client, "staff")
    page = client.get("/tandem/preferences/").get_data(as_text=True)
    response = client.post(
        "/tandem/preferences/",
        data={"csrf_token": csrf(page), "channels": ["webhook"], "timezone": "Mars/Olympus", "daily_budget": "3"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "timezone: &#39;Mars/Olympus&#39; is not a known time zone" in text
    assert "webhook_url: needed for the webhook channel" in text
    with app.app_context():
        assert app.appbuilder.session.scalars(select(NotificationPreference)).all() == []


def test_the_signed_link_in_every_email_opens_the_preferences_without_a_login_and_a_tampered_one_does_not(app, org):
    with app.app_context():
        token = make_token("preferences", {"person": org.people["dev2"]})
    client = app.test_client()
    page = client.get(f"/tandem/preferences/{token}")
    assert page.status_code == 200 and "Dev2" in page.get_data(as_text=True)
    response = client.post(
        f"/tandem/preferences/{token}",
        data={"csrf_token": csrf(page.get_data(as_text=True)), "channels": ["email"], "daily_budget": "4"},
    )
    assert response.status_code == 302
    assert preferences_of(app, org.people["dev2"]).channels == ["email"]
    tampered = client.get(f"/tandem/preferences/{token[:-2]}xx")
    assert tampered.status_code == 400 and "This link is not valid" in tampered.get_data(as_text=True)


def test_the_mail_outbox_shows_what_the_local_sink_received_with_both_parts(app, org, tmp_path):
    app.config["TANDEM_MAIL_SINK_DIR"] = str(tmp_path / "mail")
    sink = start_sink(app)
    try:
        with app.app_context():
            session = app.appbuilder.session
            for row in session.scalars(select(Notification)):
                row.status = "sent"
            dev1 = session.get(Person, org.people["dev1"])  # an address only an SMTPUTF8 server takes
            dev1.full_name, dev1.email = "Zoë Ünal", "zoë.ünal@exämple.de"
            row = Notification(
                recipient_id=org.people["dev1"],
                channel="email",
                template="campaign/item",
                context={"item": "who-is-behind-the-advice", "acknowledge": True, "names": {}},
                idempotency_key="outbox-test",
            )
            session.add(row)
            session.commit()
            clock = FrozenClock(datetime(2026, 11, 23, 10, tzinfo=UTC))
            outcome = deliver(session, claim_due_notifications(session, clock), clock).counts
            assert outcome == {"sent": 1}, session.get(Notification, row.id).error
            session.remove()
    finally:
        sink.stop()
    client = app.test_client()
    login(client, "hr")
    listing = client.get("/tandem/mail-outbox/").get_data(as_text=True)
    assert "Career advice beyond the feed: Who is behind the advice" in listing
    link = re.search(r'href="(/tandem/mail-outbox/[^"]+)"', listing).group(1)
    message = client.get(link).get_data(as_text=True)
    assert "Zoë Ünal &lt;zoë.ünal@exämple.de&gt;" in message and "A new short piece is waiting for you" in message
    assert "srcdoc=" in message and "HTML part" in message
