"""Onboarding: the workflow's match step finds a buddy with the optimal solver — the same location preferred,
never the newcomer's own team or manager chain."""

from __future__ import annotations

from datetime import UTC, datetime

from engine_support import buddy_programme, drain, post_event
from organisation import build
from sqlalchemy import select

from tandem.plugin.models import Pairing, Person, Programme
from tandem.workflows.clock import FrozenClock

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
LOCATIONS = {"dev1": "Berlin", "dev2": "Berlin", "lead": "Berlin", "hrp": "Berlin", "dev3": "London"}


def onboarding(app, mentors, full=()):
    """dev1 is hired; ``mentors`` are buddies (``full`` ones already have their one place taken)."""
    org = build(app)
    programme_id = buddy_programme(app, org, mentors=mentors)
    with app.app_context():
        session = app.appbuilder.session
        for name, location in LOCATIONS.items():
            session.get(Person, org.people[name]).location = location
        session.get(Programme, programme_id).matching_settings = {
            "weights": {"location": 6},
            "constraints": {"in_person": True},
        }
        for name in full:
            session.add(
                Pairing(
                    programme_id=programme_id,
                    mentor_id=org.people[name],
                    mentee_id=org.people["sales1"],
                    status="active",
                )
            )
        session.commit()
    post_event(app, "employee.hired", "E4", "hire-dev1")
    drain(app, FrozenClock(MONDAY))
    with app.app_context():
        buddy = app.appbuilder.session.scalars(
            select(Pairing.mentor_id).where(
                Pairing.programme_id == programme_id, Pairing.mentee_id == org.people["dev1"]
            )
        ).all()
    return org, buddy


def test_a_new_hire_gets_a_buddy_in_their_own_location_but_never_from_their_team_or_manager_chain(app):
    org, buddy = onboarding(app, mentors=("dev2", "lead", "dev3", "hrp"))
    assert buddy == [org.people["hrp"]]


def test_when_the_nearby_buddy_is_full_the_next_best_elsewhere_is_chosen(app):
    org, buddy = onboarding(app, mentors=("dev2", "lead", "dev3", "hrp"), full=("hrp",))
    assert buddy == [org.people["dev3"]]


def test_with_only_the_team_and_the_manager_chain_available_nobody_is_paired(app):
    _, buddy = onboarding(app, mentors=("dev2", "lead"))
    assert buddy == []
