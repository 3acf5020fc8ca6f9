"""What every admin view shares: a refused save reads as a sentence, and every column reads as words."""

from __future__ import annotations

import re

from organisation import build, login
from sqlalchemy import func, select

from tandem.plugin.models import Enrolment


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def enrolments(app) -> int:
    with app.app_context():
        return app.appbuilder.session.scalar(select(func.count(Enrolment.id)))


def add_enrolment(client, org, role: str = "mentee"):
    token = csrf(client.get("/mentoring/enrolments/add").get_data(as_text=True))
    return client.post(
        "/mentoring/enrolments/add",
        data={
            "csrf_token": token,
            "programme": str(org.programmes["active"]),
            "person": str(org.people["dev1"]),
            "role": role,
            "capacity": "1",
            "status": "active",
        },
        follow_redirects=True,
    )


def test_a_duplicate_enrolment_is_refused_with_a_sentence_and_nothing_is_saved(app):
    org = build(app)
    client = app.test_client()
    login(client, "hr")
    before = enrolments(app)
    page = add_enrolment(client, org).get_data(as_text=True)
    assert "Dev1 is already enrolled in Mentoring as mentee." in page
    assert "IntegrityError" not in page and "[SQL:" not in page and "UNIQUE" not in page
    assert enrolments(app) == before


def test_the_same_person_in_another_role_is_saved(app):
    org = build(app)
    client = app.test_client()
    login(client, "hr")
    before = enrolments(app)
    page = add_enrolment(client, org, role="mentor").get_data(as_text=True)
    assert "already enrolled" not in page
    assert enrolments(app) == before + 1


def test_a_change_that_collides_with_another_row_is_refused_naming_the_fields(app):
    org = build(app)
    client = app.test_client()
    login(client, "hr")
    with app.app_context():
        session = app.appbuilder.session
        mentor = Enrolment(programme_id=org.programmes["active"], person_id=org.people["dev1"], role="mentor")
        session.add(mentor)
        session.commit()
        pk = mentor.id
    url = f"/mentoring/enrolments/edit/{pk}"
    token = csrf(client.get(url).get_data(as_text=True))
    page = client.post(
        url, data={"csrf_token": token, "role": "mentee", "capacity": "1", "status": "active"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Dev1 is already enrolled in Mentoring as mentee." in page
    with app.app_context():
        assert app.appbuilder.session.get(Enrolment, pk).role == "mentor"


def test_list_and_show_pages_read_as_words(app):
    org = build(app)
    client = app.test_client()
    login(client, "hr")
    page = client.get("/mentoring/check-ins/list/").get_data(as_text=True)
    assert "2026-11-02 09:00:00" not in page
    assert "Mon 02 Nov 2026, 10:00 CET" in page  # 09:00 UTC in the HR person's Europe/Berlin
    shown = client.get(f"/mentoring/pairings/show/{org.pairings['sales_head>dev1']}").get_data(as_text=True)
    assert ">None<" not in re.sub(r"\s+", "", shown)
    assert "—" in shown  # no end date yet
