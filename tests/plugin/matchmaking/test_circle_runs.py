"""Peer circles as HR runs them: a draft of circles, reviewed, published; each member is welcomed to theirs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from engine_support import drain
from sqlalchemy import select

from tandem.plugin.errors import NotAllowed
from tandem.plugin.matchmaking.review import publish_run, run_matching
from tandem.plugin.models import Enrolment, Notification, Person, Programme, WorkflowInstance
from tandem.workflows.clock import FrozenClock

CLOCK = FrozenClock(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))
DEPARTMENTS = ("Engineering", "Sales", "Finance", "People")


@pytest.fixture
def circle_programme(app):
    """Fifteen participants in four departments; person 1 manages persons 2 and 3."""
    with app.app_context():
        session = app.appbuilder.session
        programme = Programme(
            name="Peer circles", slug="peer-circles", kind="peer_circle", status="active", workflow="peer-circle"
        )
        people = []
        for number in range(1, 16):
            person = Person(
                employee_id=f"C{number}",
                full_name=f"Circle Person{number}",
                email=f"c{number}@example.org",
                department=DEPARTMENTS[number % 4],
                location=("Berlin", "Lisbon")[number % 2],
                seniority=number % 6,
                timezone="Europe/Berlin",
                manager=people[0] if number in (2, 3) else None,
            )
            people.append(person)
            session.add(Enrolment(programme=programme, person=person, role="participant"))
        session.add(programme)
        session.commit()
        return programme.id, [p.id for p in people]


def test_a_draft_puts_everyone_in_one_circle_of_six_to_eight_never_with_their_manager(app, circle_programme):
    programme_id, people = circle_programme
    with app.app_context():
        session = app.appbuilder.session
        run = run_matching(session, session.get(Programme, programme_id), author="hr")
        session.commit()
        circles = [[m.person_id for m in circle.members] for circle in run.circles]
        assert sorted(p for circle in circles for p in circle) == sorted(people)
        assert all(6 <= len(circle) <= 8 for circle in circles)
        boss = people[0]
        assert not any(boss in circle and ({people[1], people[2]} & set(circle)) for circle in circles)
        assert all(circle.breakdown for circle in run.circles)


def test_publishing_circles_welcomes_every_member_naming_the_others(app, circle_programme):
    programme_id, people = circle_programme
    with app.app_context():
        session = app.appbuilder.session
        run = run_matching(session, session.get(Programme, programme_id), author="hr")
        message = publish_run(session, run, CLOCK)
        session.commit()
        assert message.startswith(f"Published {len(run.circles)} circle(s)")
        with pytest.raises(NotAllowed, match="not a draft"):
            publish_run(session, run, CLOCK)
    drain(app, CLOCK)
    with app.app_context():
        session = app.appbuilder.session
        runs = session.scalars(select(WorkflowInstance)).all()
        assert len(runs) == len(people) and all(r.state["context"].get("circle_id") for r in runs)
        welcomed = session.scalars(select(Notification).where(Notification.template == "circle/welcome")).all()
        assert sorted(n.recipient_id for n in welcomed) == sorted(people)
        one = welcomed[0]
        others = one.context["names"]["circle"].replace(" and ", ", ").split(", ")
        assert 5 <= len(others) <= 7
        assert session.get(Person, one.recipient_id).full_name not in others


def test_people_already_in_a_published_circle_are_not_circled_again(app, circle_programme):
    programme_id, _ = circle_programme
    with app.app_context():
        session = app.appbuilder.session
        first = run_matching(session, session.get(Programme, programme_id))
        publish_run(session, first, CLOCK)
        session.commit()
        second = run_matching(session, session.get(Programme, programme_id))
        assert second.circles == [] and second.stats["participants"] == 0
