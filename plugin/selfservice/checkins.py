"""Answering a check-in: validation, the ``open → completed`` transition and the ``checkin.completed`` event.

A check-in is answered once. The one-click link in an e-mail records the
rating alone; the person may then add topics and notes to that same answer
(:func:`add_details`), which never changes the rating the engine received.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandem.workflows.clock import as_utc
from tandem.workflows.firetime import cancel_follow_ups
from tandem.workflows.intake import record_event

from ..errors import NotAllowed, NotFound, Refused
from ..events import NewEvent
from ..models import CheckIn, WorkflowInstance
from .transitions import CHECKIN, apply

MAX_TOPICS = 10
MAX_TOPIC_LENGTH = 60
MAX_NOTE_LENGTH = 5000
SUGGESTED_TOPICS = (
    "settling in",
    "tools and access",
    "the team",
    "goals",
    "feedback",
    "career direction",
    "workload",
    "advice I saw online",
)


@dataclass(frozen=True)
class Answer:
    """What a person says about a check-in; ``rating`` may be absent only when adding details."""

    rating: int | None = None
    topics: list[str] = field(default_factory=list)
    private_note: str = ""
    shared_note: str = ""


def parse_rating(raw: Any) -> int:
    """A rating from form or link input: a whole number from 1 to 5, else :class:`Refused` naming ``rating``."""
    try:
        rating = int(str(raw).strip())
    except (TypeError, ValueError):
        raise Refused("How it went must be a number from 1 to 5.", "rating") from None
    if not 1 <= rating <= 5:
        raise Refused("How it went must be a number from 1 to 5.", "rating")
    return rating


def clean_topics(raw: list[str]) -> list[str]:
    """Topics trimmed, de-duplicated in order, each short, at most ten."""
    topics: list[str] = []
    for item in raw:
        for topic in str(item).split(","):
            topic = " ".join(topic.split())
            if not topic:
                continue
            if len(topic) > MAX_TOPIC_LENGTH:
                raise Refused(f"A topic may be at most {MAX_TOPIC_LENGTH} characters.", "topics")
            if topic.lower() not in (t.lower() for t in topics):
                topics.append(topic)
    if len(topics) > MAX_TOPICS:
        raise Refused(f"Choose at most {MAX_TOPICS} topics.", "topics")
    return topics


def clean_note(raw: str, name: str) -> str:
    """A note with its outer whitespace trimmed, at most 5,000 characters."""
    note = (raw or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise Refused(f"A note may be at most {MAX_NOTE_LENGTH} characters.", name)
    return note


def own_checkin(session: Session, checkin_id: int, person_id: int, lock: bool = False) -> CheckIn:
    """The check-in ``checkin_id`` if ``person_id`` is its respondent; anyone else gets :class:`NotFound`.

    ``lock`` takes a row lock (``FOR UPDATE`` on PostgreSQL) before a change, so
    two answers arriving at once (the link and the form) cannot both complete it.
    """
    checkin = session.get(CheckIn, checkin_id, with_for_update=lock or None)
    if checkin is None or checkin.respondent_id != person_id:
        raise NotFound("There is no such check-in among yours.")
    return checkin


def answer(session: Session, checkin: CheckIn, given: Answer, now: datetime, source: str = "self-service") -> CheckIn:
    """Complete an open check-in with ``given`` and record ``checkin.completed``, in the caller's transaction.

    Raises :class:`Refused` for invalid input and :class:`NotAllowed` when the
    check-in is not open (already answered, missed, cancelled).
    """
    if given.rating is None:
        raise Refused("Say how it went: choose a number from 1 to 5.", "rating")
    rating = parse_rating(given.rating)
    topics = clean_topics(given.topics)
    private_note = clean_note(given.private_note, "private_note")
    shared_note = clean_note(given.shared_note, "shared_note")
    apply(checkin, CHECKIN, "complete")
    checkin.rating, checkin.topics, checkin.completed_at = rating, topics, now
    checkin.private_note, checkin.shared_note = private_note, shared_note
    session.flush()
    cancel_follow_ups(session, checkin)  # its pending escalation (and reminder, once all answered): never sent
    record_event(session, completed_event(session, checkin, source, now))
    return checkin


CORRECTION_WINDOW = timedelta(hours=24)


def correctable_until(checkin: CheckIn) -> datetime | None:
    """Until when the respondent may still correct the rating of a completed check-in; None if not completed."""
    if checkin.status != "completed" or checkin.completed_at is None:
        return None
    return as_utc(checkin.completed_at) + CORRECTION_WINDOW


def correct_rating(session: Session, checkin: CheckIn, raw: Any, now: datetime) -> CheckIn:
    """Correct the rating of a completed check-in within 24 hours of answering (transition ``correct_rating``).

    The report numbers follow in the same transaction (the rollups notice the
    changed row); the engine already advanced on the first answer and is not
    told again. Raises :class:`Refused` for a rating out of range and
    :class:`NotAllowed` when the check-in is not completed or the 24 hours are over.
    """
    rating = parse_rating(raw)
    until = correctable_until(checkin)
    if until is not None and as_utc(now) > until:
        raise NotAllowed("A rating can be corrected for 24 hours after answering; that time is over.")
    apply(checkin, CHECKIN, "correct_rating")
    checkin.rating = rating
    session.flush()
    return checkin


def add_details(session: Session, checkin: CheckIn, given: Answer) -> CheckIn:
    """Add topics and notes to a completed answer (after a one-click rating); the rating stays as recorded."""
    if checkin.status != "completed":
        raise NotAllowed("Answer the check-in first: choose how it went.")
    checkin.topics = clean_topics(given.topics)
    checkin.private_note = clean_note(given.private_note, "private_note")
    checkin.shared_note = clean_note(given.shared_note, "shared_note")
    session.flush()
    return checkin


def completed_event(session: Session, checkin: CheckIn, source: str, now: datetime) -> NewEvent:
    """The ``checkin.completed`` event the engine expects: its instance, the sequence and the rating."""
    programme_id = checkin.pairing.programme_id if checkin.pairing else None
    if checkin.instance_id is not None:
        programme_id = session.scalar(
            select(WorkflowInstance.programme_id).where(WorkflowInstance.id == checkin.instance_id)
        )
    return NewEvent(
        "checkin.completed",
        checkin.respondent_id,
        programme_id,
        {
            "instance_id": checkin.instance_id,
            "checkin_id": checkin.id,
            "sequence": checkin.sequence,
            "rating": checkin.rating,
        },
        source=source,
        event_id=f"checkin.completed:{checkin.id}",
        occurred_at=now,
    )


def the_pairs_notes(session: Session, checkin: CheckIn) -> list[tuple[str, str]]:
    """The shared notes the other people of the same occurrence left: (name, note). Never a private note."""
    if checkin.pairing_id is None and checkin.instance_id is None:
        return []
    same = select(CheckIn).where(
        CheckIn.sequence == checkin.sequence,
        CheckIn.respondent_id != checkin.respondent_id,
        CheckIn.shared_note != "",
    )
    same = (
        same.where(CheckIn.pairing_id == checkin.pairing_id)
        if checkin.pairing_id is not None
        else same.where(CheckIn.instance_id == checkin.instance_id)
    )
    return [(other.respondent.full_name, other.shared_note) for other in session.scalars(same)]
