"""HR's admin forms: they say what they did in words, return to the row, and their person pickers are sorted,
labelled with e-mail and team, and never offer ``__None``."""

from __future__ import annotations

import re

from organisation import build, login
from sqlalchemy import select

from tandem.plugin.models import Enrolment, Person

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def test_the_manager_picker_searches_the_directory_and_tells_namesakes_apart_in_name_order(app):
    org = build(app)
    with app.app_context():
        session = app.appbuilder.session
        session.add(Person(employee_id="N2", full_name="Dev1", email="dev1.berlin@example.org", department="Sales"))
        session.commit()
    client = app.test_client()
    login(client, "hr")
    page = client.get("/mentoring/people/add").get_data(as_text=True)
    manager = page.split('id="manager"', 1)[0].rsplit("<select", 1)[1] + page.split('id="manager"', 1)[1]
    manager = manager.split("</select>", 1)[0]
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", manager)
    assert ">__None<" not in manager and labels == ["— no manager (top of the organisation) —"], "no directory inside"
    assert 'data-search-url="/mentoring/people-search/"' in manager and "tandem-person-picker" in manager
    found = client.get("/mentoring/people-search/?q=dev1").get_json()["people"]
    labels = [person["label"] for person in found]
    assert "Dev1 — dev1.berlin@example.org · Sales" in labels and "Dev1 — dev1@example.org" in labels
    assert [label.split(" — ")[0] for label in labels] == sorted(label.split(" — ")[0] for label in labels)
    assert len(org.people) == 9


def test_a_manager_chosen_in_the_picker_is_saved_and_a_made_up_one_is_refused(app):
    org = build(app)
    client = app.test_client()
    login(client, "hr")

    def add(manager: str, employee_id: str):
        token = TOKEN.search(client.get("/mentoring/people/add").get_data(as_text=True)).group(1)
        data = {"csrf_token": token, "employee_id": employee_id, "full_name": "New Hire", "status": "active"}
        data |= {"email": f"{employee_id}@example.org", "timezone": "UTC", "manager": manager, "title": "Engineer"}
        data |= {"department": "Engineering", "location": "Berlin", "country": "DE", "hire_date": "2026-11-02"}
        return client.post("/mentoring/people/add", data=data, follow_redirects=True)

    add(str(org.people["lead"]), "NEW1")
    refused = add("99999", "NEW2").get_data(as_text=True)
    assert "Not a valid choice" in refused or "choose a person" in refused.lower()
    with app.app_context():
        saved = app.appbuilder.session.scalar(select(Person).where(Person.employee_id == "NEW1"))
        assert saved is not None and saved.manager_id == org.people["lead"]
        assert app.appbuilder.session.scalar(select(Person).where(Person.employee_id == "NEW2")) is None


def test_adding_an_enrolment_says_what_happened_and_shows_the_enrolment(app):
    org = build(app)
    client = app.test_client()
    login(client, "hr")
    token = TOKEN.search(client.get("/mentoring/enrolments/add").get_data(as_text=True)).group(1)
    form = {"programme": str(org.programmes["active"]), "person": str(org.people["dev3"]), "role": "mentee"}
    answer = client.post(
        "/mentoring/enrolments/add", data={**form, "capacity": "1", "status": "active", "csrf_token": token}
    )
    with app.app_context():
        pk = app.appbuilder.session.scalar(select(Enrolment.id).where(Enrolment.person_id == org.people["dev3"]))
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/mentoring/enrolments/show/{pk}")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Enrolled Dev3 in Mentoring as mentee." in page and "Added Row" not in page
