"""HR's admin forms: they say what they did in words, return to the row, and their person pickers are sorted,
labelled with e-mail and team, and never offer ``__None``."""

from __future__ import annotations

import re

from organisation import build, login
from sqlalchemy import select

from tandem.plugin.models import Enrolment, Person

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def test_the_manager_picker_offers_no_none_and_tells_namesakes_apart_in_name_order(app):
    org = build(app)
    with app.app_context():
        session = app.appbuilder.session
        session.add(Person(employee_id="N2", full_name="Dev1", email="dev1.berlin@example.org", department="Sales"))
        session.commit()
    client = app.test_client()
    login(client, "hr")
    page = client.get("/mentoring/people/add").get_data(as_text=True)
    manager = page.split('id="manager"', 1)[1].split("</select>", 1)[0]
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", manager)
    assert ">__None<" not in manager and labels[0] == "— no manager (top of the organisation) —"
    assert "Dev1 — dev1.berlin@example.org · Sales" in labels and "Dev1 — dev1@example.org" in labels
    names = labels[1:]
    assert names == sorted(names, key=lambda label: label.split(" — ")[0]), "sorted by name"
    assert len(names) == len(org.people) + 1


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
