"""HR's dashboard: per programme, the participation funnel, matching health, incidents, delivery.

Filters narrow the people counted (department, location) and the enrolments
counted (enrolled within a date range). The funnel counts people, so a
programme whose filtered group is smaller than the threshold is suppressed
like any other group.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ..models import Enrolment, Incident, Notification, Person, Programme, WorkflowInstance
from .privacy import suppress_groups, with_rates

FUNNEL = ("enrolled", "matched", "first_checkin", "three_checkins", "completed")


@dataclass(frozen=True)
class Filters:
    """What HR narrowed the dashboard to; empty values mean no restriction."""

    department: str = ""
    location: str = ""
    since: datetime | None = None
    until: datetime | None = None


def _counted(filters: Filters) -> Any:
    """The condition of an enrolment HR's funnel counts: a mentee's or participant's place, after the filters."""
    conditions = [Enrolment.role.in_(("mentee", "participant")), Enrolment.status != "withdrawn"]
    if filters.department:
        conditions.append(Person.department == filters.department)
    if filters.location:
        conditions.append(Person.location == filters.location)
    if filters.since is not None:
        conditions.append(Enrolment.enrolled_at >= filters.since)
    if filters.until is not None:
        conditions.append(Enrolment.enrolled_at < filters.until)
    return and_(*conditions)


def per_programme(session: Session, filters: Filters) -> list[dict[str, Any]]:
    """Per programme, in ONE pass over the enrolments: the funnel and the matching health.

    Reads each enrolment's progress (``matched``, ``paired``, ``completed_checkins``,
    ``mentees``), kept by :mod:`tandem.plugin.rollups` whenever a pairing or a check-in
    changes, instead of joining every pairing and check-in of the company. The funnel
    counts people (a person holds one counted place per programme); mentors are
    counted whatever the filters, as they serve every department.
    """
    counted = _counted(filters)
    mentor = and_(Enrolment.role == "mentor", Enrolment.status == "active")

    def where(*conditions: Any) -> Any:
        return func.count(case((and_(*conditions), 1)))

    numbers = select(
        Enrolment.programme_id,
        where(counted).label("enrolled"),
        where(counted, Enrolment.matched).label("matched"),
        where(counted, Enrolment.completed_checkins >= 1).label("first_checkin"),
        where(counted, Enrolment.completed_checkins >= 3).label("three_checkins"),
        where(counted, Enrolment.status == "completed").label("completed"),
        where(counted, Enrolment.role == "mentee", Enrolment.status == "active", ~Enrolment.paired).label("unmatched"),
        where(mentor).label("mentors"),
        func.sum(case((mentor, Enrolment.mentees), else_=0)).label("mentored"),
        where(mentor, Enrolment.mentees > Enrolment.capacity).label("over_capacity"),
        where(mentor, Enrolment.mentees == 0).label("idle_mentors"),
    ).group_by(Enrolment.programme_id)
    if filters.department or filters.location:
        numbers = numbers.join(Person, Person.id == Enrolment.person_id)
    numbers = numbers.subquery()
    keys = [column.name for column in numbers.c if column.name != "programme_id"]
    query = (
        select(
            Programme.id.label("programme_id"),
            Programme.name.label("label"),
            *(func.coalesce(numbers.c[key], 0).label(key) for key in keys),
        )
        .outerjoin(numbers, numbers.c.programme_id == Programme.id)
        .order_by(Programme.name)
    )
    return [
        {key: int(value) if key in keys else value for key, value in row.items()}
        for row in session.execute(query).mappings()
    ]


def funnel(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per programme: enrolled → matched → first check-in → three or more → completed (people), and the rate."""
    keys = ("programme_id", "label", *FUNNEL)
    return with_rates([{key: row[key] for key in keys} for row in rows], completion_rate=("completed", "enrolled"))


def matching_health(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per programme: mentees without a proposed or live pairing, mentors, their load, over capacity, idle."""
    keys = ("programme_id", "label", "unmatched", "mentors", "mentored", "over_capacity", "idle_mentors")
    return with_rates([{key: row[key] for key in keys} for row in rows], mentor_load=("mentored", "mentors"))


def open_incidents(session: Session) -> list[dict[str, Any]]:
    """Open incidents per programme (engine steps and notifications whose retries ran out)."""
    label = func.coalesce(Programme.name, "no programme")
    query = (
        select(label.label("label"), func.count(Incident.id).label("open"))
        .select_from(Incident)
        .outerjoin(WorkflowInstance, WorkflowInstance.id == Incident.instance_id)
        .outerjoin(Programme, Programme.id == WorkflowInstance.programme_id)
        .where(Incident.status == "open")
        .group_by(label)
        .order_by(label)
    )
    return [dict(row) for row in session.execute(query).mappings()]


def delivery(session: Session, filters: Filters) -> list[dict[str, Any]]:
    """Notifications by status (queued, sent, failed, suppressed, digested) in the date range."""
    query = select(Notification.status.label("label"), func.count().label("notifications")).group_by(
        Notification.status
    )
    if filters.since is not None:
        query = query.where(Notification.created_at >= filters.since)
    if filters.until is not None:
        query = query.where(Notification.created_at < filters.until)
    if filters.department or filters.location:
        people = select(Person.id)
        if filters.department:
            people = people.where(Person.department == filters.department)
        if filters.location:
            people = people.where(Person.location == filters.location)
        query = query.where(Notification.recipient_id.in_(people))
    return [dict(row) for row in session.execute(query.order_by(Notification.status)).mappings()]


def hr_dashboard(session: Session, threshold: int, filters: Filters | None = None) -> dict[str, Any]:
    """Every section of HR's dashboard, small groups of people suppressed."""
    filters = filters or Filters()
    rows = per_programme(session, filters)
    return {
        "threshold": threshold,
        "funnel": suppress_groups(funnel(rows), "enrolled", threshold, keep=("label", "programme_id")),
        "matching": matching_health(rows),
        "incidents": open_incidents(session),
        "delivery": delivery(session, filters),
    }


__all__ = [
    "FUNNEL",
    "Filters",
    "delivery",
    "funnel",
    "hr_dashboard",
    "matching_health",
    "open_incidents",
    "per_programme",
]
