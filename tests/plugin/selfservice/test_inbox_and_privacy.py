"""The inbox and its bell; the timeline's reasons; private notes reach nobody but their author."""

from __future__ import annotations

import re

import pytest
from organisation import build, jwt_headers, login
from selfservice_support import csrf, onboarding_with_an_open_check_in, open_checkin
from sqlalchemy import select

from tandem.plugin.models import CheckIn, Notification, WorkflowInstance
from tandem.plugin.selfservice.checkins import the_pairs_notes

SECRET = "my manager must never read this: I am thinking of leaving"


def in_app(app, person_id, key, template="checkin/prompt"):
    with app.app_context():
        session = app.appbuilder.session
        session.add(
            Notification(
                recipient_id=person_id, channel="in_app", template=template, idempotency_key=key, status="sent"
            )
        )
        session.commit()


def bell(page: str) -> str | None:
    found = re.search(r'id="tandem-unread">(\d+)<', page)
    return found.group(1) if found else None


def highlighted(page: str) -> int:
    return page.count("tandem-unread-row")


def test_the_bell_counts_exactly_the_rows_the_inbox_highlights_on_every_page_and_mark_as_read_clears_it(app):
    org = build(app)
    in_app(app, org.people["dev1"], "a")
    in_app(app, org.people["dev1"], "b")
    in_app(app, org.people["sales1"], "not-mine")
    client = app.test_client()
    login(client, "staff")
    inbox = client.get("/tandem/inbox/").get_data(as_text=True)
    assert highlighted(inbox) == 3, "two in-app messages and the e-mail from the fixture"
    assert inbox.count("Mark as read</button>") == 3
    for path in ("/", "/tandem/mentoring/", "/mentoring/check-ins/list/", "/tandem/inbox/"):
        assert bell(client.get(path).get_data(as_text=True)) == "3", path
    with app.app_context():
        first = app.appbuilder.session.scalars(select(Notification.id).where(Notification.idempotency_key == "a")).one()
        others = app.appbuilder.session.scalars(
            select(Notification.id).where(Notification.idempotency_key == "not-mine")
        ).one()
    token = csrf(client, "/tandem/inbox/")
    assert client.post(f"/tandem/inbox/{first}/read", data={"csrf_token": token}).status_code == 302
    inbox = client.get("/tandem/inbox/").get_data(as_text=True)
    assert bell(inbox) == "2" and highlighted(inbox) == 2
    assert client.post(f"/tandem/inbox/{others}/read", data={"csrf_token": token}).status_code == 404
    client.post("/tandem/inbox/read-all", data={"csrf_token": token})
    inbox = client.get("/tandem/inbox/").get_data(as_text=True)
    assert bell(inbox) is None and highlighted(inbox) == 0


def test_the_timeline_says_what_comes_next_in_my_time_zone_and_why_each_prompt_came(app):
    _org, _ = onboarding_with_an_open_check_in(app)
    client = app.test_client()
    login(client, "staff")
    page = client.get("/tandem/timeline/").get_data(as_text=True)
    assert "times in Europe/Berlin" in page
    assert "Check-in 2 opens" in page, "the next prompt is announced"
    assert "CET" in page, "times are shown in the person's zone"
    assert "Why: Workflow “Onboarding buddy” (version 1), step 4: check-in between newcomer and buddy" in page


def test_an_inbox_title_is_the_messages_subject_not_its_template_name(app):
    org = build(app)
    with app.app_context():
        session = app.appbuilder.session
        session.add(
            Notification(
                recipient_id=org.people["dev1"],
                channel="in_app",
                template="checkin/prompt",
                context={"sequence": 2, "names": {"newcomer": "Dev1", "buddy": "Sales Head"}},
                idempotency_key="titled",
                status="sent",
            )
        )
        session.commit()
    client = app.test_client()
    login(client, "staff")
    inbox = client.get("/tandem/inbox/").get_data(as_text=True)
    assert "<strong>Check-in 2 with Sales Head: how did it go?</strong>" in inbox
    assert "checkin/prompt" not in inbox
    assert "You received “Check-in 2 with Sales Head: how did it go?”" in client.get("/tandem/timeline/").get_data(
        as_text=True
    )


def test_staff_and_hr_number_the_steps_of_a_run_alike(app):
    _org, _ = onboarding_with_an_open_check_in(app)
    staff = app.test_client()
    login(staff, "staff")
    timeline = staff.get("/tandem/timeline/").get_data(as_text=True)
    numbers = set(re.findall(r"now at step (\d+): check-in between", timeline))
    assert numbers == {"4"}, "staff read the check-in step as step 4 (after the match, the introduction and the pulse)"
    hr = app.test_client()
    login(hr, "hr")
    with app.app_context():
        run = app.appbuilder.session.scalars(select(WorkflowInstance.id)).first()
    page = hr.get(f"/mentoring/workflow-runs/show/{run}").get_data(as_text=True)
    assert re.search(r"<th[^>]*>Step</th>\s*<td>\s*<span[^>]*>Step 4</span>", page), "HR reads the same step 4"


@pytest.fixture
def secret_answered(app):
    org, _clock = onboarding_with_an_open_check_in(app)
    checkin_id = open_checkin(app, org.people["dev1"])
    client = app.test_client()
    login(client, "staff")
    token = csrf(client, "/tandem/inbox/")
    client.post(
        f"/tandem/check-ins/{checkin_id}/answer",
        data={"csrf_token": token, "rating": "2", "private_note": SECRET, "shared_note": "fine"},
    )
    assert SECRET in client.get(f"/tandem/check-ins/{checkin_id}").get_data(as_text=True), "the author sees it"
    return org, checkin_id


@pytest.mark.parametrize("username", ["manager", "hr", "admin"])
def test_managers_hr_and_admins_find_the_private_note_nowhere(app, secret_answered, username):
    _org, checkin_id = secret_answered
    client = app.test_client()
    headers = jwt_headers(client, username)
    listing = client.get("/api/v1/checkin/?q=(page_size:100)", headers=headers).get_data(as_text=True)
    assert SECRET not in listing
    assert SECRET not in client.get(f"/api/v1/checkin/{checkin_id}", headers=headers).get_data(as_text=True)
    assert SECRET not in client.get("/api/v1/event/?q=(page_size:100)", headers=headers).get_data(as_text=True)
    login(client, username)
    pages = [
        "/mentoring/check-ins/list/",
        f"/mentoring/check-ins/show/{checkin_id}",
        "/mentoring/events/list/",
        "/mentoring/workflow-runs/list/",
        "/mentoring/workflow-history/list/",
        f"/tandem/check-ins/{checkin_id}",
        "/tandem/check-ins/",
        "/tandem/timeline/",
        "/tandem/inbox/",
    ]
    for path in pages:
        response = client.get(path)
        assert SECRET not in response.get_data(as_text=True), path
    assert client.get(f"/tandem/check-ins/{checkin_id}").status_code in (403, 404)


def test_the_pair_sees_the_shared_note_but_never_the_private_one(app, secret_answered):
    _org, checkin_id = secret_answered
    with app.app_context():
        session = app.appbuilder.session
        mine = session.get(CheckIn, checkin_id)
        theirs = session.scalars(
            select(CheckIn).where(CheckIn.instance_id == mine.instance_id, CheckIn.id != checkin_id)
        ).one()
        notes = the_pairs_notes(session, theirs)
        assert notes == [(mine.respondent.full_name, "fine")]
        assert all(SECRET not in note for _, note in notes)
