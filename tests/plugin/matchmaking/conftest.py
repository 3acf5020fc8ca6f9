"""A small mentoring cohort for the matching tests: two juniors to pair, four possible mentors.

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
