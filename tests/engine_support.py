"""Helpers for engine tests: an organisation with a buddy programme, a loop that runs what is due, and a match
step whose matching service is unreachable."""

from __future__ import annotations

from datetime import UTC, datetime

from organisation import jwt_headers
from simple_matcher import SimpleMatcher
from sqlalchemy import func, select

from tandem.plugin.models import Enrolment, Programme
from tandem.workflows.actors import BATCH
from tandem.workflows.jobs import run_timers
from tandem.workflows.scheduler import claim_due

MATCH_LATER = """
workflow: match-later
subject: person
steps:
  - wait: {for: 1 day}
  - match: {role: buddy}
"""


class BrokenMatcher(SimpleMatcher):
    """A matcher whose service cannot be reached: every match step fails."""

    def find(self, *args, **kwargs):
        raise ConnectionError("matching service unreachable")


def buddy_programme(app, org, mentors=("sales_head", "hrp"), capacity=1) -> int:
    """An active "onboarding-buddies" programme with the given mentors enrolled."""
    with app.app_context():
        session = app.appbuilder.session
        programme = Programme(name="Onboarding buddies", slug="onboarding-buddies", kind="onboarding", status="active")
        session.add(programme)
        session.flush()
        for name in mentors:
            session.add(Enrolment(programme=programme, person_id=org.people[name], role="mentor", capacity=capacity))
        session.commit()
        return programme.id


def drain(app, clock, matcher=None, rounds=50) -> int:
    """Claim and run every due timer until nothing is due, a message's batch at a time, as workers do."""
    ran = 0
    with app.app_context():
        session = app.appbuilder.session
        for _ in range(rounds):
            ids = claim_due(session, clock, "test")
            if not ids:
                break
            for start in range(0, len(ids), BATCH):
                run_timers(session, ids[start : start + BATCH], clock, matcher)
            ran += len(ids)
        session.remove()
    return ran


def count(app, model, *where) -> int:
    """Rows of ``model`` matching ``where``."""
    with app.app_context():
        return app.appbuilder.session.scalar(select(func.count(model.id)).where(*where))


def as_utc(moment: datetime) -> datetime:
    """A stored timestamp as aware UTC (SQLite hands them back naive, PostgreSQL aware)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def post_event(app, event_type: str, employee_id: str, event_id: str) -> int:
    """HR posts an event through the REST API, as an HRIS would; returns the HTTP status."""
    client = app.test_client()
    response = client.post(
        "/api/v1/event/",
        json={"event_id": event_id, "type": event_type, "employee_id": employee_id},
        headers=jwt_headers(client, "hr"),
    )
    assert response.status_code in (200, 201), response.get_data(as_text=True)
    return response.status_code
