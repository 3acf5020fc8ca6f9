"""Helpers for the goals and feedback tests: an onboarding pair whose buddy can sign in too."""

from __future__ import annotations

from datetime import timedelta

from engine_support import buddy_programme, drain, post_event
from organisation import PASSWORD, build
from selfservice_support import MONDAY
from sqlalchemy import select

from tandem.plugin.models import CheckIn, Person
from tandem.plugin.roles import STAFF_ROLE
from tandem.workflows.clock import FrozenClock

BUDDY_LOGIN = "buddy"


def pair_with_two_logins(app):
    """dev1 (login "staff") is hired and gets sales1 (login "buddy") as buddy; a week on, check-in 1 is open."""
    org = build(app)
    buddy_programme(app, org, mentors=("sales1",))
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.add_user(BUDDY_LOGIN, "Sal", "Es", "buddy@login.example.org", [sm.find_role(STAFF_ROLE)], PASSWORD)
        app.appbuilder.session.get(Person, org.people["sales1"]).user_id = user.id
        app.appbuilder.session.commit()
    clock = FrozenClock(MONDAY)
    post_event(app, "employee.hired", "E4", "hire-dev1")
    drain(app, clock)
    clock.advance(timedelta(days=8))
    drain(app, clock)
    return org, clock


def engine_checkins(app, person_id: int, status: str = "open") -> list[int]:
    """The ids of the person's engine check-ins with ``status``, in sequence order."""
    with app.app_context():
        return list(
            app.appbuilder.session.scalars(
                select(CheckIn.id)
                .where(CheckIn.respondent_id == person_id, CheckIn.status == status, CheckIn.instance_id.is_not(None))
                .order_by(CheckIn.sequence)
            )
        )
