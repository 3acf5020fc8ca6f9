"""A workflow as HR reads it: its steps in words and a simulated timeline for a person found by name.

The service behind the workflow editor and a workflow's page: the words come
from :mod:`tandem.workflows.describe`, the timeline from
:func:`tandem.workflows.simulate.simulate` (the production transition function
on a virtual clock), names and times from :mod:`.formatting`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tandem.workflows.definition import Definition
from tandem.workflows.describe import Labels, StepWords, describe_steps
from tandem.workflows.runtime import participant
from tandem.workflows.simulate import simulate

from .formatting import TRIGGER_WORDS, local_time, template_label, words
from .models import Person

LABELS = Labels(template=template_label, event=lambda event: TRIGGER_WORDS.get(event, words(event)))
SEARCH_LIMIT = 10


@dataclass(frozen=True)
class TimelineRow:
    """One line of a simulated timeline: the day of the run, the local time, what happens."""

    day: int
    when: str
    text: str


@dataclass(frozen=True)
class Timeline:
    """A simulated run for one person from one day."""

    person: Person
    start: date
    rows: list[TimelineRow]


def step_words(definition: Definition) -> list[StepWords]:
    """Every step of ``definition`` as a sentence (template titles, events as words)."""
    return describe_steps(definition, LABELS)


def person_label(person: Person) -> str:
    """A person as a picker shows them: enough to tell two namesakes apart (team, place, e-mail)."""
    details = [part for part in (person.department, person.location, person.email) if part]
    return f"{person.full_name} — {', '.join(details)}" if details else person.full_name


def search_people(session: Session, query: str, limit: int = SEARCH_LIMIT) -> list[Person]:
    """People whose name, e-mail, team or employee id contains ``query`` (case-insensitive), by name."""
    text = query.strip()
    if not text:
        return []
    exact = session.scalars(select(Person).where(Person.employee_id == text)).all()
    pattern = f"%{text.replace('%', '').replace('_', '')}%"
    found = session.scalars(
        select(Person)
        .where(
            or_(
                Person.full_name.ilike(pattern),
                Person.email.ilike(pattern),
                Person.department.ilike(pattern),
            )
        )
        .order_by(Person.full_name, Person.email)
        .limit(limit)
    ).all()
    return list({person.id: person for person in [*exact, *found]}.values())[:limit]


def find_person(session: Session, query: str) -> Person:
    """The one person ``query`` names: a picker's label, an exact name or e-mail, an employee id, or a lone match.

    Raises :class:`LookupError` saying what to type when none or several match.
    """
    text = query.strip()
    candidates = search_people(session, text.split(" — ")[0], limit=50)
    for test in (
        lambda p: person_label(p) == text,
        lambda p: p.employee_id == text,
        lambda p: p.email.lower() == text.lower(),
        lambda p: p.full_name.lower() == text.lower(),
    ):
        chosen = [p for p in candidates if test(p)]
        if len(chosen) == 1:
            return chosen[0]
        if len(chosen) > 1:
            candidates = chosen
            break
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise LookupError(f"nobody in the directory matches “{text}”: try part of a name, an e-mail or a team")
    names = "; ".join(person_label(p) for p in candidates[:5])
    raise LookupError(f"{len(candidates)} people match “{text}” ({names}): choose one from the list")


def timeline(definition: Definition, person: Person, start: date, days: int) -> Timeline:
    """``definition`` simulated for ``person`` from 09:00 their time on ``start``, for ``days``."""
    zone = ZoneInfo(person.timezone or "UTC")
    begin = datetime.combine(start, time(9), tzinfo=zone).astimezone(UTC)
    entries = simulate(definition, participant(person), begin, days=days, template_label=template_label)
    rows = [
        TimelineRow(
            (entry.at.date() - begin.date()).days + 1,
            local_time(entry.at, entry.timezone),
            entry.text,
        )
        for entry in entries
    ]
    return Timeline(person, start, rows)
