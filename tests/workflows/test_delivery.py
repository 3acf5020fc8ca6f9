# ruff: noqa: F811  (pytest fixtures imported from smtp_capture are parameters here)
"""Delivering the outbox to a real SMTP server and a real HTTP webhook: parts, invite, links, budget, failures."""

from __future__ import annotations

import json
import threading
import time
import time as clock
from datetime import UTC, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker
from engine_support import as_utc, buddy_programme, drain, post_event
from markupsafe import escape
from names import PEOPLE
from organisation import build
from smtp_capture import mailbox  # noqa: F401 - fixture
from sqlalchemy import select

from tandem.plugin.links import read_token
from tandem.plugin.models import CheckIn, Incident, Notification, NotificationPreference, NotificationTemplate, Person
from tandem.workflows.actors import QUEUE, declare
from tandem.workflows.channels.email import Mailer, build_message, parse_smtp_url
from tandem.workflows.clock import FrozenClock
from tandem.workflows.delivery import claim_due_notifications, deliver
from tandem.workflows.service import schedule_once

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.fixture
def org(app, mailbox):
    app.config["TANDEM_SMTP_URL"] = mailbox[0]
    org = build(app)
    with app.app_context():  # the organisation's own sample notifications are not ours to deliver
        session = app.appbuilder.session
        for row in session.scalars(select(Notification)):
            row.status = "sent"
        session.commit()
    return org


def notify(app, person_id: int, template: str = "checkin/reminder", key: str = "", **context) -> int:
    with app.app_context():
        session = app.appbuilder.session
        row = Notification(
            recipient_id=person_id,
            channel="email",
            template=template,
            context={"workflow": "onboarding-buddy", "names": {}, "sequence": 1, **context},
            idempotency_key=key or f"test:{template}:{person_id}:{datetime.now().timestamp()}",
        )
        session.add(row)
        session.commit()
        return row.id


def prefer(app, person_id: int, **values) -> None:
    with app.app_context():
        session = app.appbuilder.session
        row = NotificationPreference(person_id=person_id, **{"channels": ["email", "in_app"], **values})
        session.add(row)
        session.commit()


def run(app, clock) -> dict[str, int]:
    with app.app_context():
        session = app.appbuilder.session
        ids = claim_due_notifications(session, clock)
        outcome = deliver(session, ids, clock)
        session.remove()
        return outcome.counts


def rows(app, *where) -> list[Notification]:
    with app.app_context():
        session = app.appbuilder.session
        found = session.scalars(select(Notification).where(*where).order_by(Notification.id)).all()
        session.expunge_all()
        return found


def unfold(calendar: str) -> dict[str, str]:
    """The properties of an RFC 5545 text (lines unfolded, parameters dropped), checking every line's length."""
    assert calendar.endswith("\r\n")
    for line in calendar.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
    properties: dict[str, str] = {}
    for line in calendar.replace("\r\n ", "").split("\r\n"):
        if line:
            name, _, value = line.partition(":")
            properties.setdefault(name.split(";")[0], value)
    return properties


def test_a_check_in_prompt_arrives_with_text_html_an_invite_and_links_that_work(app, org, mailbox):
    buddy_programme(app, org)
    clock = FrozenClock(MONDAY)
    post_event(app, "employee.hired", "E4", "hire-1")
    drain(app, clock)
    clock.advance(timedelta(days=8))
    drain(app, clock)
    clock.advance(timedelta(hours=12))
    assert run(app, clock).get("sent", 0) >= 4  # two introductions, two prompts

    prompt = next(m for m in mailbox[1].messages if m["Subject"].startswith("Check-in 1") and "dev1@" in m["To"])
    text = prompt.get_body(("plain",)).get_content()
    html = prompt.get_body(("html",)).get_content()
    calendar = next(part for part in prompt.walk() if part.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    invite = unfold(calendar.get_content())
    with app.app_context():
        session = app.appbuilder.session
        checkin = session.scalars(
            select(CheckIn).where(CheckIn.respondent_id == org.people["dev1"], CheckIn.instance_id.is_not(None))
        ).one()
        assert invite["METHOD"] == "REQUEST"
        assert invite["UID"] == f"tandem-checkin-{checkin.instance_id}-1@tandem"
        start = datetime.strptime(invite["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        local = start.astimezone(ZoneInfo("Europe/Berlin"))
        assert local.time() == time(10, 0) and local.weekday() < 5
        assert local.date() > as_utc(checkin.due_at).astimezone(ZoneInfo("Europe/Berlin")).date()
        assert invite["DTEND"] == (start + timedelta(minutes=30)).strftime("%Y%m%dT%H%M%SZ")
        assert "mailto:dev1@example.org" in calendar.get_content().replace("\r\n ", "")

        links = [line.split(": ")[-1].strip() for line in text.splitlines() if "/tandem/answer/" in line]
        assert len(links) == 5
        for rating, url in enumerate(links, start=1):
            assert url in html
            assert url.startswith("http://127.0.0.1:8080/tandem/answer/")
            assert read_token("checkin-answer", url.rsplit("/", 1)[1]).payload == {
                "checkin": checkin.id,
                "rating": rating,
            }
        preferences = next(line.split(": ")[-1] for line in text.splitlines() if "/tandem/preferences/" in line)
        assert read_token("preferences", preferences.rsplit("/", 1)[1]).payload == {"person": org.people["dev1"]}
        assert preferences in html
    page = app.test_client().get(preferences.replace("http://127.0.0.1:8080", ""))
    assert page.status_code == 200 and "Notification preferences" in page.get_data(as_text=True)

    second = next(m for m in mailbox[1].messages if m["Subject"].startswith("Check-in 1") and "dev1@" not in m["To"])
    other = next(p for p in second.walk() if p.get_content_type() == "text/calendar")
    assert unfold(other.get_content())["UID"] == invite["UID"], "both people of the pair get the same meeting"


def test_the_introduction_tells_the_newcomer_in_words_why_they_were_matched(app, org, mailbox):
    chloe = PEOPLE[0]  # Chloé Costa, in Ingénierie: a name SMTP must carry, in sentences built from her profile
    with app.app_context():
        session = app.appbuilder.session
        newcomer = session.get(Person, org.people["dev1"])
        newcomer.full_name, newcomer.department, newcomer.languages = chloe.name, chloe.department, ["fr", "en"]
        buddy = session.get(Person, org.people["hrp"])  # sales_head was dev1's mentor before: never again
        buddy.department, buddy.languages = "Sales", ["fr"]
        session.commit()
    buddy_programme(app, org, mentors=("hrp",))
    clock = FrozenClock(MONDAY)
    post_event(app, "employee.hired", "E4", "hire-why")
    drain(app, clock)
    clock.advance(timedelta(hours=12))
    assert run(app, clock).get("sent", 0) == 2

    introduction = next(m for m in mailbox[1].messages if "dev1@" in m["To"])
    assert introduction["To"] == "Chloé Costa <dev1@example.org>"
    text = introduction.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = introduction.get_body(("html",)).get_content()
    assert text.startswith("Hello Chloé,"), text
    assert "Why we matched you:\n" in text, text
    assert "\n- You both speak French.\n" in text
    assert "\n- You work in different departments (Ingénierie and Sales), so each sees a new part" in text
    assert "<li>You both speak French.</li>" in html
    assert "<li>You work in different departments (Ingénierie and Sales)" in html
    to_buddy = next(m for m in mailbox[1].messages if "hrp@" in m["To"]).get_body(("plain",)).get_content()
    to_buddy = to_buddy.replace("\r\n", "\n")
    assert "\n- You both speak French.\n" in to_buddy, "the buddy reads the same reasons, worded for them"
    mine = Notification.recipient_id == org.people["dev1"], Notification.template == "onboarding/introduction"
    (row,) = rows(app, *mine, Notification.status == "sent")
    assert "You both speak French." in row.context["reasons"], "the row keeps what was sent"


def test_a_batch_of_messages_shares_one_smtp_connection(app, org, mailbox):
    for name in ("dev1", "dev2", "dev3", "lead", "head"):
        notify(app, org.people[name])
    assert run(app, FrozenClock(MONDAY)) == {"sent": 5}
    assert len(mailbox[1].messages) == 5
    assert mailbox[1].connections == 1


SCRIPTS = ("Chloé Costa", "Παναγιώτης Παπαδόπουλος", "王秀英", "محمد الأمين", "Siobhán O'Brien", "Ada <b>Lovelace</b>")
BUDDY = "Grace Hopper-Åberg"


def rename(app, names: dict[int, str]) -> None:
    with app.app_context():
        session = app.appbuilder.session
        for person, name in names.items():
            session.get(Person, person).full_name = name
        session.commit()


def received_ids(mailbox) -> list[int]:
    """The notification id of every message the server received, in order."""
    return [int(message["X-Tandem-Notification"]) for message in mailbox[1].messages]


def test_a_batch_in_many_scripts_arrives_as_the_email_package_would_build_each_message(app, org, mailbox):
    people = [org.people[name] for name in ("dev1", "dev2", "dev3", "lead", "head", "hrp")]
    rename(app, dict(zip(people, SCRIPTS, strict=True)))
    with app.app_context():
        session = app.appbuilder.session
        session.add(
            NotificationTemplate(
                name="checkin/reminder",
                version=1,
                subject="Check-in {{ sequence }} with {{ others }} for {{ person.name }}",
                text="Hello {{ person.name }},\nyour check-in with {{ others }} is open.",
                html="<p>Hello {{ person.name }}, with {{ others }}</p>",
            )
        )
        session.commit()
    ids = {notify(app, person, names={"buddy": BUDDY}): name for person, name in zip(people, SCRIPTS, strict=True)}
    assert run(app, FrozenClock(MONDAY)) == {"sent": len(people)}
    assert sorted(received_ids(mailbox)) == sorted(ids)
    fast = list(zip(mailbox[1].messages, mailbox[1].raw, strict=True))
    with Mailer(parse_smtp_url(mailbox[0])) as mailer:  # the same messages, built by the email package
        for message, _ in fast:
            address = message["To"].addresses[0]
            mailer.send(
                build_message(
                    str(message["From"]),
                    address.display_name,
                    address.addr_spec,
                    str(message["Subject"]),
                    message.get_body(("plain",)).get_content(),
                    message.get_body(("html",)).get_content(),
                    headers={name: str(message[name]) for name in ("List-Unsubscribe", "X-Tandem-Notification")},
                )
            )
    for (message, raw), built in zip(fast, mailbox[1].messages[len(fast) :], strict=True):
        name = ids[int(message["X-Tandem-Notification"])]
        assert raw.isascii() and max(len(line) for line in raw.splitlines()) <= 998, "7-bit for a plain server"
        assert message["To"].addresses[0].display_name == name
        assert message["Subject"] == f"Check-in 1 with {BUDDY} for {name}"
        text, html = (message.get_body((kind,)).get_content().replace("\r\n", "\n") for kind in ("plain", "html"))
        assert text == f"Hello {name},\nyour check-in with {BUDDY} is open.\n"
        assert html == f"<p>Hello {escape(name)}, with {BUDDY}</p>\n", "HTML autoescaped"
        for header in ("From", "To", "Subject", "List-Unsubscribe", "X-Tandem-Notification"):
            assert str(message[header]) == str(built[header]), header
        assert [(p.get_content_type(), p.get_content()) for p in message.walk() if not p.is_multipart()] == [
            (p.get_content_type(), p.get_content()) for p in built.walk() if not p.is_multipart()
        ]


def test_where_the_relay_allows_several_connections_each_message_goes_out_exactly_once(app, org, mailbox):
    app.config["TANDEM_SMTP_CONNECTIONS"] = 3
    app.config["TANDEM_DELIVERY_COMMIT_EVERY"] = 4
    names = ("dev1", "dev2", "dev3", "lead", "head", "hrp")
    ids = [notify(app, org.people[name], sequence=n) for n in (1, 2) for name in names]
    assert run(app, FrozenClock(MONDAY)) == {"sent": 12}
    assert sorted(received_ids(mailbox)) == sorted(ids), "every message once, none twice"
    assert mailbox[1].connections == 3
    assert [row.status for row in rows(app, Notification.id.in_(ids))] == ["sent"] * 12


class PowerCut(Exception):
    """The worker dies at a commit."""


def test_a_crash_between_sending_and_committing_resends_at_most_the_two_uncommitted_chunks(app, org, mailbox):
    app.config["TANDEM_DELIVERY_COMMIT_EVERY"] = 2
    names = ("dev1", "dev2", "dev3", "lead", "head", "hrp", "sales1")
    ids = [notify(app, org.people[name]) for name in names]
    clock = FrozenClock(MONDAY)
    with app.app_context():
        session = app.appbuilder.session
        claimed = claim_due_notifications(session, clock)
        commits = []
        commit = session.commit

        def dies_at_the_third_commit():
            commits.append(1)
            if len(commits) == 3:
                raise PowerCut
            commit()

        session.commit = dies_at_the_third_commit
        try:
            with pytest.raises(PowerCut):
                deliver(session, claimed, clock)
        finally:
            del session.commit
            session.rollback()
            session.remove()
    before = received_ids(mailbox)
    committed = [row.id for row in rows(app, Notification.id.in_(ids), Notification.status == "sent")]
    uncommitted = sorted(set(before) - set(committed))
    assert committed and uncommitted, "the crash fell between sending and committing"
    assert len(uncommitted) <= 2 * 2, "at most two chunks of TANDEM_DELIVERY_COMMIT_EVERY were out uncommitted"

    clock.advance(timedelta(minutes=6))  # the claim's lease ran out: the rows are claimed again
    assert run(app, clock) == {"sent": len(ids) - len(committed)}
    after = received_ids(mailbox)
    assert sorted(set(after)) == sorted(ids), "nothing lost"
    twice = sorted(n for n in set(after) if after.count(n) > 1)
    assert twice == uncommitted, "only what was sent but not committed went out again, once more"
    assert [row.status for row in rows(app, Notification.id.in_(ids))] == ["sent"] * len(ids)


def test_while_the_smtp_server_is_down_every_message_waits_and_all_go_out_exactly_once_when_it_is_back(
    app, org, mailbox
):
    app.config["TANDEM_DELIVERY_COMMIT_EVERY"] = 2
    app.config["TANDEM_SMTP_CONNECTIONS"] = 2
    ids = [notify(app, org.people[name]) for name in ("dev1", "dev2", "dev3", "lead", "head")]
    app.config["TANDEM_SMTP_URL"] = "smtp://127.0.0.1:9"  # nothing listens there
    clock = FrozenClock(MONDAY)
    assert run(app, clock) == {"retrying": 5}
    assert all(row.status == "queued" and row.attempts == 1 for row in rows(app, Notification.id.in_(ids)))
    app.config["TANDEM_SMTP_URL"] = mailbox[0]
    clock.advance(timedelta(seconds=31))
    assert run(app, clock) == {"sent": 5}
    assert sorted(received_ids(mailbox)) == sorted(ids)
    assert [(row.status, row.attempts, row.error) for row in rows(app, Notification.id.in_(ids))] == [
        ("sent", 2, "")
    ] * 5


def test_an_address_the_server_refuses_fails_for_good_and_opens_an_incident(app, org, mailbox):
    with app.app_context():
        session = app.appbuilder.session
        session.get(Person, org.people["dev2"]).email = "refused-dev2@example.org"
        session.commit()
    refused = notify(app, org.people["dev2"])
    fine = notify(app, org.people["dev1"])
    assert run(app, FrozenClock(MONDAY)) == {"failed": 1, "sent": 1}
    failed, sent = rows(app, Notification.id.in_([refused, fine]))
    assert (failed.status, sent.status) == ("failed", "sent")
    assert "550" in failed.error
    with app.app_context():
        incident = app.appbuilder.session.scalars(select(Incident).where(Incident.notification_id == refused)).one()
        assert incident.status == "open" and "550" in incident.error


def test_a_passing_smtp_problem_is_retried_later_not_failed(app, org):
    app.config["TANDEM_SMTP_URL"] = "smtp://127.0.0.1:9"  # nothing listens there
    notification_id = notify(app, org.people["dev1"])
    clock = FrozenClock(MONDAY)
    assert run(app, clock) == {"retrying": 1}
    (row,) = rows(app, Notification.id == notification_id)
    assert row.status == "queued" and "attempt 1" in row.error
    assert as_utc(row.deliver_after) > MONDAY
    assert run(app, clock) == {}, "not claimed again before its backoff ends"


class Webhook(BaseHTTPRequestHandler):
    received: list[tuple[str, dict]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Webhook.received.append((self.path, body))
        self.send_response(200 if self.path == "/ok" else 400)
        self.end_headers()
        self.wfile.write(b"ok" if self.path == "/ok" else b"invalid_payload")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def webhook_server():
    Webhook.received = []
    server = HTTPServer(("127.0.0.1", 0), Webhook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_webhook_receives_text_json_slack_and_teams_accept_and_a_4xx_becomes_an_incident(
    app,
    org,
    mailbox,
    webhook_server,
):
    prefer(app, org.people["dev1"], channels=["webhook"], webhook_url=f"{webhook_server}/ok")
    prefer(app, org.people["dev2"], channels=["webhook"], webhook_url=f"{webhook_server}/bad")
    good = notify(app, org.people["dev1"])
    bad = notify(app, org.people["dev2"])
    assert run(app, FrozenClock(MONDAY)) == {"sent": 1, "failed": 1}
    assert mailbox[1].messages == [], "webhook only: no e-mail"
    path, body = Webhook.received[0]
    assert path == "/ok" and set(body) == {"text"} and "Check-in 1" in body["text"]
    sent, failed = rows(app, Notification.id.in_([good, bad]))
    assert (sent.status, sent.channel) == ("sent", "webhook")
    assert failed.status == "failed" and "400" in failed.error
    with app.app_context():
        assert app.appbuilder.session.scalars(select(Incident).where(Incident.notification_id == bad)).one()


def test_over_the_daily_budget_the_rest_merges_into_one_digest_the_next_morning(app, org, mailbox):
    prefer(app, org.people["dev1"], daily_budget=2)
    ids = [notify(app, org.people["dev1"], sequence=n) for n in range(1, 6)]
    clock = FrozenClock(MONDAY)
    assert run(app, clock) == {"sent": 2, "digested": 3}
    assert [row.status for row in rows(app, Notification.id.in_(ids))] == ["sent"] * 2 + ["digested"] * 3
    (digest,) = rows(app, Notification.template == "digest")
    assert digest.status == "queued" and sorted(digest.context["merged"]) == ids[2:]
    morning = as_utc(digest.deliver_after).astimezone(ZoneInfo("Europe/Berlin"))
    assert (morning.date(), morning.hour) == (MONDAY.date() + timedelta(days=1), 8)

    clock.advance(timedelta(days=1))
    assert run(app, clock) == {"sent": 1}
    round_up = mailbox[1].messages[-1]
    assert round_up["Subject"] == "Your Tandem round-up: 3 updates"
    text = round_up.get_body(("plain",)).get_content()
    assert all(f"check-in {n} is still open" in text for n in (3, 4, 5))


def test_quiet_hours_postpone_delivery_until_they_end(app, org, mailbox):
    prefer(app, org.people["dev1"], quiet_start=time(8, 0), quiet_end=time(12, 0))  # MONDAY is 10:30 in Berlin
    notification_id = notify(app, org.people["dev1"])
    clock = FrozenClock(MONDAY)
    assert run(app, clock) == {"postponed": 1}
    (row,) = rows(app, Notification.id == notification_id)
    assert row.status == "queued" and as_utc(row.deliver_after) == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    assert mailbox[1].messages == []
    clock.advance(timedelta(hours=2))
    assert run(app, clock) == {"sent": 1}


def test_in_app_only_people_get_no_mail_and_find_the_notification_unread(app, org, mailbox):
    prefer(app, org.people["dev1"], channels=["in_app"])
    notification_id = notify(app, org.people["dev1"])
    assert run(app, FrozenClock(MONDAY)) == {"sent": 1}
    (row,) = rows(app, Notification.id == notification_id)
    assert (row.status, row.channel, row.read_at) == ("sent", "in_app", None)
    assert mailbox[1].messages == []


def test_people_who_left_or_switched_everything_off_are_suppressed(app, org, mailbox):
    prefer(app, org.people["dev2"], channels=[])
    with app.app_context():
        app.appbuilder.session.get(Person, org.people["dev1"]).status = "left"
        app.appbuilder.session.commit()
    ids = [notify(app, org.people["dev1"]), notify(app, org.people["dev2"])]
    assert run(app, FrozenClock(MONDAY)) == {"suppressed": 2}
    assert [row.error for row in rows(app, Notification.id.in_(ids))] == [
        "the person has left",
        "the person turned every channel off",
    ]


def store_reminder_template(app, text: str, html: str) -> None:
    """HR's own version of the reminder template, as the template editor would save it."""
    with app.app_context():
        session = app.appbuilder.session
        session.add(NotificationTemplate(name="checkin/reminder", version=1, subject="Hi", text=text, html=html))
        session.commit()


def test_a_stored_template_that_reaches_for_internals_never_runs_and_the_delivery_fails_safely(app, org, mailbox):
    escape = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    store_reminder_template(app, escape, "<p>{{ cycler.__init__.__globals__ }}</p>")
    notification_id = notify(app, org.people["dev1"])
    assert run(app, FrozenClock(MONDAY)) == {"failed": 1}
    (row,) = rows(app, Notification.id == notification_id)
    assert "SecurityError" in row.error
    assert mailbox[1].messages == []


def test_a_stored_template_too_slow_to_render_fails_its_delivery_within_the_budget(app, org, mailbox):
    nested_loops = "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"
    store_reminder_template(app, nested_loops, "<p>Hi</p>")
    notification_id = notify(app, org.people["dev1"])
    started = clock.monotonic()
    assert run(app, FrozenClock(MONDAY)) == {"failed": 1}
    assert clock.monotonic() - started < 5
    (row,) = rows(app, Notification.id == notification_id)
    assert "takes longer than 1 second to render" in row.error
    assert mailbox[1].messages == []


def scheduler_passes(app, clock, passes: int = 1) -> None:
    """``passes`` scheduler passes, each followed by the Dramatiq worker draining the queue (stub broker)."""
    broker = StubBroker()
    broker.emit_after("process_boot")
    actors = declare(broker, app, clock, delivery_retries=0)
    worker = dramatiq.Worker(broker, worker_threads=1)
    worker.start()
    try:
        for _ in range(passes):
            schedule_once(app, actors, clock, "test")
            broker.join(QUEUE)
            worker.join()
    finally:
        worker.stop()
        broker.close()


def test_the_scheduler_enqueues_due_notifications_and_the_dramatiq_actor_delivers_them(app, org, mailbox):
    ids = [notify(app, org.people[name]) for name in ("dev1", "dev2")]
    scheduler_passes(app, FrozenClock(MONDAY))
    assert [row.status for row in rows(app, Notification.id.in_(ids))] == ["sent", "sent"]
    assert len(mailbox[1].messages) == 2


def test_retrying_a_refused_address_runs_delivery_now_and_closes_the_incident_only_once_it_went_out(app, org, mailbox):
    from tandem.workflows import operations

    with app.app_context():
        session = app.appbuilder.session
        session.get(Person, org.people["dev2"]).email = "refused-dev2@example.org"
        session.commit()
    notification_id = notify(app, org.people["dev2"])
    clock = FrozenClock(MONDAY)
    assert run(app, clock) == {"failed": 1}
    with app.app_context():
        session = app.appbuilder.session
        incident_id = session.scalars(select(Incident.id).where(Incident.notification_id == notification_id)).one()
        still = operations.retry(session, incident_id, clock, by="hr")
        assert not still.closed and "Still failing for Dev2: SMTP 550" in still.message
        assert session.get(Incident, incident_id).status == "open"
        assert mailbox[1].messages == []

        session.get(Person, org.people["dev2"]).email = "dev2@example.org"  # HR fixed the address
        session.commit()
        fixed = operations.retry(session, incident_id, clock, by="hr")
        assert fixed.closed and fixed.message == "Sent again to Dev2 (by e-mail). The incident is closed."
        assert (session.get(Incident, incident_id).status, session.get(Incident, incident_id).resolved_by) == (
            "retried",
            "hr",
        )
    assert str(mailbox[1].messages[-1]["To"]) == "Dev2 <dev2@example.org>"
    assert run(app, clock) == {}, "sent once, by the retry itself"


def test_a_retry_that_meets_a_passing_problem_leaves_the_incident_open_until_the_outbox_sends_it(app, org, mailbox):
    from tandem.workflows import operations

    with app.app_context():
        session = app.appbuilder.session
        session.get(Person, org.people["dev2"]).email = "refused-dev2@example.org"
        session.commit()
    notification_id = notify(app, org.people["dev2"])
    clock = FrozenClock(MONDAY)
    assert run(app, clock) == {"failed": 1}
    with app.app_context():
        session = app.appbuilder.session
        session.get(Person, org.people["dev2"]).email = "dev2@example.org"
        session.commit()
    app.config["TANDEM_SMTP_URL"] = "smtp://127.0.0.1:9"  # the server is down just now
    with app.app_context():
        session = app.appbuilder.session
        incident_id = session.scalars(select(Incident.id).where(Incident.notification_id == notification_id)).one()
        outcome = operations.retry(session, incident_id, clock, by="hr")
        assert not outcome.closed and "The outbox tries again by itself" in outcome.message
        assert session.get(Incident, incident_id).status == "open"
    app.config["TANDEM_SMTP_URL"] = mailbox[0]  # back up
    clock.advance(timedelta(minutes=1))
    assert run(app, clock) == {"sent": 1}
    with app.app_context():
        incident = app.appbuilder.session.get(Incident, incident_id)
        assert (incident.status, incident.resolved_by) == ("retried", "delivery")


def test_paused_delivery_holds_the_outbox_until_it_is_resumed(app, org, mailbox):
    ids = [notify(app, org.people[name]) for name in ("dev1", "dev2")]
    app.config["TANDEM_DELIVERY_PAUSED"] = True
    scheduler_passes(app, FrozenClock(MONDAY))
    assert [row.status for row in rows(app, Notification.id.in_(ids))] == ["queued", "queued"]
    assert mailbox[1].messages == []
    app.config["TANDEM_DELIVERY_PAUSED"] = False
    scheduler_passes(app, FrozenClock(MONDAY))
    assert [row.status for row in rows(app, Notification.id.in_(ids))] == ["sent", "sent"]
