"""A programme HR creates runs the workflow it names: the built-in definitions are templates for any programme."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from engine_support import drain
from smtp_capture import mailbox  # noqa: F401 - a fixture
from sqlalchemy import select

from tandem.plugin.errors import Refused
from tandem.plugin.events import NewEvent
from tandem.plugin.matchmaking.review import accept_all, publish, run_matching
from tandem.plugin.models import Enrolment, Pairing, Person, Programme, WorkflowInstance
from tandem.workflows.clock import FrozenClock
from tandem.workflows.delivery import claim_due_notifications, deliver
from tandem.workflows.intake import record_event

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
FIVE = {  # name: (role, department, skills or goals); ASCII: the "mail" work covers other scripts
    "Aino Makinen": ("mentee", "Engineering", ["python"]),
    "Dmitri Sokolov": ("mentee", "Sales", ["negotiation"]),
    "Zoe O'Brien": ("mentor", "Finance", ["python", "negotiation"]),
    "Kwame Mensah": ("mentor", "People", ["negotiation"]),
    "Ingrid Berg": ("mentor", "Design", ["python"]),
}


def five_people_in(app, slug: str, workflow: str | None, status: str = "active") -> int:
    """A programme HR made (``workflow`` chosen from the list) with two mentees and three mentors enrolled."""
    with app.app_context():
        session = app.appbuilder.session
        programme = Programme(name=slug.title(), slug=slug, kind="mentoring", status=status, workflow=workflow)
        session.add(programme)
        for number, (name, (role, department, words)) in enumerate(FIVE.items(), start=1):
            person = session.scalars(select(Person).where(Person.full_name == name)).first() or Person(
                employee_id=f"P{number}",
                full_name=name,
                email=f"p{number}@example.org",
                timezone="Europe/London",
                country="GB",
                department=department,
                seniority=2 if role == "mentee" else 7,
                skills=words if role == "mentor" else [],
                languages=["en"],
                hire_date=date(2018, 1, 1),
            )
            goals = words if role == "mentee" else []
            session.add(Enrolment(programme=programme, person=person, role=role, goals=goals, capacity=1))
        session.commit()
        return programme.id


def match_and_publish(app, programme_id: int) -> list[int]:
    with app.app_context():
        session = app.appbuilder.session
        run = run_matching(session, session.get(Programme, programme_id), author="hr")
        accept_all(run)
        ids = [p.id for p in publish(session, run)]
        session.commit()
        return ids


def test_a_new_programme_running_the_cohort_template_introduces_its_pairs_by_mail(app, mailbox):  # noqa: F811
    app.config["TANDEM_SMTP_URL"] = mailbox[0]
    five_people_in(app, "mentoring-cohort", None)  # the built-in's own programme, also running
    autumn = five_people_in(app, "autumn-cohort", "mentoring-cohort")
    pairing_ids = match_and_publish(app, autumn)
    assert len(pairing_ids) == 2
    clock = FrozenClock(MONDAY)
    drain(app, clock)
    with app.app_context():
        session = app.appbuilder.session
        pairings = session.scalars(select(Pairing).where(Pairing.id.in_(pairing_ids))).all()
        assert {p.status for p in pairings} == {"active"}
        paired = sorted(person.full_name for p in pairings for person in (p.mentee, p.mentor))
        runs = session.scalars(select(WorkflowInstance)).all()
        assert {r.programme_id for r in runs} == {autumn}, "the runs belong to the programme that published"
        deliver(session, claim_due_notifications(session, clock), clock)
        session.remove()
    introduced = sorted(m["To"].addresses[0].display_name for m in mailbox[1].messages)
    assert introduced == paired, "both mentees and their mentors, each once"
    assert {"Aino Makinen", "Dmitri Sokolov"} <= set(introduced)
    assert {m["Subject"].split(":")[0] for m in mailbox[1].messages} == {"Your mentoring pair"}


def test_publishing_in_a_programme_whose_workflow_starts_otherwise_is_refused_naming_the_workflow(app):
    programme_id = five_people_in(app, "hire-buddies", "onboarding-buddy")
    with pytest.raises(Refused) as refused:
        match_and_publish(app, programme_id)
    assert refused.value.field == "workflow"
    assert "onboarding-buddy, which starts on employee.hired" in str(refused.value)


def test_a_hire_starts_the_workflow_in_its_default_programme_only_while_that_programme_runs_it(app):
    with app.app_context():
        session = app.appbuilder.session
        newcomer = Person(employee_id="N1", full_name="Søren Ødegård", email="n1@example.org", timezone="Europe/Oslo")
        newcomer.hire_date = MONDAY.date()
        buddies = Programme(name="Buddies", slug="onboarding-buddies", kind="onboarding", status="active")
        session.add_all([newcomer, buddies])
        session.flush()
        record_event(session, NewEvent("employee.hired", newcomer.id, event_id="hired-1"))
        session.commit()
    drain(app, FrozenClock(MONDAY))
    with app.app_context():
        session = app.appbuilder.session
        (run,) = session.scalars(select(WorkflowInstance)).all()
        assert run.programme.slug == "onboarding-buddies"
        session.get(Programme, run.programme_id).workflow = "mentoring-cohort"  # HR switched it
        newcomer = session.scalars(select(Person).where(Person.employee_id == "N1")).one()
        record_event(session, NewEvent("employee.hired", newcomer.id, event_id="hired-2"))
        session.commit()
    drain(app, FrozenClock(MONDAY))
    with app.app_context():
        assert len(app.appbuilder.session.scalars(select(WorkflowInstance)).all()) == 1


def test_the_api_accepts_only_the_name_of_a_stored_workflow_definition(app):
    from organisation import build, jwt_headers

    build(app)
    client = app.test_client()
    headers = jwt_headers(client, "hr")
    programme = {"name": "Winter cohort", "slug": "winter", "kind": "mentoring", "status": "draft"}
    refused = client.post("/api/v1/programme/", json={**programme, "workflow": "mentoring cohort v2"}, headers=headers)
    assert refused.status_code == 422
    assert "no workflow definition named 'mentoring cohort v2'" in refused.json["message"]["workflow"][0]
    created = client.post("/api/v1/programme/", json={**programme, "workflow": "mentoring-cohort"}, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)


def test_the_programme_form_offers_the_stored_workflows_and_insists_on_one(app):
    import re

    from organisation import build, login

    build(app)
    client = app.test_client()
    login(client, "hr")
    page = client.get("/mentoring/programmes/add").get_data(as_text=True)
    offered = re.findall(r'<option value="([^"]*)"', page.split('id="workflow"', 1)[1].split("</select>", 1)[0])
    assert offered[0] == "" and {"mentoring-cohort", "onboarding-buddy", "peer-circle"} <= set(offered)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "name": "Winter", "slug": "winter", "kind": "mentoring", "status": "draft"}
    form["description"] = "Mentoring for the winter starters."
    for value, says in (("", "This field is required"), ("mentoring cohort v2", "Not a valid choice")):
        answer = client.post("/mentoring/programmes/add", data={**form, "workflow": value})
        assert answer.status_code == 200 and says in answer.get_data(as_text=True)
    client.post("/mentoring/programmes/add", data={**form, "workflow": "mentoring-cohort"})
    with app.app_context():
        session = app.appbuilder.session
        assert session.scalars(select(Programme.workflow).where(Programme.slug == "winter")).all() == [
            "mentoring-cohort"
        ]
