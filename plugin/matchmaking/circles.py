"""Peer circles as HR runs them: form the circles of a programme into a draft, review, publish.

The partition itself is :func:`tandem.workflows.matching.circles.form_circles`
(groups of 6–8 by default, mixing departments, locations and seniority, never a
person with their own manager chain). A draft is a :class:`MatchRun` with
circles instead of proposals; publishing starts the programme's workflow for
every member, whose ``match: {role: circle}`` step takes up their circle.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandem.workflows.clock import Clock
from tandem.workflows.matching.circles import CircleSettings, form_circles
from tandem.workflows.matching.loader import manager_chains, member
from tandem.workflows.matching.settings import SettingsError
from tandem.workflows.runtime import WorkflowRunner
from tandem.workflows.store import definition_for

from ..errors import Refused
from ..models import Circle, CircleMember, Enrolment, MatchRun, Person, Programme
from .drafts import discard_drafts, require_draft


def circled(session: Session, programme: Programme) -> set[int]:
    """Everyone already in a published circle of the programme."""
    return set(
        session.scalars(
            select(CircleMember.person_id)
            .join(Circle, Circle.id == CircleMember.circle_id)
            .join(MatchRun, MatchRun.id == Circle.run_id)
            .where(Circle.programme_id == programme.id, MatchRun.status == "published")
        )
    )


def form_draft(session: Session, programme: Programme, author: str = "") -> MatchRun:
    """Partition the programme's active participants not yet in a circle into a draft of circles."""
    raw = (programme.matching_settings or {}).get("circles") or {}
    try:
        settings = CircleSettings.from_json(raw)
    except SettingsError as error:
        raise Refused(str(error), f"circles.{error.field}") from None
    taken = circled(session, programme)
    people = session.scalars(
        select(Person)
        .join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.programme_id == programme.id, Enrolment.status == "active", Person.status == "active")
        .order_by(Person.id)
    ).all()
    chains = manager_chains(session)
    now = datetime.now(UTC)
    members = [member(p, chains, [], 1, now) for p in people if p.id not in taken]
    plan = form_circles(members, settings)
    discard_drafts(session, programme)
    run = MatchRun(
        programme=programme,
        status="draft",
        settings={"circles": raw},
        total_score=sum(c.score for c in plan.circles),
        unmatched=[{"person_id": u.mentee, "reason": u.reason} for u in plan.left_out],
        stats={**plan.stats, "participants": len(members), "circles": len(plan.circles)},
        created_by=author,
    )
    run.circles = [
        Circle(
            programme_id=programme.id,
            name=f"Circle {number}",
            score=circle.score,
            breakdown=dict(circle.breakdown),
            members=[CircleMember(person_id=person_id) for person_id in circle.members],
        )
        for number, circle in enumerate(plan.circles, start=1)
    ]
    session.add(run)
    session.flush()
    return run


def publish(session: Session, run: MatchRun, clock: Clock) -> int:
    """Publish a draft of circles: every member's run of the programme's workflow starts and welcomes them.

    Returns how many runs started. Refused without circles or without a workflow on the programme.
    """
    require_draft(run)
    if not run.circles:
        raise Refused("there is no circle to publish", "circles")
    programme = run.programme
    definition = definition_for(session, programme)
    if definition is None:
        raise Refused(f"{programme.name} has no workflow to run the circles: choose one on the programme", "workflow")
    run.status = "published"
    run.published_at = clock.now()
    session.flush()
    engine = WorkflowRunner(session, clock)
    started = 0
    for circle in run.circles:
        for place in circle.members:
            engine.start(definition, place.person, programme=programme)
            started += 1
    session.flush()
    return started
