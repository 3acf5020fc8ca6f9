"""A peer circle's goals are the circle's: every member reads them, nobody outside the circle does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from engine_support import drain
from sqlalchemy import select

from tandem.plugin.errors import NotFound
from tandem.plugin.matchmaking.review import publish_run, run_matching
from tandem.plugin.models import CheckIn, CircleMember, Enrolment, Person, Programme
from tandem.plugin.selfservice.goals import agree_goals, goals_for, group_of
from tandem.workflows.clock import FrozenClock


@pytest.fixture
def circle_checkins(app):
    """Seven colleagues in one published circle, two weeks on: each has check-in 1 of their own run open."""
    clock = FrozenClock(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))
    with app.app_context():
        session = app.appbuilder.session
        programme = Programme(
            name="Peer circles", slug="peer-circles", kind="peer_circle", status="active", workflow="peer-circle"
        )
        for number in range(1, 8):
            person = Person(
                employee_id=f"C{number}",
                full_name=f"Circle Person{number}",
                email=f"c{number}@example.org",
                department=("Engineering", "Sales")[number % 2],
                timezone="Europe/Berlin",
            )
            session.add(Enrolment(programme=programme, person=person, role="participant"))
        outsider = Person(employee_id="O1", full_name="Not In It", email="o1@example.org")
        session.add_all([programme, outsider])
        session.commit()
        publish_run(session, run_matching(session, programme, author="hr"), clock)
        session.commit()
        outsider_id = outsider.id
    drain(app, clock)
    clock.advance(timedelta(days=15))
    drain(app, clock)
    return outsider_id


def test_a_goal_one_member_writes_is_read_by_every_member_of_the_circle_only(app, circle_checkins):
    with app.app_context():
        session = app.appbuilder.session
        checkins = session.scalars(select(CheckIn).where(CheckIn.status == "open", CheckIn.sequence == 1)).all()
        assert len(checkins) == 7
        first = checkins[0]
        agree_goals(session, first, ["Say no to one meeting a week"], datetime(2026, 12, 8, tzinfo=UTC))
        session.commit()
        group = group_of(session, first)
        assert group.startswith("circle:")
        members = session.scalars(select(CircleMember.person_id)).all()
        for other in checkins[1:]:
            assert group_of(session, other) == group
            assert [g.text for g in goals_for(session, group, other.respondent_id)] == ["Say no to one meeting a week"]
        assert len(members) == 7
        with pytest.raises(NotFound):
            goals_for(session, group, circle_checkins)
