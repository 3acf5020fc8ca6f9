"""Helpers for the self-service tests: an onboarding pair with an open check-in, forms with their CSRF token."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

from engine_support import buddy_programme, drain, post_event
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from organisation import build
from sqlalchemy import select

from tandem.plugin.models import CheckIn
from tandem.workflows.clock import FrozenClock

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def onboarding_with_an_open_check_in(app):
    """dev1 (login "staff") is hired, gets a buddy, and a week later both have check-in 1 open."""
    org = build(app)
    buddy_programme(app, org)
    clock = FrozenClock(MONDAY)
    post_event(app, "employee.hired", "E4", "hire-dev1")
    drain(app, clock)
    clock.advance(timedelta(days=8))
    drain(app, clock)
    return org, clock


def open_checkin(app, person_id: int) -> int:
    """The id of the person's open engine check-in."""
    with app.app_context():
        return app.appbuilder.session.scalars(
            select(CheckIn.id).where(
                CheckIn.respondent_id == person_id, CheckIn.status == "open", CheckIn.instance_id.is_not(None)
            )
        ).one()


def checkin(app, checkin_id: int) -> CheckIn:
    """A detached copy of a check-in row."""
    with app.app_context():
        row = app.appbuilder.session.get(CheckIn, checkin_id)
        app.appbuilder.session.expunge(row)
        return row


def csrf(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on ``path``."""
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"{path} must carry a CSRF token"
    return found.group(1)


def expired_answer_token(app, checkin_id: int, rating: int) -> str:
    """A genuine one-click token signed 30 days ago (older than any link may live)."""

    class LastMonth(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 30 * 86400

    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="tandem-checkin-answer", signer=LastMonth)
    return serializer.dumps({"checkin": checkin_id, "rating": rating})
