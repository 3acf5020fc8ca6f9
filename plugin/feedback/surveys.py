"""The pulse (30 days in) and the end-of-programme survey: which are open for a person, and answering one.

A workflow sends a survey with a ``notify`` step whose template is one of
:data:`SURVEY_TEMPLATES` (the pulse with ``after: 30 days``). The survey is
open for its recipient once that message is due and until they answer; the
answer belongs to the run (``instance``) and its programme. One answer per
person, survey and run; nobody reads it but in aggregate
(:mod:`tandem.plugin.feedback.results`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tandem.workflows.notification_context import instance_of

from ..errors import NotAllowed, NotFound, Refused
from ..models import FeedbackAnswer, Notification, Programme, WorkflowInstance

SURVEY_TEMPLATES = {"feedback/pulse": "pulse", "feedback/end-survey": "end"}
SURVEY_TITLES = {"pulse": "30-day pulse", "end": "End-of-programme survey"}
# The three questions of both surveys (1 = not at all, 5 = fully), by answer column.
QUESTIONS = (
    ("useful", "Our conversations are worth my time."),
    ("time_to_meet", "We manage to find time to meet."),
    ("progress", "I am making progress on what I came for."),
)
RECOMMEND = "How likely are you to recommend this programme to a colleague?"
SCALE = {1: "not at all", 2: "a little", 3: "partly", 4: "mostly", 5: "fully"}


@dataclass(frozen=True)
class OpenSurvey:
    """A survey a person may answer: from which message, about which programme and run."""

    notification_id: int
    survey: str
    instance_id: int
    programme_id: int
    programme_name: str
    others: str

    @property
    def title(self) -> str:
        """The survey's name for people ("30-day pulse")."""
        return SURVEY_TITLES[self.survey]

    @property
    def key(self) -> str:
        """The answer's idempotency key (survey, run, person are one answer)."""
        return f"{self.survey}:{self.instance_id}"


def _survey_of(session: Session, notification: Notification, person_id: int) -> OpenSurvey | None:
    survey = SURVEY_TEMPLATES.get(notification.template)
    instance_id = instance_of(notification)
    if survey is None or instance_id is None:
        return None
    row = session.execute(
        select(Programme.id, Programme.name)
        .join(WorkflowInstance, WorkflowInstance.programme_id == Programme.id)
        .where(WorkflowInstance.id == instance_id)
    ).first()
    if row is None:
        return None
    names = (notification.context or {}).get("names") or {}
    mine = notification.recipient.full_name if notification.recipient else ""
    others = " and ".join(name for name in names.values() if name != mine)
    return OpenSurvey(notification.id, survey, instance_id, row[0], row[1], others)


def due(now: datetime) -> Any:
    """The condition of a survey message that opens its survey: delivered, or due and not suppressed.

    (A failing delivery's retry moves ``deliver_after`` on; the survey is open all the same once it was due.)
    """
    return or_(
        Notification.status.in_(("sent", "digested")),
        and_(
            Notification.status != "suppressed",
            or_(Notification.deliver_after.is_(None), Notification.deliver_after <= now),
        ),
    )


def _due(person_id: int, now: datetime) -> Any:
    return select(Notification).where(
        Notification.recipient_id == person_id, Notification.template.in_(list(SURVEY_TEMPLATES)), due(now)
    )


def answered_keys(session: Session, person_id: int) -> set[str]:
    """The surveys the person has answered (``survey:instance``)."""
    rows = select(FeedbackAnswer.idempotency_key).where(FeedbackAnswer.respondent_id == person_id)
    return {key.rsplit(":", 1)[0] for key in session.scalars(rows)}


def open_surveys(session: Session, person_id: int, now: datetime) -> list[OpenSurvey]:
    """The surveys sent to the person that are due and not answered yet, newest first."""
    done = answered_keys(session, person_id)
    found: dict[str, OpenSurvey] = {}
    for notification in session.scalars(_due(person_id, now).order_by(Notification.id.desc())):
        survey = _survey_of(session, notification, person_id)
        if survey is not None and survey.key not in done:
            found.setdefault(survey.key, survey)
    return list(found.values())


def own_survey(session: Session, notification_id: int, person_id: int, now: datetime) -> OpenSurvey:
    """The survey of message ``notification_id`` if it was sent to ``person_id`` and is due; NotFound otherwise."""
    notification = session.scalars(_due(person_id, now).where(Notification.id == notification_id)).first()
    survey = _survey_of(session, notification, person_id) if notification is not None else None
    if survey is None:
        raise NotFound("There is no such survey among yours.")
    return survey


def _scale(raw: Any, field: str, low: int, high: int, question: str) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise Refused(f"Choose an answer from {low} to {high}: “{question}”", field) from None
    if not low <= value <= high:
        raise Refused(f"Choose an answer from {low} to {high}: “{question}”", field)
    return value


def answer_survey(
    session: Session, survey: OpenSurvey, person_id: int, given: Mapping[str, Any], now: datetime
) -> FeedbackAnswer:
    """Store the person's answer in the caller's transaction.

    Every question needs an answer from 1 to 5, and the end survey a 0–10
    "would recommend"; otherwise :class:`Refused` names the field. A second
    answer to the same survey is :class:`NotAllowed`.
    """
    values = {name: _scale(given.get(name), name, 1, 5, text) for name, text in QUESTIONS}
    recommend = _scale(given.get("recommend"), "recommend", 0, 10, RECOMMEND) if survey.survey == "end" else None
    key = f"{survey.key}:{person_id}"
    if session.scalars(select(FeedbackAnswer.id).where(FeedbackAnswer.idempotency_key == key)).first():
        raise NotAllowed("You have already answered this survey. Thank you!")
    row = FeedbackAnswer(
        programme_id=survey.programme_id,
        instance_id=survey.instance_id,
        respondent_id=person_id,
        survey=survey.survey,
        recommend=recommend,
        answered_at=now,
        idempotency_key=key,
        **values,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # answered at the same moment in another tab
        raise NotAllowed("You have already answered this survey. Thank you!") from None
    return row
