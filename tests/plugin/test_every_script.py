# ruff: noqa: F811  (pytest fixtures imported from smtp_capture are parameters here)
"""Names in every script, end to end: import, matching, introductions, check-in prompts with their invites,
webhooks, pages, reports and every CSV export — mailed to a real SMTP server without SMTPUTF8."""

from __future__ import annotations

import csv
import io
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from engine_support import drain
from markupsafe import escape
from names import PEOPLE, UTF8_LOCAL, as_csv
from organisation import PASSWORD, build, jwt_headers, login
from smtp_capture import mailbox  # noqa: F401 - fixture
from sqlalchemy import select

from tandem.plugin.matchmaking.review import accept_all, publish, run_matching
from tandem.plugin.models import Enrolment, Incident, Notification, NotificationPreference, Pairing, Person, Programme
from tandem.plugin.roles import STAFF_ROLE
from tandem.workflows.channels.addresses import ascii_form, mailto
from tandem.workflows.clock import FrozenClock
from tandem.workflows.delivery import claim_due_notifications, deliver

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
PROGRAMME = "Mentorat · Менторство · 導師制度"
MENTEES = (*PEOPLE[:8], UTF8_LOCAL)  # report to Lead ("Ólafur Þórsson")
MENTORS = PEOPLE[8:]  # report to Dev3 ("山田太郎")
WEBHOOK_PERSON = PEOPLE[9]  # 王芳 takes her messages by webhook
LOGIN_PERSON = PEOPLE[1]  # João Murphy signs in


class Webhook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:
        Webhook.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def webhook_url():
    Webhook.received = []
    server = HTTPServer(("127.0.0.1", 0), Webhook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def import_people(app, org) -> dict[str, int]:
    """HR imports everyone through the REST API; the managers' own names are in other scripts too."""
    with app.app_context():
        session = app.appbuilder.session
        session.get(Person, org.people["lead"]).full_name = "Ólafur Þórsson"
        session.get(Person, org.people["dev3"]).full_name = "山田太郎"
        session.commit()
    managers = {p.employee_id: "E3" for p in MENTEES} | {p.employee_id: "E6" for p in MENTORS}
    client = app.test_client()
    response = client.post(
        "/api/v1/person/import",
        data=as_csv((*PEOPLE, UTF8_LOCAL), managers=managers).encode("utf-8"),
        headers={**jwt_headers(client, "hr"), "Content-Type": "text/csv; charset=utf-8"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    with app.app_context():
        people = app.appbuilder.session.scalars(select(Person).where(Person.employee_id.like("I%")))
        return {person.employee_id: person.id for person in people}


def enrol_and_publish(app, ids: dict[str, int], webhook_url: str) -> list[int]:
    with app.app_context():
        session = app.appbuilder.session
        programme = Programme(name=PROGRAMME, slug="mentoring-cohort", kind="mentoring", status="active")
        programme.matching_settings = {"constraints": {"min_timezone_overlap": 0}}
        session.add(programme)
        for person in MENTEES:
            session.add(Enrolment(programme=programme, person_id=ids[person.employee_id], role="mentee"))
        for person in MENTORS:
            places = 2 if person.name == "Madonna" else 1  # nine mentees, nine places: everyone is paired
            session.add(
                Enrolment(programme=programme, person_id=ids[person.employee_id], role="mentor", capacity=places)
            )
        session.add(
            NotificationPreference(
                person_id=ids[WEBHOOK_PERSON.employee_id], channels=["webhook", "in_app"], webhook_url=webhook_url
            )
        )
        sm = app.appbuilder.sm
        user = sm.add_user("joao", "João", "Murphy", "joao@login.example.org", [sm.find_role(STAFF_ROLE)], PASSWORD)
        session.get(Person, ids[LOGIN_PERSON.employee_id]).user_id = user.id
        session.commit()
        run = run_matching(session, programme, author="hr")
        accept_all(run)
        pairing_ids = [pairing.id for pairing in publish(session, run)]
        session.commit()
        return pairing_ids


def run_for(app, clock: FrozenClock, days: int) -> None:
    """Let ``days`` pass in half days: the engine runs what is due, the outbox delivers."""
    for _ in range(days * 2):
        drain(app, clock)
        with app.app_context():
            session = app.appbuilder.session
            deliver(session, claim_due_notifications(session, clock), clock)
            session.remove()
        clock.advance(timedelta(hours=12))


def partner_of(app, pairing_ids: list[int]) -> dict[str, str]:
    with app.app_context():
        session = app.appbuilder.session
        pairings = session.scalars(select(Pairing).where(Pairing.id.in_(pairing_ids))).all()
        found = {}
        for pairing in pairings:
            found[pairing.mentee.full_name] = pairing.mentor.full_name
            found.setdefault(pairing.mentor.full_name, pairing.mentee.full_name)  # Madonna: her first mentee
        return found


def test_names_in_every_script_travel_from_import_to_mailbox_pages_and_exports(app, mailbox, webhook_url):
    url, server = mailbox
    app.config["TANDEM_SMTP_URL"] = url
    org = build(app)
    with app.app_context():
        app.appbuilder.session.query(Notification).update({"status": "sent"})  # the fixture's own
        app.appbuilder.session.commit()
    ids = import_people(app, org)
    pairing_ids = enrol_and_publish(app, ids, webhook_url)
    assert len(pairing_ids) == len(MENTEES), "everyone is matched"
    partners = partner_of(app, pairing_ids)
    run_for(app, FrozenClock(MONDAY), days=16)

    # E-mail: every person by name, decoded back from RFC 2047; domains IDNA-encoded for this server.
    by_name: dict[str, list] = {}
    for message in server.messages:
        (address,) = message["To"].addresses
        by_name.setdefault(address.display_name, []).append(message)
    for person in PEOPLE:
        if person is WEBHOOK_PERSON:
            continue
        mails = by_name[person.name]
        subjects = [message["Subject"] for message in mails]
        assert any(partners[person.name] in subject for subject in subjects), (person.name, subjects)
        assert all(str(message["To"].addresses[0].addr_spec) == ascii_form(person.email) for message in mails)
        intro = next(m for m in mails if partners[person.name] in m.get_body(("plain",)).get_content())
        assert escape(partners[person.name]) in intro.get_body(("html",)).get_content()
        prompt = next(m for m in mails if m["Subject"].startswith(f"Check-in 1 with {partners[person.name]}"))
        invite = next(part for part in prompt.walk() if part.get_content_type() == "text/calendar").get_content()
        unfolded = invite.replace("\r\n ", "")
        assert f"with {partners[person.name]}" in unfolded.split("SUMMARY:")[1].split("\r\n")[0]
        assert mailto(person.email) in unfolded
        assert all(len(line.encode()) <= 75 for line in invite.split("\r\n"))
    assert all(raw.isascii() for raw in server.raw), "no 8-bit byte reaches a server without SMTPUTF8"

    # The address only an SMTPUTF8 server can take fails for good, in words, as an incident for HR.
    with app.app_context():
        session = app.appbuilder.session
        rows = session.scalars(
            select(Notification).where(Notification.recipient_id == ids[UTF8_LOCAL.employee_id])
        ).all()
        waiting = {row.template for row in rows if row.status == "queued"}
        assert waiting <= {"feedback/pulse"}, "only the 30-day pulse is not due yet"
        failed = [row for row in rows if row.status != "queued"]
        assert failed and {row.status for row in failed} == {"failed"}
        assert all("does not offer SMTPUTF8" in row.error for row in failed)
        assert session.scalars(select(Incident).where(Incident.notification_id == failed[0].id)).one()

    # Webhook: JSON in UTF-8 with the names as they are.
    texts = [body["text"] for body in Webhook.received]
    assert any(partners[WEBHOOK_PERSON.name] in text and WEBHOOK_PERSON.name.split()[0] in text for text in texts)

    # Pages: the person's own mentoring page and inbox; the manager's report; HR's dashboard; both CSV exports.
    staff = app.test_client()
    login(staff, "joao", PASSWORD)
    mentoring = staff.get("/tandem/mentoring/").get_data(as_text=True)
    mentor = next(p for p in MENTORS if p.name == partners[LOGIN_PERSON.name])
    assert escape(mentor.name) in mentoring and escape(mentor.title) in mentoring and PROGRAMME in mentoring
    inbox = staff.get("/tandem/inbox/")
    assert inbox.status_code == 200 and "João Murphy" in inbox.get_data(as_text=True)

    manager = app.test_client()
    login(manager, "manager")
    report = manager.get("/mentoring/reports/manager").get_data(as_text=True)
    assert "Ólafur Þórsson" in report and "山田太郎" in report
    exported = manager.get("/mentoring/reports/manager.csv")
    rows = list(csv.reader(io.StringIO(exported.get_data().decode("utf-8"))))
    assert {"Ólafur Þórsson", "山田太郎"} <= {row[1] for row in rows if len(row) > 1}

    hr = app.test_client()
    login(hr, "hr")
    assert PROGRAMME in hr.get("/mentoring/reports/programmes").get_data(as_text=True)
    exported = hr.get("/mentoring/reports/programmes.csv")
    assert PROGRAMME in exported.get_data().decode("utf-8")
