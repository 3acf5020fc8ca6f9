"""Demo history for the participation reports: cohort pairings, check-ins over the past months, acknowledgements.

Called by :func:`tandem.plugin.demo.seed_demo` after the programmes exist, so
``manager`` and ``hr`` open reports with something to show. Everything is
dated relative to ``today`` and drawn from the demo's fixed random seed.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from .models import Acknowledgement, CampaignItem, CheckIn, Enrolment, Notification, Pairing, Person, Programme

WEEKS = 18  # about four months of fortnightly check-ins


def seed_report_history(session: Any, rng: random.Random, cohort: Programme, campaign: Programme, today: date) -> int:
    """Pair the cohort's mentees, give them fortnightly check-ins, acknowledge campaign items; returns check-ins."""
    start = datetime.combine(today - timedelta(weeks=WEEKS), time(9), tzinfo=UTC)
    now = datetime.combine(today, time(9), tzinfo=UTC)
    mentors = list(
        session.scalars(select(Enrolment).where(Enrolment.programme_id == cohort.id, Enrolment.role == "mentor"))
    )
    enrolled = select(Enrolment.person_id).where(Enrolment.programme_id.in_((cohort.id,)))
    newcomers = today - timedelta(days=120)
    others = session.scalars(
        select(Person)
        .where(Person.status == "active", Person.hire_date < newcomers, ~Person.id.in_(enrolled))
        .order_by(Person.id)
    ).all()
    session.add_all(
        Enrolment(programme=cohort, person=person, role="mentee", goals=[], enrolled_at=now - timedelta(weeks=WEEKS))
        for person in others
        if not person.reports and rng.random() < 0.35
    )
    session.flush()
    mentees = list(
        session.scalars(select(Enrolment).where(Enrolment.programme_id == cohort.id, Enrolment.role == "mentee"))
    )
    load: dict[int, int] = {}
    made = 0
    for index, enrolment in enumerate(mentees):
        if not mentors or rng.random() < 0.15:
            continue  # left unmatched: matching health shows them
        mentor = mentors[index % len(mentors)]
        if mentor.person_id == enrolment.person_id or load.get(mentor.person_id, 0) >= mentor.capacity + 2:
            continue
        load[mentor.person_id] = load.get(mentor.person_id, 0) + 1
        begun = start + timedelta(days=rng.randint(0, 40))
        pairing = Pairing(
            programme=cohort,
            mentor_id=mentor.person_id,
            mentee_id=enrolment.person_id,
            status=rng.choice(["active", "active", "active", "accepted", "closed"]),
            score=round(rng.uniform(0.4, 0.95), 2),
            proposed_at=begun - timedelta(days=3),
            started_at=begun,
        )
        session.add(pairing)
        silent_weeks = rng.choice([0, 0, 0, 0, 5, 7])  # some pairs fall silent for their last weeks
        quiet_from = now - timedelta(weeks=silent_weeks) if silent_weeks else now
        due, sequence = begun + timedelta(weeks=2), 1
        while due < now:
            drawn = rng.choices(["completed", "missed", "cancelled"], [80, 15, 5])[0]
            state = "missed" if due >= quiet_from else drawn
            answered = state == "completed"
            session.add(
                CheckIn(
                    pairing=pairing,
                    respondent_id=enrolment.person_id,
                    sequence=sequence,
                    due_at=due,
                    status=state,
                    rating=rng.choices([2, 3, 4, 5], [1, 3, 5, 3])[0] if answered else None,
                    completed_at=due + timedelta(hours=rng.randint(2, 60)) if answered else None,
                    private_note="(private demo note)" if answered else "",
                )
            )
            made += 1
            due, sequence = due + timedelta(weeks=2), sequence + 1
        if rng.random() < 0.2:
            enrolment.status = "completed"
    items = list(session.scalars(select(CampaignItem).where(CampaignItem.programme_id == campaign.id)))
    readers = session.scalars(select(Enrolment.person_id).where(Enrolment.programme_id == campaign.id)).all()
    for person_id in readers:
        for item in items:
            if rng.random() < 0.45:
                session.add(Acknowledgement(item=item, person_id=person_id, acknowledged_at=now - timedelta(days=3)))
    for number, person_id in enumerate(readers[:120]):
        session.add(
            Notification(
                recipient_id=person_id,
                channel="email",
                template="campaign/item",
                status=rng.choices(["sent", "failed", "digested", "suppressed"], [85, 3, 8, 4])[0],
                idempotency_key=f"demo-report-{number}",
                created_at=now - timedelta(days=rng.randint(1, 60)),
            )
        )
    return made


__all__ = ["seed_report_history"]
