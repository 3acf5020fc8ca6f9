"""*Download my data*: every record Tandem holds about one person, as JSON and CSV in one zip."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from ..models import (
    Acknowledgement,
    CampaignItem,
    CheckIn,
    Enrolment,
    Event,
    FeedbackAnswer,
    MatchRequest,
    Notification,
    NotificationPreference,
    Pairing,
    Person,
    Profile,
    Programme,
    SignUp,
    WorkflowDefinition,
    WorkflowInstance,
)
from ..safecsv import csv_text
from ..selfservice.goals import my_goal_groups

Rows = list[dict[str, Any]]


def _person(person: Person) -> Rows:
    return [
        {
            "employee_id": person.employee_id,
            "full_name": person.full_name,
            "email": person.email,
            "department": person.department,
            "title": person.title,
            "location": person.location,
            "country": person.country,
            "timezone": person.timezone,
            "manager": person.manager.full_name if person.manager else None,
            "hire_date": person.hire_date,
            "status": person.status,
            "seniority": person.seniority,
            "remote": person.remote,
            "skills": person.skills,
            "interests": person.interests,
            "languages": person.languages,
            "created_at": person.created_at,
            "updated_at": person.updated_at,
        }
    ]


def _enrolments(session: Session, person_id: int) -> Rows:
    query = (
        select(Enrolment, Programme.name)
        .join(Programme, Programme.id == Enrolment.programme_id)
        .where(Enrolment.person_id == person_id)
        .order_by(Enrolment.id)
    )
    return [
        {
            "programme": name,
            "role": row.role,
            "status": row.status,
            "capacity": row.capacity,
            "goals": row.goals,
            "enrolled_at": row.enrolled_at,
        }
        for row, name in session.execute(query)
    ]


def _between_two(session: Session, model: Any, person_id: int, fields: tuple[str, ...]) -> Rows:
    """Rows of ``model`` (a pairing or a match request) where they are mentor or mentee, naming the other only."""
    mentor, mentee = aliased(Person), aliased(Person)
    query = (
        select(model, Programme.name, mentor.full_name, mentee.full_name)
        .join(Programme, Programme.id == model.programme_id)
        .join(mentor, mentor.id == model.mentor_id)
        .join(mentee, mentee.id == model.mentee_id)
        .where(or_(model.mentor_id == person_id, model.mentee_id == person_id))
        .order_by(model.id)
    )
    rows = []
    for row, programme, mentor_name, mentee_name in session.execute(query):
        as_mentor = row.mentor_id == person_id
        rows.append(
            {
                "programme": programme,
                "my_role": "mentor" if as_mentor else "mentee",
                "other_person": mentee_name if as_mentor else mentor_name,
                **{field: getattr(row, field) for field in fields},
            }
        )
    return rows


def _pairings(session: Session, person_id: int) -> Rows:
    """Pairings as mentor or mentee, with the other person's name only."""
    fields = ("status", "score", "proposed_at", "started_at", "ended_at", "end_reason")
    return _between_two(session, Pairing, person_id, fields)


def _checkins(session: Session, person_id: int) -> Rows:
    """Their own answers, private notes included (nobody else ever reads those)."""
    query = select(CheckIn).where(CheckIn.respondent_id == person_id).order_by(CheckIn.due_at, CheckIn.id)
    return [
        {
            "sequence": row.sequence,
            "due_at": row.due_at,
            "status": row.status,
            "rating": row.rating,
            "topics": row.topics,
            "private_note": row.private_note,
            "shared_note": row.shared_note,
            "completed_at": row.completed_at,
        }
        for row in session.scalars(query)
    ]


def _notifications(session: Session, person_id: int) -> Rows:
    query = select(Notification).where(Notification.recipient_id == person_id).order_by(Notification.id)
    return [
        {
            "channel": row.channel,
            "template": row.template,
            "status": row.status,
            "context": row.context,
            "created_at": row.created_at,
            "sent_at": row.sent_at,
            "read_at": row.read_at,
        }
        for row in session.scalars(query)
    ]


def _acknowledgements(session: Session, person_id: int) -> Rows:
    query = (
        select(Acknowledgement, CampaignItem.title, Programme.name)
        .join(CampaignItem, CampaignItem.id == Acknowledgement.item_id)
        .join(Programme, Programme.id == CampaignItem.programme_id)
        .where(Acknowledgement.person_id == person_id)
        .order_by(Acknowledgement.id)
    )
    return [
        {
            "campaign": campaign,
            "item": title,
            "acknowledged_at": row.acknowledged_at,
            "quiz_answer": row.quiz_answer,
            "quiz_correct": row.quiz_correct,
        }
        for row, title, campaign in session.execute(query)
    ]


def _match_requests(session: Session, person_id: int) -> Rows:
    """Requests they made or received, with the other person's name only."""
    return _between_two(session, MatchRequest, person_id, ("status", "message", "created_at", "decided_at"))


def _preferences(session: Session, person_id: int) -> Rows:
    query = select(NotificationPreference).where(NotificationPreference.person_id == person_id)
    return [
        {
            "channels": row.channels,
            "quiet_start": row.quiet_start,
            "quiet_end": row.quiet_end,
            "timezone": row.timezone,
            "webhook_url": row.webhook_url,
            "daily_budget": row.daily_budget,
        }
        for row in session.scalars(query)
    ]


def _events(session: Session, person_id: int) -> Rows:
    query = select(Event).where(Event.person_id == person_id).order_by(Event.occurred_at, Event.id)
    return [
        {"type": row.type, "occurred_at": row.occurred_at, "source": row.source, "payload": row.payload}
        for row in session.scalars(query)
    ]


def _workflow_runs(session: Session, person_id: int) -> Rows:
    query = (
        select(WorkflowInstance, WorkflowDefinition.title, WorkflowDefinition.name)
        .join(WorkflowDefinition, WorkflowDefinition.id == WorkflowInstance.definition_id)
        .where(WorkflowInstance.subject_id == person_id)
        .order_by(WorkflowInstance.id)
    )
    return [
        {"workflow": title or name, "status": row.status, "step": row.step, "started_at": row.started_at}
        for row, title, name in session.execute(query)
    ]


def _profile(session: Session, person_id: int) -> Rows:
    """What they wrote on their profile (the photo itself is ``photo.jpg`` in the zip)."""
    query = select(Profile).where(Profile.person_id == person_id)
    return [
        {
            "bio": row.bio,
            "help_with": row.help_with,
            "want_to_learn": row.want_to_learn,
            "languages": row.languages,
            "location": row.location,
            "timezone": row.timezone,
            "work_start": row.work_start,
            "work_end": row.work_end,
            "photo": "photo.jpg" if row.photo else "",
            "updated_at": row.updated_at,
        }
        for row in session.scalars(query)
    ]


def _signups(session: Session, person_id: int) -> Rows:
    query = (
        select(SignUp, Programme.name)
        .join(Programme, Programme.id == SignUp.programme_id)
        .where(SignUp.person_id == person_id)
        .order_by(SignUp.id)
    )
    return [
        {
            "programme": name,
            "role": row.role,
            "goals": row.goals,
            "capacity": row.capacity,
            "availability": row.availability,
            "status": row.status,
            "created_at": row.created_at,
            "decided_at": row.decided_at,
        }
        for row, name in session.execute(query)
    ]


def _goals(session: Session, person_id: int) -> Rows:
    """The goals of their pairs and circles (the pair reads them too), and whether they wrote each."""
    return [
        {
            "position": goal.position,
            "text": goal.text,
            "status": goal.status,
            "written_by_me": goal.set_by_id == person_id,
            "updated_at": goal.updated_at,
        }
        for _, goals in my_goal_groups(session, person_id)
        for goal in goals
    ]


def _feedback(session: Session, person_id: int) -> Rows:
    """Their answers to the pulse and end-of-programme surveys."""
    query = (
        select(FeedbackAnswer, Programme.name)
        .join(Programme, Programme.id == FeedbackAnswer.programme_id)
        .where(FeedbackAnswer.respondent_id == person_id)
        .order_by(FeedbackAnswer.id)
    )
    return [
        {
            "programme": name,
            "survey": row.survey,
            "useful": row.useful,
            "time_to_meet": row.time_to_meet,
            "progress": row.progress,
            "recommend": row.recommend,
            "answered_at": row.answered_at,
        }
        for row, name in session.execute(query)
    ]


def personal_data(session: Session, person: Person) -> dict[str, Rows]:
    """Every section of ``person``'s data, each a list of plain rows."""
    return {
        "person": _person(person),
        "enrolments": _enrolments(session, person.id),
        "pairings": _pairings(session, person.id),
        "checkins": _checkins(session, person.id),
        "goals": _goals(session, person.id),
        "feedback_answers": _feedback(session, person.id),
        "notifications": _notifications(session, person.id),
        "acknowledgements": _acknowledgements(session, person.id),
        "match_requests": _match_requests(session, person.id),
        "profile": _profile(session, person.id),
        "signups": _signups(session, person.id),
        "notification_preferences": _preferences(session, person.id),
        "events": _events(session, person.id),
        "workflow_runs": _workflow_runs(session, person.id),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__}")


def _cell(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=_plain)
    return "" if value is None else value


def archive(session: Session, person: Person) -> bytes:
    """A zip of ``data.json`` (every section) and one CSV per section (formulas neutralised)."""
    data = personal_data(session, person)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2, default=_plain))
        for section, rows in data.items():
            columns = list(rows[0]) if rows else []
            table = [columns, *([_cell(row[c]) for c in columns] for row in rows)] if rows else []
            bundle.writestr(f"{section}.csv", csv_text(table))
        photo = session.scalar(select(Profile.photo).where(Profile.person_id == person.id))
        if photo:
            bundle.writestr("photo.jpg", photo)
    return out.getvalue()
