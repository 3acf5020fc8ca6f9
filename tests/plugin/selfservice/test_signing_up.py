"""Signing up for a programme: its questionnaire, an enrolment at once or after HR's approval, refusals by field."""

from __future__ import annotations

import re

import pytest
from organisation import build, login
from sqlalchemy import select

from tandem.plugin.models import Enrolment, Programme, SignUp


def token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def org(app):
    org = build(app)
    with app.app_context():
        session = app.appbuilder.session
        session.add_all(
            [
                Programme(name="Open cohort", slug="open-cohort", kind="mentoring", status="active", signup_open=True),
                Programme(
                    name="Leaders",
                    slug="leaders",
                    kind="mentoring",
                    status="active",
                    signup_open=True,
                    signup_needs_approval=True,
                ),
            ]
        )
        session.commit()
    return org


def send(client, ref: str, **answers):
    data = {"csrf_token": token(client, f"/tandem/signup/{ref}"), **answers}
    return client.post(f"/tandem/signup/{ref}", data=data)


def enrolments(app, org, slug: str) -> list[tuple[str, list[str], int]]:
    with app.app_context():
        rows = app.appbuilder.session.scalars(
            select(Enrolment).join(Programme).where(Programme.slug == slug, Enrolment.person_id == org.people["dev1"])
        )
        return [(e.role, list(e.goals), e.capacity) for e in rows]


def test_open_programmes_are_listed_under_me_and_only_those(app, org):
    client = app.test_client()
    login(client, "staff")
    page = client.get("/tandem/signup/").get_data(as_text=True)
    assert "<title>Sign up for a programme" in page
    assert "Open cohort" in page and "Leaders" in page
    assert "Secret pilot" not in page and 'id="programme-mentoring"' not in page  # draft, and not open


def test_signing_up_as_a_mentee_enrols_at_once_with_the_goals(app, org):
    client = app.test_client()
    login(client, "staff")
    response = send(client, "open-cohort", role="mentee", goals="public speaking, negotiation", availability="Tue pm")
    assert response.status_code == 302 and response.location.endswith("/tandem/mentoring/")
    assert enrolments(app, org, "open-cohort") == [("mentee", ["public speaking", "negotiation"], 1)]
    assert send(client, "open-cohort", role="mentee", goals="again").status_code == 409


def test_a_programme_that_asks_for_approval_enrols_only_when_hr_approves(app, org):
    client = app.test_client()
    login(client, "staff")
    assert send(client, "leaders", role="mentor", capacity="2", availability="Fridays").status_code == 302
    assert enrolments(app, org, "leaders") == []
    hr = app.test_client()
    login(hr, "hr")
    page = hr.get("/mentoring/signups/").get_data(as_text=True)
    assert "Dev1" in page and "Fridays" in page
    with app.app_context():
        pk = app.appbuilder.session.scalars(select(SignUp.id)).one()
    csrf = {"csrf_token": token(hr, "/mentoring/signups/")}
    response = hr.post(f"/mentoring/signups/{pk}/approve", data=csrf)
    assert response.status_code == 302
    assert enrolments(app, org, "leaders") == [("mentor", [], 2)]
    again = hr.post(f"/mentoring/signups/{pk}/decline", data=csrf)
    assert again.status_code == 409


def test_staff_cannot_open_hrs_approval_list(app, org):
    client = app.test_client()
    login(client, "staff")
    assert client.get("/mentoring/signups/").status_code in (302, 403)


@pytest.mark.parametrize(
    ("answers", "named"),
    [
        ({"role": "boss"}, "role"),
        ({"role": "mentee", "goals": ""}, "goals"),
        ({"role": "mentee", "goals": "a, b, c, d"}, "goals"),
        ({"role": "mentor", "capacity": "0"}, "capacity"),
        ({"role": "mentor", "capacity": "lots"}, "capacity"),
        ({"role": "mentee", "goals": "x", "availability": "y" * 201}, "availability"),
    ],
)
def test_a_bad_answer_is_refused_naming_its_field(app, org, answers, named):
    client = app.test_client()
    login(client, "staff")
    response = send(client, "open-cohort", **answers)
    assert response.status_code == 400
    assert f'id="{named}-error"' in response.get_data(as_text=True)
    assert enrolments(app, org, "open-cohort") == []


def test_a_programme_not_taking_sign_ups_is_not_found(app, org):
    client = app.test_client()
    login(client, "staff")
    assert client.get("/tandem/signup/mentoring").status_code == 404
    assert client.get("/tandem/signup/pilot").status_code == 404


def invitation(app, org, slug: str, person: str) -> str:
    from tandem.plugin.selfservice.signup import invitation_url

    with app.test_request_context(), app.app_context():
        programme = app.appbuilder.session.scalars(select(Programme).where(Programme.slug == slug)).one()
        url = invitation_url(programme, org.people[person])
    return url[url.index("/tandem/signup/") :]


def test_hrs_invitation_opens_a_programme_not_open_to_all_and_needs_no_approval(app, org):
    with app.app_context():
        session = app.appbuilder.session
        leaders = session.scalars(select(Programme).where(Programme.slug == "leaders")).one()
        leaders.signup_open = False  # invitation only, and approval asked of open sign-ups
        session.commit()
    link = invitation(app, org, "leaders", "dev1")
    client = app.test_client()
    login(client, "staff")
    assert client.get("/tandem/signup/leaders").status_code == 404
    page = client.get(link)
    assert page.status_code == 200 and 'name="invite"' in page.get_data(as_text=True)
    invite = link.split("invite=")[1]
    csrf = token(client, link)
    sent = client.post(link, data={"csrf_token": csrf, "invite": invite, "role": "mentee", "goals": "strategy"})
    assert sent.status_code == 302
    assert enrolments(app, org, "leaders") == [("mentee", ["strategy"], 1)]


def test_an_invitation_counts_only_for_the_person_it_names_and_only_untampered(app, org):
    with app.app_context():
        session = app.appbuilder.session
        session.scalars(select(Programme).where(Programme.slug == "leaders")).one().signup_open = False
        session.commit()
    someone_elses = invitation(app, org, "leaders", "dev2")
    client = app.test_client()
    login(client, "staff")
    assert client.get(someone_elses).status_code == 404
    assert client.get(someone_elses[:-3] + "xyz").status_code == 400


def test_hr_opens_a_programme_for_sign_up_on_its_form(app, org):
    hr = app.test_client()
    login(hr, "hr")
    page = hr.get(f"/mentoring/programmes/edit/{org.programmes['active']}").get_data(as_text=True)
    assert "Staff may sign up" in page and "HR approves each sign-up" in page
