"""Fixtures for the matching tests (imported by conftest.py): a small cohort, and the test office with one.

The cohort: two juniors to pair, four possible mentors.

boss ── lead ── junior1, junior2 ; outsider1, outsider2 (no manager)

The programme's slug is ``mentoring-cohort``, so the built-in workflow of that
name introduces every pair it proposes.
"""

from __future__ import annotations

from datetime import date

import pytest

from tandem.plugin.models import Enrolment, Person, Programme

# boss ── lead ── junior1, junior2 ; outsider1, outsider2 (no manager)
PEOPLE = {
    "boss": (None, 9, "Engineering", ["architecture", "hiring"]),
    "lead": ("boss", 6, "Engineering", ["python", "sql"]),
    "junior1": ("lead", 1, "Engineering", []),
    "junior2": ("lead", 1, "Engineering", []),
    "outsider1": (None, 7, "Sales", ["python", "negotiation"]),
    "outsider2": (None, 5, "Finance", ["sql"]),
}


@pytest.fixture
def cohort(app):
    """A mentoring programme: the juniors are mentees; boss, lead and the outsiders mentor."""
    with app.app_context():
        session = app.appbuilder.session
        people: dict[str, Person] = {}
        for number, (name, (boss, seniority, department, skills)) in enumerate(PEOPLE.items(), start=1):
            people[name] = Person(
                employee_id=f"M{number}",
                full_name=name.title(),
                email=f"{name}@example.org",
                timezone="Europe/Berlin",
                manager=people[boss] if boss else None,
                seniority=seniority,
                department=department,
                skills=skills,
                languages=["en"],
                hire_date=date(2015, 1, 1),
            )
        programme = Programme(name="Cohort", slug="mentoring-cohort", kind="mentoring", status="active")
        session.add_all([*people.values(), programme])
        goals = {"junior1": ["python"], "junior2": ["sql"]}
        for name in ("junior1", "junior2"):
            session.add(Enrolment(programme=programme, person=people[name], role="mentee", goals=goals[name]))
        for name in ("boss", "lead", "outsider1", "outsider2"):
            session.add(Enrolment(programme=programme, person=people[name], role="mentor", capacity=1))
        session.commit()
        ids = {name: person.id for name, person in people.items()} | {"programme": programme.id}
    return ids


@pytest.fixture
def office(app):
    """The test organisation (tests/organisation.py) with a cohort: dev1 and dev2 wait for mentors; Sales Head
    (login "mentor", skills python and sql, two places) and Hrp (sql, one place) mentor."""
    from organisation import PASSWORD, build

    from tandem.plugin.roles import STAFF_ROLE

    org = build(app)
    with app.app_context():
        session = app.appbuilder.session
        sm = app.appbuilder.sm
        programme = Programme(name="Cohort", slug="mentoring-cohort", kind="mentoring", status="active")
        session.add(programme)
        people = {name: session.get(Person, pk) for name, pk in org.people.items()}
        people["dev3"].skills = ["python", "sql"]
        people["hrp"].skills = ["sql"]
        session.add_all(
            [
                Enrolment(programme=programme, person=people["dev1"], role="mentee", goals=["python"]),
                Enrolment(programme=programme, person=people["dev2"], role="mentee", goals=["sql"]),
                Enrolment(programme=programme, person=people["dev3"], role="mentor", capacity=2),
                Enrolment(programme=programme, person=people["hrp"], role="mentor", capacity=1),
            ]
        )
        user = sm.add_user("mentor", "Dev", "Three", "mentor@login.example.org", [sm.find_role(STAFF_ROLE)], PASSWORD)
        people["dev3"].user_id = user.id
        session.commit()
        org.programmes["cohort"] = programme.id
    return org


def earlier_pair(app, cohort: dict[str, int], mentee: str, mentor: str) -> None:
    """Record that ``mentee`` and ``mentor`` were paired before (a closed pairing in the cohort)."""
    from tandem.plugin.models import Pairing

    with app.app_context():
        session = app.appbuilder.session
        session.add(
            Pairing(
                programme_id=cohort["programme"],
                mentee_id=cohort[mentee],
                mentor_id=cohort[mentor],
                status="closed",
                end_reason="not a fit",
            )
        )
        session.commit()
