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

from tandem.workflows.clock import as_utc
from tandem.workflows.matching.loader import load_pool
from tandem.workflows.matching.settings import MatchSettings
from tandem.workflows.matching.solver import solve

from .models import Acknowledgement, CampaignItem, CheckIn, Enrolment, Notification, Pairing, Person, Programme

WEEKS = 18  # about four months of fortnightly check-ins
UNMATCHED = 0.15  # of the cohort's mentees, left waiting: matching health shows them


# The demo's past messages that did not go out say why, as real ones do.
SAMPLE_REASONS = {
    "failed": "SMTP 552 5.2.2 Mailbox full (a past failure in the demo's history)",
    "suppressed": "not sent: they had switched e-mail off",
}


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


def seed_report_history(session: Any, rng: random.Random, cohort: Programme, campaign: Programme, today: date) -> int:
    """Pair the cohort's mentees, give them fortnightly check-ins, acknowledge campaign items; returns check-ins.

    The pairs are the solver's own answer for the cohort's pool (so they keep every hard constraint:
    never in the mentee's reporting line, within the mentors' capacity, ...), with its scores and reasons.
    Every date follows the people's own: enrolled after their hire date, paired after enrolling, check-ins
    after the pair started and before it ended, campaign items read one a week after the reader joined.
    """
    start = _at(today - timedelta(weeks=WEEKS))
    now = _at(today)
    enrolled = select(Enrolment.person_id).where(Enrolment.programme_id == cohort.id)
    others = session.scalars(
        select(Person)
        .where(Person.status == "active", Person.hire_date < start.date(), ~Person.id.in_(enrolled))
        .order_by(Person.id)
    ).all()
    session.add_all(
        Enrolment(programme=cohort, person=person, role="mentee", goals=[], enrolled_at=start - timedelta(days=7))
        for person in others
        if not person.reports and rng.random() < 0.35
    )
    session.flush()
    enrolments = {
        e.person_id: e
        for e in session.scalars(
            select(Enrolment).where(Enrolment.programme_id == cohort.id, Enrolment.role == "mentee")
        )
    }
    pool = load_pool(session, cohort, now)
    waiting = [m for m in pool.mentees if rng.random() >= UNMATCHED]
    solution = solve(waiting, pool.mentors, MatchSettings.from_json(cohort.matching_settings), pool.previous)
    made = 0
    for pair in sorted(solution.pairs, key=lambda p: p.mentee):
        enrolment = enrolments[pair.mentee]
        begun = max(start + timedelta(days=rng.randint(0, 40)), as_utc(enrolment.enrolled_at) + timedelta(days=4))
        if begun > now - timedelta(weeks=3):
            continue  # joined too recently for a history: waits for HR's next run
        closed = rng.random() < 0.2
        ended = begun + timedelta(weeks=rng.randint(6, 12)) if closed else None
        if ended is not None and ended >= now:
            closed, ended = False, None
        pairing = Pairing(
            programme=cohort,
            mentor_id=pair.mentor,
            mentee_id=pair.mentee,
            status="closed" if closed else "active",
            score=float(pair.score),
            score_breakdown=dict(pair.breakdown),
            proposed_at=begun - timedelta(days=3),
            started_at=begun,
            ended_at=ended,
            end_reason="completed its conversations" if closed else "",
        )
        session.add(pairing)
        made += _check_ins(session, rng, pairing, enrolment, ended or now)
    _campaign_history(session, rng, campaign, start, now)
    return made


def _check_ins(session: Any, rng: random.Random, pairing: Pairing, enrolment: Enrolment, until: datetime) -> int:
    """Fortnightly check-ins of a pair from its start to ``until``; some pairs fall silent for their last weeks."""
    silent_weeks = rng.choice([0, 0, 0, 0, 5, 7])
    quiet_from = until - timedelta(weeks=silent_weeks) if silent_weeks else until
    due, sequence, made = pairing.started_at + timedelta(weeks=2), 1, 0
    while due < until:
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
                completed_at=min(due + timedelta(hours=rng.randint(2, 60)), until) if answered else None,
                private_note="(private demo note)" if answered else "",
            )
        )
        made += 1
        due, sequence = due + timedelta(weeks=2), sequence + 1
    if rng.random() < 0.2 and pairing.status == "closed":
        enrolment.status = "completed"
    return made


def _campaign_history(session: Any, rng: random.Random, campaign: Programme, start: datetime, now: datetime) -> None:
    """Item ``n`` of the campaign reached each reader in week ``n`` after they joined; some read it.

    Only readers who joined before ``start`` have a history: newer colleagues (the ``staff`` login among
    them) get their items from the demo's present, one at a time.
    """
    items = list(
        session.scalars(
            select(CampaignItem).where(CampaignItem.programme_id == campaign.id).order_by(CampaignItem.position)
        )
    )
    readers = session.execute(
        select(Enrolment.person_id, Enrolment.enrolled_at)
        .where(Enrolment.programme_id == campaign.id, Enrolment.enrolled_at <= start)
        .order_by(Enrolment.person_id)
    ).all()
    sent = 0
    for person_id, joined in readers:
        for week, item in enumerate(items, start=1):
            arrived = as_utc(joined) + timedelta(weeks=week)
            if arrived > now - timedelta(days=2):
                break  # not yet sent
            if sent < 120:  # a sample of the e-mails, for the delivery report
                status = rng.choices(["sent", "failed", "digested", "suppressed"], [85, 3, 8, 4])[0]
                session.add(
                    Notification(
                        recipient_id=person_id,
                        channel="email",
                        template="campaign/item",
                        context={"item": item.slug},
                        status=status,
                        error=SAMPLE_REASONS.get(status, ""),
                        idempotency_key=f"demo-report-{sent}",
                        created_at=arrived,
                    )
                )
                sent += 1
            if rng.random() < 0.45:
                read = arrived + timedelta(hours=rng.randint(1, 40))
                session.add(Acknowledgement(item=item, person_id=person_id, acknowledged_at=min(read, now)))


__all__ = ["seed_report_history"]
