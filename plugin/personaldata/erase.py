"""Erasing a person who has left: anonymise their records, keep the rows the reports count.

What happens, in the caller's transaction:

- the directory entry keeps its id, status, manager, department and location (the reports and HR's
  filters count by them) and loses everything else: name and e-mail become ``Erased person <id>`` and
  ``erased-<id>@erased.invalid``, the employee id ``erased-<id>``; title, hire date, skills, interests
  and languages are cleared; the FAB login is deleted;
- their free text is cleared: check-in topics and notes, enrolment goals, match-request messages,
  pairing end reasons, quiz answers, the contexts and errors of notifications to them, sign-up goals and
  availability; their notification preferences (a webhook address) and their profile (photo, bio) are
  deleted;
- rows that reports count (enrolments, pairings, check-ins and their status and rating, notifications,
  acknowledgements) stay, so every report reads the same before and after;
- every remaining occurrence of their name, e-mail, employee id or login name in any Tandem text or JSON
  column (event payloads, workflow state and history, notification contexts of other people, incidents)
  is replaced by the pseudonym. This is the one sanctioned rewrite of the append-only event log.

A name written by someone else in their own words (a first name alone in a colleague's note) cannot be
found this way; the README says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, String, Text, Unicode, UnicodeText, cast, delete, or_, select, update
from sqlalchemy.orm import Session

from ..models import (
    Acknowledgement,
    CheckIn,
    Enrolment,
    Goal,
    MatchRequest,
    Notification,
    NotificationPreference,
    Pairing,
    Person,
    Profile,
    SignUp,
    TandemModel,
)


class NotLeft(ValueError):
    """Erasure refused: only a person whose status is ``left`` can be erased (HTTP 409)."""

    status = 409


@dataclass(frozen=True)
class Erased:
    """What an erasure did: the pseudonym, and how many values elsewhere it replaced."""

    person_id: int
    pseudonym: str
    replaced: int


def pseudonym(person_id: int) -> str:
    """The name an erased person is shown by."""
    return f"Erased person {person_id}"


def erase_person(session: Session, person: Person) -> Erased:
    """Anonymise ``person`` (status ``left``) everywhere; the caller commits. Raises :class:`NotLeft`."""
    if person.status != "left":
        raise NotLeft(f"{person.employee_id} has status {person.status!r}: only people who have left can be erased")
    identifiers = {person.full_name, person.email, person.employee_id}
    user = person.user
    if user is not None:
        identifiers |= {user.username, user.email, f"{user.first_name} {user.last_name}".strip()}
    identifiers = {value for value in identifiers if value and len(value) >= 3}
    name, pid = pseudonym(person.id), person.id

    _clear_free_text(session, pid)
    person.full_name, person.email, person.employee_id = name, f"erased-{pid}@erased.invalid", f"erased-{pid}"
    person.title, person.hire_date, person.seniority = "", None, 0
    person.skills, person.interests, person.languages = [], [], []
    person.user_id = None
    session.flush()
    if user is not None:
        session.delete(user)
        session.flush()
    replaced = _replace_everywhere(session, identifiers, name)
    session.expire_all()
    return Erased(pid, name, replaced)


def _clear_free_text(session: Session, pid: int) -> None:
    session.execute(
        update(CheckIn)
        .where(CheckIn.respondent_id == pid)
        .values(topics=[], private_note="", shared_note="")
        .execution_options(synchronize_session=False)
    )
    for model, values, where in (
        (Enrolment, {"goals": []}, Enrolment.person_id == pid),
        (MatchRequest, {"message": ""}, or_(MatchRequest.mentee_id == pid, MatchRequest.mentor_id == pid)),
        (Pairing, {"end_reason": ""}, or_(Pairing.mentee_id == pid, Pairing.mentor_id == pid)),
        (Acknowledgement, {"quiz_answer": ""}, Acknowledgement.person_id == pid),
        (Goal, {"text": "(erased)"}, Goal.set_by_id == pid),
        (Notification, {"context": {}, "error": ""}, Notification.recipient_id == pid),
        (SignUp, {"goals": [], "availability": ""}, SignUp.person_id == pid),
    ):
        session.execute(update(model).where(where).values(**values).execution_options(synchronize_session=False))
    session.execute(delete(NotificationPreference).where(NotificationPreference.person_id == pid))
    session.execute(delete(Profile).where(Profile.person_id == pid))  # photo, bio and all


def _forms(value: str) -> set[str]:
    """A value as it is stored in text, and as JSON stores it (non-ASCII escaped)."""
    return {value, json.dumps(value)[1:-1]}


def _replaced(value: Any, old: set[str], new: str) -> Any:
    if isinstance(value, str):
        for text in sorted(old, key=len, reverse=True):
            value = value.replace(text, new)
        return value
    if isinstance(value, list):
        return [_replaced(item, old, new) for item in value]
    if isinstance(value, dict):
        return {_replaced(key, old, new): _replaced(item, old, new) for key, item in value.items()}
    return value


def _replace_everywhere(session: Session, identifiers: set[str], name: str) -> int:
    """Replace ``identifiers`` in every text and JSON column of every Tandem table; returns values changed."""
    forms = set().union(*(_forms(value) for value in identifiers)) if identifiers else set()
    changed = 0
    for table in TandemModel.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        columns = [c for c in table.columns if isinstance(c.type, String | Text | Unicode | UnicodeText | JSON)]
        for column in columns:
            if column.primary_key or not forms:
                continue
            text = cast(column, Text) if isinstance(column.type, JSON) else column
            found = select(*keys, column).where(or_(*(text.contains(form, autoescape=True) for form in forms)))
            for row in session.execute(found).all():
                value = _replaced(row[-1], forms, name)
                where = [key == row[index] for index, key in enumerate(keys)]
                session.execute(table.update().where(*where).values({column.name: value}))
                changed += 1
    return changed
