"""The manager report: participation across a manager's own reporting subtree.

Teams are the groups of direct reports of each manager in the subtree (the
manager themself included as the root's team lead); the subtree is the
recursive CTE of :func:`tandem.plugin.scoping.reporting_subtree`. Only
aggregates leave this module: never a name of a mentee, never a note.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session, aliased

from ..models import Acknowledgement, CampaignItem, CheckIn, Enrolment, Pairing, Person, Programme
from ..scoping import reporting_subtree
from .privacy import rate, suppress_groups, suppress_one
from .sql import month_of

ENROLLED = ("active", "completed")
LIVE_PAIRINGS = ("accepted", "active")


def _subtree_people(root_id: int) -> Any:
    """The active people of the subtree, as a subquery of ids."""
    return select(Person.id).where(Person.id.in_(reporting_subtree(root_id)), Person.status != "left").scalar_subquery()


def teams(session: Session, root_id: int) -> list[dict[str, Any]]:
    """Per team (a manager's direct reports) in the subtree: size, enrolled, participating, rates.

    Enrolled means in a mentoring, onboarding or peer-circle programme (campaigns have their own section).
    """
    members = _subtree_people(root_id)
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
        .where(Person.id.in_(members), Person.id != root_id)
        .group_by(boss.id, boss.full_name)
        .order_by(boss.full_name)
    )
    rows = []
    for row in session.execute(query).mappings():
        row = dict(row)
        row["enrolment_rate"] = rate(row["enrolled"], row["people"])
        row["participation_rate"] = rate(row["participating"], row["enrolled"])
        rows.append(row)
    return rows


def checkins_by_month(session: Session, root_id: int, since: datetime | None = None) -> list[dict[str, Any]]:
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
        .where(CheckIn.respondent_id.in_(_subtree_people(root_id)), CheckIn.status.not_in(("cancelled",)))
        .group_by(month)
        .order_by(month)
    )
    if since is not None:
        query = query.where(CheckIn.due_at >= since)
    return [dict(row) for row in session.execute(query).mappings()]


def rating(session: Session, root_id: int) -> dict[str, Any]:
    """The average rating of the subtree's completed check-ins, and how many people gave one."""
    query = select(
        func.count(distinct(CheckIn.respondent_id)).label("people"),
        func.count(CheckIn.rating).label("ratings"),
        func.avg(CheckIn.rating).label("average"),
    ).where(
        CheckIn.respondent_id.in_(_subtree_people(root_id)),
        CheckIn.status == "completed",
        CheckIn.rating.is_not(None),
    )
    row = dict(session.execute(query).mappings().one())
    row["average"] = float(row["average"]) if row["average"] is not None else None
    return {"label": "average rating", **row}


def quiet_pairs(session: Session, root_id: int, now: datetime, weeks: int) -> dict[str, Any]:
    """Live pairings with a mentee in the subtree and no completed check-in for ``weeks`` weeks."""
    cutoff = now - timedelta(weeks=weeks)
    recent = (
        select(CheckIn.id)
        .where(CheckIn.pairing_id == Pairing.id, CheckIn.status == "completed", CheckIn.completed_at >= cutoff)
        .exists()
    )
    base = and_(Pairing.mentee_id.in_(_subtree_people(root_id)), Pairing.status.in_(LIVE_PAIRINGS))
    query = select(
        func.count().label("pairs"),
        func.count(case((and_(~recent, Pairing.proposed_at < cutoff), 1))).label("quiet"),
    ).where(base)
    row = dict(session.execute(query).mappings().one())
    return {"label": f"quiet for more than {weeks} weeks", "people": row["pairs"], **row}


def campaigns(session: Session, root_id: int) -> list[dict[str, Any]]:
    """Per campaign programme: subtree people reached (enrolled), who acknowledged, and the rate."""
    members = _subtree_people(root_id)
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
        .where(Programme.kind == "campaign", Programme.status != "draft", Enrolment.person_id.in_(members))
        .group_by(Programme.id, Programme.name)
        .order_by(Programme.name)
    )
    rows = []
    for row in session.execute(query).mappings():
        row = dict(row)
        row["acknowledgement_rate"] = rate(row["acknowledged"], row["people"])
        rows.append(row)
    return rows


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
    team_rows = teams(session, root)
    total = {
        "label": "whole subtree",
        "people": sum(row["people"] for row in team_rows),
        "enrolled": sum(row["enrolled"] for row in team_rows),
        "participating": sum(row["participating"] for row in team_rows),
    }
    total["enrolment_rate"] = rate(total["enrolled"], total["people"])
    total["participation_rate"] = rate(total["participating"], total["enrolled"])
    return {
        "root_id": root,
        "threshold": threshold,
        "teams": suppress_groups(team_rows, "people", threshold, keep=("label", "team_id")),
        "total": suppress_one(total, "people", threshold),
        "checkins_by_month": suppress_groups(checkins_by_month(session, root), "people", threshold),
        "rating": suppress_one(rating(session, root), "people", threshold),
        "quiet_pairs": suppress_one(quiet_pairs(session, root, now, quiet_weeks), "people", threshold),
        "campaigns": suppress_groups(campaigns(session, root), "people", threshold),
    }


__all__ = ["campaigns", "checkins_by_month", "manager_report", "quiet_pairs", "rating", "teams"]
