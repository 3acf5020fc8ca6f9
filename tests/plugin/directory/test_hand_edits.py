"""A person added or changed by hand, in the admin or through the REST API, reaches the workflows as an import would."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from engine_support import buddy_programme, drain
from organisation import build, jwt_headers, login
from sqlalchemy import select

from tandem.plugin.models import Event, Pairing, Person
from tandem.workflows.clock import FrozenClock

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def events_of(app, employee_id: str) -> list[str]:
    """The event types recorded about one person, oldest first."""
    with app.app_context():
        session = app.appbuilder.session
        person = session.scalar(select(Person.id).where(Person.employee_id == employee_id))
        return list(session.scalars(select(Event.type).where(Event.person_id == person).order_by(Event.id)))


def admin_form(client, path: str) -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def test_a_newcomer_hr_types_into_the_admin_gets_an_onboarding_buddy(app):
    org = build(app)
    buddy_programme(app, org)
    client = app.test_client()
    login(client, "hr")
    form = {
        "employee_id": "N-77",
        "full_name": "Zoë Ångström",
        "email": "zoe.angstrom@example.org",
        "title": "Account executive",
        "department": "Sales",
        "location": "Berlin",
        "country": "DE",
        "timezone": "Europe/Berlin",
        "seniority": "1",
        "status": "active",
        "manager": str(org.people["sales_head"]),
        "csrf_token": admin_form(client, "/mentoring/people/add"),
    }
    answer = client.post("/mentoring/people/add", data=form)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert events_of(app, "N-77") == ["employee.hired"]

    drain(app, FrozenClock(datetime.now(UTC) + timedelta(minutes=5)))
    with app.app_context():
        session = app.appbuilder.session
        newcomer = session.scalar(select(Person.id).where(Person.employee_id == "N-77"))
        assert session.scalar(select(Pairing.mentor_id).where(Pairing.mentee_id == newcomer)) is not None


def test_a_seniority_out_of_range_is_refused_on_the_form_and_nothing_is_recorded(app):
    build(app)
    client = app.test_client()
    login(client, "hr")
    form = {
        "employee_id": "N-78",
        "full_name": "Ana",
        "email": "ana@example.org",
        "title": "Analyst",
        "department": "Sales",
        "location": "Berlin",
        "country": "DE",
        "seniority": "11",
        "status": "active",
        "csrf_token": admin_form(client, "/mentoring/people/add"),
    }
    page = client.post("/mentoring/people/add", data=form)
    assert page.status_code == 200 and "Seniority is a level from 0 to 10." in page.get_data(as_text=True)
    with app.app_context():
        assert app.appbuilder.session.scalar(select(Person.id).where(Person.employee_id == "N-78")) is None


def test_an_edit_in_the_admin_records_a_leave_and_a_move_once_each(app):
    org = build(app)
    client = app.test_client()
    login(client, "hr")
    pk = org.people["dev3"]
    with app.app_context():
        dev3 = app.appbuilder.session.get(Person, pk)
        employee_id, before = dev3.employee_id, events_of(app, dev3.employee_id)
        kept = ("full_name", "email", "title", "department", "location", "country", "timezone")
        fields = {name: getattr(dev3, name) or "x" for name in kept}
    form = {**fields, "status": "on_leave", "seniority": "2", "manager": str(org.people["sales_head"])}
    answer = client.post(
        f"/mentoring/people/edit/{pk}", data={**form, "csrf_token": admin_form(client, f"/mentoring/people/edit/{pk}")}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert sorted(events_of(app, employee_id)[len(before) :]) == ["employee.leave_started", "employee.manager_changed"]

    unchanged = client.post(
        f"/mentoring/people/edit/{pk}", data={**form, "csrf_token": admin_form(client, f"/mentoring/people/edit/{pk}")}
    )
    assert unchanged.status_code == 302
    assert len(events_of(app, employee_id)) == len(before) + 2, "saving without a change records nothing"


def test_the_rest_api_records_the_same_events_as_the_admin(app):
    org = build(app)
    client = app.test_client()
    headers = jwt_headers(client, "hr")
    body = {"employee_id": "N-79", "full_name": "王秀英", "email": "xiuying@example.org", "status": "active"}
    assert client.post("/api/v1/person/", json=body, headers=headers).status_code == 201
    assert events_of(app, "N-79") == ["employee.hired"]
    with app.app_context():
        pk = app.appbuilder.session.scalar(select(Person.id).where(Person.employee_id == "N-79"))
    moved = client.put(
        f"/api/v1/person/{pk}", json={"manager": org.people["sales_head"], "status": "left"}, headers=headers
    )
    assert moved.status_code == 200, moved.get_data(as_text=True)
    assert sorted(events_of(app, "N-79")) == ["employee.hired", "employee.left", "employee.manager_changed"]
