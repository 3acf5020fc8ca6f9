"""A workflow as HR reads it: its steps in words and a simulated timeline for one person.

The service behind the workflow editor and a workflow's page: the words come
from :mod:`tandem.workflows.describe`, the timeline from
:func:`tandem.workflows.simulate.simulate` (the production transition function
on a virtual clock), names and times from :mod:`.formatting`. The person is found by the directory's
search (:func:`tandem.plugin.directory.search.find_person`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from tandem.workflows.definition import Definition
from tandem.workflows.describe import StepWords, describe_steps
from tandem.workflows.runtime import participant
from tandem.workflows.simulate import simulate
from tandem.workflows.stepwords import Labels

from .formatting import TRIGGER_WORDS, local_time, template_label, words
from .models import Person

LABELS = Labels(template=template_label, event=lambda event: TRIGGER_WORDS.get(event, words(event)))


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
