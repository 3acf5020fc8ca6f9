"""Something for the demo ``staff`` login to see at once, before the engine has run a week of onboarding.

A mentoring-cohort pairing with the mentor the solver suggests first (never in
their own reporting line; with the reasons for the match), made after their
hire date; last week's check-in answered by both, this week's open for an
answer (with the first campaign item's prompt to discuss), and two in-app
messages — so **My mentoring**, **My check-ins**, **My timeline** and the inbox
bell all have content on day one.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update

from tandem.workflows.intake import record_event
from tandem.workflows.matching.loader import suggest
from tandem.workflows.matching.settings import MatchSettings

from .events import NewEvent
from .models import CampaignItem, CheckIn, Enrolment, Notification, Pairing, Person, Programme, Timer


def show_staff_around(
    session: Any, user: Any, cohort: Programme, campaign: Programme, now: datetime | None = None
) -> None:
    """Give the demo staff person a cohort pairing, one answered and one open check-in, and two messages."""
    now = now or datetime.now(UTC)
    person = session.scalars(select(Person).where(Person.user_id == user.id)).first() if user else None
    if person is None:
        return
    hired = datetime.combine(person.hire_date, time(9), tzinfo=UTC) if person.hire_date else now - timedelta(days=10)
    joined = max(hired, now - timedelta(days=9))
    session.add(
        Enrolment(
            programme=cohort,
            person=person,
            role="mentee",
            goals=["find my feet", "career direction"],
            enrolled_at=joined,
        )
    )
    session.flush()
    found, _why = suggest(session, cohort, person, MatchSettings.from_json(cohort.matching_settings), k=1)
    if not found:
        return
    best = found[0]
    mentor = session.get(Person, best.mentor)
    pairing = Pairing(
        programme=cohort,
        mentor=mentor,
        mentee=person,
        status="active",
        score=float(best.score),
        score_breakdown=dict(best.breakdown),
        proposed_at=joined,
        started_at=joined + timedelta(hours=20),
    )
    session.add(pairing)
    first_item = session.scalars(
        select(CampaignItem).where(CampaignItem.programme == campaign).order_by(CampaignItem.position)
    ).first()
    to_discuss = [first_item.slug] if first_item is not None else []
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
            CheckIn(pairing=pairing, respondent=person, sequence=2, due_at=now, status="open", prompts=to_discuss),
            CheckIn(pairing=pairing, respondent=mentor, sequence=2, due_at=now, status="open", prompts=to_discuss),
        ]
    )
    session.flush()
    open_one = session.scalars(
        select(CheckIn).where(CheckIn.pairing == pairing, CheckIn.respondent == person, CheckIn.sequence == 2)
    ).one()
    if first_item is not None:
        session.add(
            Notification(
                recipient=person,
                channel="in_app",
                template="campaign/item",
                context={"subject": first_item.title, "item": first_item.slug},
                idempotency_key=f"demo:campaign:{person.id}:{first_item.slug}",
                status="sent",
                created_at=now - timedelta(seconds=1),
                sent_at=now - timedelta(seconds=1),
            )
        )
    session.add_all(
        [
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


def replay_onboarding(session: Any, person: Person, days: int = 10, now: datetime | None = None) -> int:
    """Run ``person``'s hire through the real engine as if it had happened ``days`` ago; returns timers run.

    The engine runs on a virtual clock, an hour at a time, up to now: the
    buddy match, the introduction and the first weekly check-in prompt are
    written exactly as production writes them, with their delivery times in the
    past, so the first scheduler pass of ``tandem serve`` sends them (the Mail
    outbox shows them at once). Commits as it goes, like the scheduler.
    """
    from tandem.workflows.clock import FrozenClock
    from tandem.workflows.jobs import run_timers
    from tandem.workflows.scheduler import claim_due

    now = now or datetime.now(UTC)
    clock = FrozenClock(now - timedelta(days=days))
    event, created = record_event(
        session, NewEvent("employee.hired", person.id, source="demo", event_id=f"demo:hired:{person.id}")
    )
    if not created:
        return 0
    session.execute(update(Timer).where(Timer.event_id == event.id).values(due_at=clock.now()))
    session.commit()
    ran = 0
    while clock.now() <= now:
        ids = claim_due(session, clock, "demo")
        ran += len(run_timers(session, ids, clock)) if ids else 0
        clock.advance(timedelta(hours=1))
    return ran
