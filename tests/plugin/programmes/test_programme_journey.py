"""HR's programme page without a browser: set up, matching settings, audience preview, bulk enrolment with
invitations, launch and close, refusals naming their field, and who may use it at all."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from organisation import build, login
from sqlalchemy import func, select

from tandem.plugin.models import Enrolment, Event, Incident, Notification, Person, Programme
from tandem.workflows.matching.settings import MatchSettings
from tandem.workflows.store import latest_version

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def hr(app):
    """The organisation with departments, and HR's signed-in client."""
    org = build(app)
    with app.app_context():
        session = app.appbuilder.session
        for name, department in {"dev1": "Engineering", "dev2": "Engineering", "dev3": "Engineering"}.items():
            session.get(Person, org.people[name]).department = department
        session.get(Person, org.people["sales1"]).department = "Sales"
        session.commit()
    client = app.test_client()
    login(client, "hr")
    return org, client


def token(client, path: str = "/mentoring/programme/new") -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def new_programme(client, **fields) -> tuple[int, str]:
    form = {"name": "Spring cohort", "kind": "mentoring", "workflow": "mentoring-cohort", "cadence": "", **fields}
    answer = client.post("/mentoring/programme/new", data={**form, "csrf_token": token(client)})
    assert answer.status_code == 302, answer.get_data(as_text=True)[-2000:]
    pk = int(re.search(r"/mentoring/programme/(\d+)/", answer.headers["Location"]).group(1))
    return pk, answer.headers["Location"]


def one(app, query):
    with app.app_context():
        return app.appbuilder.session.scalar(query)


def test_setting_up_makes_a_draft_and_a_new_cadence_gives_it_a_workflow_of_its_own(app, hr):
    _org, client = hr
    pk, location = new_programme(client, cadence="1 week", starts_on="2027-01-04", audience_department="Engineering")
    assert location.endswith("#matching"), "the work continues with the matching settings"
    with app.app_context():
        programme = app.appbuilder.session.get(Programme, pk)
        assert (programme.status, programme.slug, programme.workflow) == (
            "draft",
            "spring-cohort",
            "programme-spring-cohort",
        )
        own = latest_version(app.appbuilder.session, programme.workflow)
        assert "every: 1 week" in own.source and "every: 2 weeks" not in own.source
        assert "every: 2 weeks" in latest_version(app.appbuilder.session, "mentoring-cohort").source, "template kept"
    page = client.get(f"/mentoring/programme/{pk}/").get_data(as_text=True)
    assert "<title>Spring cohort — Programme — Tandem</title>" in page
    assert "Set up Spring cohort as a draft" in page
    assert "What a participant will get" in page and "Day 7" in page, "the timeline shows weekly check-ins"
    invite = page.split('id="invite"')[1].split("</section>")[0]
    assert "<option selected>Engineering</option>" in invite, "the invitation starts from the set-up's audience"


def test_a_bad_date_or_a_taken_name_is_refused_naming_the_field_and_nothing_is_saved(app, hr):
    _org, client = hr
    form = {"name": "Mentoring", "kind": "mentoring", "workflow": "mentoring-cohort", "csrf_token": token(client)}
    taken = client.post("/mentoring/programme/new", data=form)
    assert taken.status_code == 400 and "Name: another programme is already called Mentoring" in taken.get_data(True)
    dated = client.post("/mentoring/programme/new", data={**form, "name": "New", "starts_on": "next monday"})
    assert dated.status_code == 400 and "Starts on: expected a date" in dated.get_data(as_text=True)
    assert one(app, select(func.count(Programme.id))) == 2


def test_matching_settings_are_saved_as_the_json_the_matcher_reads(app, hr):
    _org, client = hr
    pk, _ = new_programme(client)
    page = client.get(f"/mentoring/programme/{pk}/").get_data(as_text=True)
    section = page.split('id="matching"')[1].split("</section>")[0]
    assert section.count('type="range"') == 8 and "what the mentee wants to grow in" in section
    assert "{" not in section and "weights" not in section, "labelled controls, no JSON"
    form = {f"weight_{name}": "5" for name in ("goals", "seniority", "tenure", "department", "timezone")}
    form |= {
        "weight_languages": "10",
        "shared_language": "on",
        "min_timezone_overlap": "2",
        "csrf_token": token(client),
    }
    saved = client.post(f"/mentoring/programme/{pk}/matching", data=form)
    assert saved.status_code == 302 and saved.headers["Location"].endswith("#invite")
    with app.app_context():
        stored = app.appbuilder.session.get(Programme, pk).matching_settings
    settings = MatchSettings.from_json(stored)
    assert settings.weights["languages"] == 10 and settings.shared_language and settings.min_timezone_overlap == 2
    assert settings.not_same_team is False, "an unticked switch is off"
    bad = client.post(f"/mentoring/programme/{pk}/matching", data={**form, "weight_goals": "lots"})
    assert bad.status_code == 400 and "a whole number from 0 to 10" in bad.get_data(as_text=True)
    assert 'id="weight_goals-error"' in bad.get_data(as_text=True)


def test_an_audience_is_previewed_before_anyone_is_enrolled_then_enrolled_and_invited_at_once(app, hr):
    org, client = hr
    pk, _ = new_programme(client)
    form = {"department": "Engineering", "identifiers": "sales1@example.org\nE999", "role": "mentee"}
    preview = client.post(f"/mentoring/programme/{pk}/invite", data={**form, "csrf_token": token(client)})
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "0 people to enrol" in text, "department AND list: nobody is both"
    form["identifiers"] = ""
    preview = client.post(f"/mentoring/programme/{pk}/invite", data={**form, "csrf_token": token(client)})
    text = preview.get_data(as_text=True)
    assert "3 people to enrol" in text and "dev1@example.org" in text and "Enrol 3 and send the invitations" in text
    assert one(app, select(func.count(Enrolment.id)).where(Enrolment.programme_id == pk)) == 0, (
        "a preview writes nothing"
    )
    done = client.post(
        f"/mentoring/programme/{pk}/invite", data={**form, "confirm": "yes", "csrf_token": token(client)}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("#match")
    assert "Enrolled 3 people in Spring cohort as mentees" in client.get(done.headers["Location"]).get_data(True)
    with app.app_context():
        session = app.appbuilder.session
        enrolled = session.scalars(select(Enrolment.person_id).where(Enrolment.programme_id == pk)).all()
        assert sorted(enrolled) == sorted(org.people[n] for n in ("dev1", "dev2", "dev3"))
        invited = session.scalars(select(Notification).where(Notification.template == "programme/invitation")).all()
        assert sorted(n.recipient_id for n in invited) == sorted(enrolled)
    listed = {"identifiers": "E9, dev3@example.org; nobody@example.org", "role": "mentor", "capacity": "2"}
    client.post(f"/mentoring/programme/{pk}/invite", data={**listed, "confirm": "yes", "csrf_token": token(client)})
    with app.app_context():
        mentor = app.appbuilder.session.scalars(
            select(Enrolment).where(Enrolment.programme_id == pk, Enrolment.role == "mentor")
        ).one()
        assert (mentor.person_id, mentor.capacity) == (org.people["sales1"], 2)
    again = client.post(
        f"/mentoring/programme/{pk}/invite", data={**form, "confirm": "yes", "csrf_token": token(client)}
    )
    assert again.status_code == 400 and "Nobody new to enrol" in again.get_data(as_text=True)


def test_a_manager_subtree_is_everyone_below_them_and_bad_input_names_its_field(app, hr):
    org, client = hr
    pk, _ = new_programme(client)
    form = {"manager": str(org.people["head"]), "role": "mentee", "csrf_token": token(client)}
    text = client.post(f"/mentoring/programme/{pk}/invite", data=form).get_data(as_text=True)
    assert "4 people to enrol" in text and "Head" not in re.findall(r"<td>([^<]*)</td>", text)
    for field, value, words in (
        ("hired_from", "last spring", "Hired from: expected a date"),
        ("manager", "99999", "Manager: choose a person"),
        ("role", "boss", "Role: choose one of"),
        ("capacity", "50", "Capacity: a whole number"),
    ):
        refused = client.post(f"/mentoring/programme/{pk}/invite", data={**form, field: value, "confirm": "yes"})
        assert refused.status_code == 400, field
        assert words in refused.get_data(as_text=True) and f'id="{field}-error"' in refused.get_data(as_text=True)
    assert one(app, select(func.count(Enrolment.id)).where(Enrolment.programme_id == pk)) == 0


def test_launch_and_close_are_named_transitions_and_closing_ends_the_programme(app, hr):
    _org, client = hr
    pk, _ = new_programme(client)
    client.post(
        f"/mentoring/programme/{pk}/invite",
        data={"department": "Engineering", "role": "mentee", "confirm": "yes", "csrf_token": token(client)},
    )
    launched = client.post(f"/mentoring/programme/{pk}/launch", data={"csrf_token": token(client)})
    assert launched.status_code == 302 and launched.headers["Location"].endswith("#watch")
    twice = client.post(f"/mentoring/programme/{pk}/launch", data={"csrf_token": token(client)})
    assert twice.status_code == 409 and "Spring cohort is already running" in twice.get_data(as_text=True)
    closed = client.post(f"/mentoring/programme/{pk}/close", data={"csrf_token": token(client)})
    assert "Closed Spring cohort: 3 people completed it" in client.get(closed.headers["Location"]).get_data(True)
    with app.app_context():
        session = app.appbuilder.session
        assert session.get(Programme, pk).status == "closed"
        assert set(session.scalars(select(Enrolment.status).where(Enrolment.programme_id == pk))) == {"completed"}
        assert session.scalar(select(Event.id).where(Event.type == "programme.closed", Event.programme_id == pk))


@pytest.mark.parametrize("username", ["staff", "manager"])
def test_staff_and_managers_may_not_run_programmes(app, hr, username):
    client = app.test_client()
    login(client, username)
    for path in ("/mentoring/programme/", "/mentoring/programme/new", "/mentoring/programme/1/", "/mentoring/today/"):
        assert client.get(path).status_code == 403, path
    assert client.post("/mentoring/programme/1/invite", data={"department": "Engineering"}).status_code in (400, 403)
    assert client.get("/", follow_redirects=False).status_code == 200, "their home page is the greeting"


def test_hr_lands_on_today_which_links_each_item_to_where_it_is_fixed(app, hr):
    _org, client = hr
    pk, _ = new_programme(client)
    client.post(
        f"/mentoring/programme/{pk}/invite",
        data={"department": "Engineering", "role": "mentee", "confirm": "yes", "csrf_token": token(client)},
    )
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/mentoring/today/")
    page = client.get("/mentoring/today/").get_data(as_text=True)
    assert "<title>Today — Tandem</title>" in page
    assert f'href="/mentoring/programme/{pk}/#match">3 people wait for a pair in Spring cohort' in page


def test_person_search_finds_by_name_email_team_or_id_sorted_and_scoped(app, hr):
    _org, client = hr
    found = client.get("/mentoring/people-search/?q=engineering").get_json()["people"]
    assert [p["name"] for p in found] == ["Dev1", "Dev2", "Dev3"]
    assert found[0]["label"] == "Dev1 — dev1@example.org · Engineering"
    assert [p["name"] for p in client.get("/mentoring/people-search/?q=E9").get_json()["people"]] == ["Sales1"]
    assert client.get("/mentoring/people-search/?q=" + "x" * 101).status_code == 400
    staff = app.test_client()
    login(staff, "staff")
    assert [p["name"] for p in staff.get("/mentoring/people-search/?q=dev").get_json()["people"]] == ["Dev1"]


def test_today_lists_open_incidents_and_programmes_about_to_end_with_where_to_fix_them(app, hr):
    org, client = hr
    with app.app_context():
        session = app.appbuilder.session
        session.get(Programme, org.programmes["active"]).ends_on = date.today() + timedelta(days=5)
        session.add(Incident(summary="a step failed five times", status="open"))
        session.commit()
    page = client.get("/mentoring/today/").get_data(as_text=True)
    assert 'href="/mentoring/operations/list/">1 open incident: workflow steps or messages that failed' in page
    ending = f'href="/mentoring/programme/{org.programmes["active"]}/#close">Mentoring ends on '
    assert ending in page and "wrap it up and close it" in page
