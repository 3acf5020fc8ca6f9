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

from sqlalchemy import case, func, select
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


def _enrolments(filters: Filters) -> Any:
    """The counted enrolments (mentees and participants) after the filters, as a subquery."""
    query = select(
        Enrolment.id,
        Enrolment.programme_id,
        Enrolment.person_id,
        Enrolment.role,
        Enrolment.status,
        Enrolment.matched,
        Enrolment.paired,
        Enrolment.completed_checkins,
    ).where(Enrolment.role.in_(("mentee", "participant")), Enrolment.status != "withdrawn")
    if filters.department or filters.location:
        query = query.join(Person, Person.id == Enrolment.person_id)
    if filters.department:
        query = query.where(Person.department == filters.department)
    if filters.location:
        query = query.where(Person.location == filters.location)
    if filters.since is not None:
        query = query.where(Enrolment.enrolled_at >= filters.since)
    if filters.until is not None:
        query = query.where(Enrolment.enrolled_at < filters.until)
    return query.subquery("counted")


def funnel(session: Session, filters: Filters) -> list[dict[str, Any]]:
    """Per programme: enrolled → matched → first check-in → three or more → completed (people).

    Reads each enrolment's progress (``matched``, ``completed_checkins``), kept by
    :mod:`tandem.plugin.rollups` whenever a pairing or a check-in changes: one pass
    over the enrolments instead of joining every check-in of the company. A person
    holds one counted place per programme (mentee or participant), so places are people.
    """
    counted = _enrolments(filters)
    query = (
        select(
            Programme.id.label("programme_id"),
            Programme.name.label("label"),
            func.count(counted.c.id).label("enrolled"),
            func.count(case((counted.c.matched, 1))).label("matched"),
            func.count(case((counted.c.completed_checkins >= 1, 1))).label("first_checkin"),
            func.count(case((counted.c.completed_checkins >= 3, 1))).label("three_checkins"),
            func.count(case((counted.c.status == "completed", 1))).label("completed"),
        )
        .select_from(Programme)
        .outerjoin(counted, counted.c.programme_id == Programme.id)
        .group_by(Programme.id, Programme.name)
        .order_by(Programme.name)
    )
    return [dict(row) for row in session.execute(query).mappings()]


def matching_health(session: Session, filters: Filters) -> list[dict[str, Any]]:
    """Per programme: mentees without a live or proposed pairing, mentors, their load and who is over capacity.

    From each enrolment's kept ``paired`` and ``mentees`` (see :mod:`tandem.plugin.rollups.maintain`).
    """
    counted = _enrolments(filters)
    unmatched = (
        select(counted.c.programme_id, func.count().label("unmatched"))
        .where(counted.c.role == "mentee", counted.c.status == "active", counted.c.paired.is_(False))
        .group_by(counted.c.programme_id)
        .subquery()
    )
    mentors = (
        select(
            Enrolment.programme_id,
            func.count().label("mentors"),
            func.sum(Enrolment.mentees).label("mentees"),
            func.count(case((Enrolment.mentees > Enrolment.capacity, 1))).label("over_capacity"),
            func.count(case((Enrolment.mentees == 0, 1))).label("idle"),
        )
        .where(Enrolment.role == "mentor", Enrolment.status == "active")
        .group_by(Enrolment.programme_id)
        .subquery()
    )
    query = (
        select(
            Programme.id.label("programme_id"),
            Programme.name.label("label"),
            func.coalesce(unmatched.c.unmatched, 0).label("unmatched"),
            func.coalesce(mentors.c.mentors, 0).label("mentors"),
            func.coalesce(mentors.c.mentees, 0).label("mentored"),
            func.coalesce(mentors.c.over_capacity, 0).label("over_capacity"),
            func.coalesce(mentors.c.idle, 0).label("idle_mentors"),
        )
        .outerjoin(unmatched, unmatched.c.programme_id == Programme.id)
        .outerjoin(mentors, mentors.c.programme_id == Programme.id)
        .order_by(Programme.name)
    )
    return with_rates(session.execute(query).mappings(), mentor_load=("mentored", "mentors"))


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
    funnel_rows = with_rates(funnel(session, filters), completion_rate=("completed", "enrolled"))
    return {
        "threshold": threshold,
        "funnel": suppress_groups(funnel_rows, "enrolled", threshold, keep=("label", "programme_id")),
        "matching": matching_health(session, filters),
        "incidents": open_incidents(session),
        "delivery": delivery(session, filters),
    }


__all__ = ["FUNNEL", "Filters", "delivery", "funnel", "hr_dashboard", "matching_health", "open_incidents"]
