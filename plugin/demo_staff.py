"""Something for the demo ``staff`` login to see at once, before the engine has run a week of onboarding.

A mentoring-cohort pairing with a mentor from another department (with the
reasons for the match), last week's check-in answered by both, this week's
open for an answer (with the first campaign item's prompt to discuss), and
three in-app messages — so **My mentoring**, **My
check-ins**, **My timeline** and the inbox bell all have content on day one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from .models import CampaignItem, CheckIn, Enrolment, Notification, Pairing, Person, Programme


def show_staff_around(
    session: Any, user: Any, cohort: Programme, campaign: Programme, now: datetime | None = None
) -> None:
    """Give the demo staff person a cohort pairing, one answered and one open check-in, and three messages."""
    now = now or datetime.now(UTC)
    person = session.scalars(select(Person).where(Person.user_id == user.id)).first() if user else None
    if person is None:
        return
    mentor = session.scalars(
        select(Person)
        .join(Enrolment, Enrolment.person_id == Person.id)
        .where(
            Enrolment.programme == cohort,
            Enrolment.role == "mentor",
            Person.department != person.department,
            Person.status == "active",
        )
        .order_by(Person.seniority.desc(), Person.id)
    ).first()
    if mentor is None:
        return
    session.add(Enrolment(programme=cohort, person=person, role="mentee", goals=["find my feet", "career direction"]))
    pairing = Pairing(
        programme=cohort,
        mentor=mentor,
        mentee=person,
        status="active",
        score=0.82,
        score_breakdown={
            "goals_vs_skills": 0.30,
            "seniority_gap": 0.20,
            "different_department": 0.15,
            "time_zone_overlap": 0.12,
            "shared_languages": 0.05,
        },
        proposed_at=now - timedelta(days=15),
        started_at=now - timedelta(days=14),
    )
    session.add(pairing)
    last_week = now - timedelta(days=7)
    session.add_all(
        [
            CheckIn(
                pairing=pairing,
                respondent=person,
                sequence=1,
                due_at=last_week,
                status="completed",
                rating=4,
                topics=["settling in", "tools and access"],
                shared_note="Thanks for the tour of the deployment pipeline!",
                completed_at=last_week + timedelta(hours=3),
            ),
            CheckIn(
                pairing=pairing,
                respondent=mentor,
                sequence=1,
                due_at=last_week,
                status="completed",
                rating=5,
                topics=["settling in"],
                shared_note="Good first chat. Next time: bring one piece of career advice you saw online.",
                completed_at=last_week + timedelta(hours=5),
            ),
            CheckIn(pairing=pairing, respondent=person, sequence=2, due_at=now, status="open"),
            CheckIn(pairing=pairing, respondent=mentor, sequence=2, due_at=now, status="open"),
        ]
    )
    session.flush()
    open_one = session.scalars(
        select(CheckIn).where(CheckIn.pairing == pairing, CheckIn.respondent == person, CheckIn.sequence == 2)
    ).one()
    first_item = session.scalars(
        select(CampaignItem).where(CampaignItem.programme == campaign).order_by(CampaignItem.position)
    ).first()
    if first_item is not None:
        session.add(
            Notification(
                recipient=person,
                channel="in_app",
                template="campaign/item",
                context={"subject": first_item.title, "item": first_item.slug},
                idempotency_key=f"demo:campaign:{person.id}:{first_item.slug}",
                status="sent",
                created_at=now - timedelta(days=1),
                sent_at=now - timedelta(days=1),
            )
        )
    session.add_all(
        [
            Notification(
                recipient=person,
                channel="in_app",
                template="onboarding/introduction",
                context={"subject": f"Meet {mentor.full_name}, your mentor", "pairing_id": pairing.id},
                idempotency_key=f"demo:introduction:{person.id}",
                status="sent",
                created_at=now - timedelta(days=14),
                sent_at=now - timedelta(days=14),
            ),
            Notification(
                recipient=person,
                channel="in_app",
                template="checkin/prompt",
                context={"subject": "How did this week's conversation go?", "checkin_id": open_one.id, "sequence": 2},
                idempotency_key=f"demo:checkin:{open_one.id}",
                status="sent",
                created_at=now,
                sent_at=now,
            ),
        ]
    )
