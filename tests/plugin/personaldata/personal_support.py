"""The report data set, with one person's own records planted where a download or an erasure must reach them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask
from report_data import NOW, build

from tandem.plugin.events import NewEvent
from tandem.plugin.models import (
    Acknowledgement,
    CampaignItem,
    CheckIn,
    Enrolment,
    MatchRequest,
    Notification,
    NotificationPreference,
    Pairing,
    Programme,
)
from tandem.workflows.intake import record_event

OWN_NOTE = "a1 wrote this private note for nobody else"
SHARED = "a1's shared note to the mentor"
GOAL = "learn to lead a code review"
MESSAGE = "Could you mentor me? I admire your talks"
QUIZ = "influencers sell courses"


@dataclass
class Planted:
    """Ids of the seed and of a1's planted records."""

    seeded: Any
    a1: int
    pairing: int


def plant(app: Flask) -> Planted:
    """a1 ("staff"): enrolled with goals, paired with lead_a, a check-in answer with notes, a match request,
    a quiz answer, a notification, preferences and an event about them; another person's notification names a1."""
    seeded = build(app)
    with app.app_context():
        session = app.appbuilder.session
        a1, lead_a, b1 = (seeded.people[name] for name in ("a1", "lead_a", "b1"))
        pilot = Programme(name="Pilot", slug="pilot", kind="mentoring", status="active")
        session.add(pilot)
        session.flush()
        mentoring = pilot.id
        session.add(Enrolment(programme_id=mentoring, person_id=a1, role="mentee", goals=[GOAL], enrolled_at=NOW))
        pairing = Pairing(programme_id=mentoring, mentor_id=lead_a, mentee_id=a1, status="active", proposed_at=NOW)
        session.add(pairing)
        session.flush()
        session.add(
            CheckIn(
                pairing_id=pairing.id,
                respondent_id=a1,
                sequence=9,
                due_at=NOW - timedelta(days=3),
                status="completed",
                rating=3,
                topics=["salary negotiation"],
                private_note=OWN_NOTE,
                shared_note=SHARED,
                completed_at=NOW - timedelta(days=2),
            )
        )
        session.add(MatchRequest(programme_id=mentoring, mentee_id=a1, mentor_id=lead_a, message=MESSAGE))
        item = CampaignItem(
            programme_id=seeded.programmes["campaign"], position=3, slug="item3", title="Three", body="…"
        )
        session.add(item)
        session.flush()
        session.add(Acknowledgement(item_id=item.id, person_id=a1, quiz_answer=QUIZ, acknowledged_at=NOW))
        session.add(
            Notification(
                recipient_id=a1,
                channel="email",
                template="introduction",
                context={"mentor": "Person lead_a", "me": "Person a1"},
                idempotency_key="a1-intro",
                status="sent",
            )
        )
        session.add(
            Notification(
                recipient_id=lead_a,
                channel="email",
                template="introduction",
                context={"mentee": "Person a1", "mentee_email": "a1@example.org"},
                idempotency_key="lead-a-intro",
                status="sent",
            )
        )
        session.add(NotificationPreference(person_id=a1, webhook_url="https://hooks.example.org/a1"))
        record_event(
            session,
            NewEvent(
                "employee.hired",
                a1,
                payload={"full_name": "Person a1", "email": "a1@example.org", "note": "Chloé knows Person a1"},
                source="import",
            ),
        )
        session.commit()
        assert b1
        return Planted(seeded, a1, pairing.id)
