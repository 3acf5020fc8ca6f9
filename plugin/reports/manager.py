"""The manager report: participation across a manager's own reporting subtree.

Teams are the groups of direct reports of each manager in the subtree (the
manager themself included as the root's team lead); the subtree is the
recursive CTE of :func:`tandem.plugin.scoping.reporting_subtree`. Only
aggregates leave this module: never a name of a mentee, never a note.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session, aliased

from ..models import Acknowledgement, CampaignItem, CheckIn, Enrolment, Pairing, Person, Programme
from ..scoping import reporting_subtree
from .privacy import suppress_groups, suppress_one, with_rates
from .sql import id_set, month_of

ENROLLED = ("active", "completed")
LIVE_PAIRINGS = ("accepted", "active")
TEAM_RATES = {"enrolment_rate": ("enrolled", "people"), "participation_rate": ("participating", "enrolled")}


def subtree_people(session: Session, root_id: int) -> Callable[[Any], Any]:
    """The active people of the subtree, queried ONCE per report, as a reusable test ``members(column)``.

    Every section filters on this set; re-running the recursive CTE in each of them
    cost more than the sections' own work on a large organisation.
    """
    subtree = reporting_subtree(root_id).subquery()
    ids = session.scalars(select(Person.id).join(subtree, subtree.c.id == Person.id).where(Person.status != "left"))
    return id_set(session, ids.all())


def teams(session: Session, root_id: int, members: Any) -> list[dict[str, Any]]:
    """Per team (a manager's direct reports) in the subtree: size, enrolled, participating, rates.

    Enrolled means in a mentoring, onboarding or peer-circle programme (campaigns have their own section).
    ``members`` is :func:`subtree_people`.
    """
    boss = aliased(Person)
    # Correlated EXISTS (index lookups per person), not IN over every enrolment or check-in of the company.
    enrolled = (
        select(Enrolment.id)
        .join(Programme, Programme.id == Enrolment.programme_id)
        .where(Enrolment.person_id == Person.id, Enrolment.status.in_(ENROLLED), Programme.kind != "campaign")
        .exists()
    )
    participating = select(CheckIn.id).where(CheckIn.respondent_id == Person.id, CheckIn.status == "completed").exists()
    query = (
        select(
            boss.id.label("team_id"),
            boss.full_name.label("label"),
            func.count(Person.id).label("people"),
            func.count(case((enrolled, 1))).label("enrolled"),
            func.count(case((participating, 1))).label("participating"),
        )
        .join(boss, Person.manager_id == boss.id)
        .where(members(Person.id), Person.id != root_id)
        .group_by(boss.id, boss.full_name)
        .order_by(boss.full_name)
    )
    return with_rates(session.execute(query).mappings(), **TEAM_RATES)


def checkins_by_month(session: Session, members: Any, since: datetime | None = None) -> list[dict[str, Any]]:
    """Check-ins due, completed and missed per month of their due date, for the subtree's people."""
    month = month_of(session, CheckIn.due_at).label("label")
    query = (
        select(
            month,
            func.count(distinct(CheckIn.respondent_id)).label("people"),
            func.count().label("due"),
            func.count(case((CheckIn.status == "completed", 1))).label("completed"),
            func.count(case((CheckIn.status == "missed", 1))).label("missed"),
        )
        .where(members(CheckIn.respondent_id), CheckIn.status.not_in(("cancelled",)))
        .group_by(month)
        .order_by(month)
    )
    if since is not None:
        query = query.where(CheckIn.due_at >= since)
    return [dict(row) for row in session.execute(query).mappings()]


def rating(session: Session, members: Any) -> dict[str, Any]:
    """The average rating of the subtree's completed check-ins, and how many people gave one."""
    query = select(
        func.count(distinct(CheckIn.respondent_id)).label("people"),
        func.count(CheckIn.rating).label("ratings"),
        func.avg(CheckIn.rating).label("average"),
    ).where(
        members(CheckIn.respondent_id),
        CheckIn.status == "completed",
        CheckIn.rating.is_not(None),
    )
    row = dict(session.execute(query).mappings().one())
    row["average"] = float(row["average"]) if row["average"] is not None else None
    return {"label": "average rating", **row}


def quiet_pairs(session: Session, members: Any, now: datetime, weeks: int) -> dict[str, Any]:
    """Live pairings with a mentee in the subtree and no completed check-in for ``weeks`` weeks."""
    cutoff = now - timedelta(weeks=weeks)
    # Pairings with a recent completed check-in, aggregated once (a range of the (status, completed_at) index),
    # joined to the pairings: no correlated subquery per pairing.
    recent = (
        select(CheckIn.pairing_id)
        .where(CheckIn.status == "completed", CheckIn.completed_at >= cutoff, CheckIn.pairing_id.is_not(None))
        .group_by(CheckIn.pairing_id)
        .subquery("recent")
    )
    query = (
        select(
            func.count().label("pairs"),
            func.count(case((and_(recent.c.pairing_id.is_(None), Pairing.proposed_at < cutoff), 1))).label("quiet"),
        )
        .select_from(Pairing)
        .outerjoin(recent, recent.c.pairing_id == Pairing.id)
        .where(members(Pairing.mentee_id), Pairing.status.in_(LIVE_PAIRINGS))
    )
    row = dict(session.execute(query).mappings().one())
    return {"label": f"quiet for more than {weeks} weeks", "people": row["pairs"], **row}


def campaigns(session: Session, members: Any) -> list[dict[str, Any]]:
    """Per campaign programme: subtree people reached (enrolled), who acknowledged, and the rate."""
    acknowledged = (
        select(Acknowledgement.person_id, CampaignItem.programme_id)
        .join(CampaignItem, CampaignItem.id == Acknowledgement.item_id)
        .subquery()
    )
    query = (
        select(
            Programme.name.label("label"),
            func.count(distinct(Enrolment.person_id)).label("people"),
            func.count(distinct(acknowledged.c.person_id)).label("acknowledged"),
        )
        .join(Enrolment, Enrolment.programme_id == Programme.id)
        .outerjoin(
            acknowledged,
            and_(acknowledged.c.programme_id == Programme.id, acknowledged.c.person_id == Enrolment.person_id),
        )
        .where(Programme.kind == "campaign", Programme.status != "draft", members(Enrolment.person_id))
        .group_by(Programme.id, Programme.name)
        .order_by(Programme.name)
    )
    return with_rates(session.execute(query).mappings(), acknowledgement_rate=("acknowledged", "people"))


def manager_report(
    session: Session,
    root_id: int,
    now: datetime,
    threshold: int,
    quiet_weeks: int = 4,
    team_id: int | None = None,
) -> dict[str, Any]:
    """Every section of the manager report, small groups suppressed.

    ``team_id`` drills down from the whole subtree to the subtree under one
    manager inside it (the caller checks it lies inside the viewer's subtree).
    """
    root = team_id if team_id is not None else root_id
    members = subtree_people(session, root)
    team_rows = teams(session, root, members)
    total: dict[str, Any] = {"label": "whole subtree"}
    total |= {key: sum(row[key] for row in team_rows) for key in ("people", "enrolled", "participating")}
    (total,) = with_rates([total], **TEAM_RATES)
    return {
        "root_id": root,
        "threshold": threshold,
        "teams": suppress_groups(team_rows, "people", threshold, keep=("label", "team_id")),
        "total": suppress_one(total, "people", threshold),
        "checkins_by_month": suppress_groups(checkins_by_month(session, members), "people", threshold),
        "rating": suppress_one(rating(session, members), "people", threshold),
        "quiet_pairs": suppress_one(quiet_pairs(session, members, now, quiet_weeks), "people", threshold),
        "campaigns": suppress_groups(campaigns(session, members), "people", threshold),
    }


__all__ = ["campaigns", "checkins_by_month", "manager_report", "quiet_pairs", "rating", "subtree_people", "teams"]
