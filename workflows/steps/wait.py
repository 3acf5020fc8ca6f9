"""``wait``: for a duration, until a date, or until the next weekday at a local time."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..stepwords import Labels
from . import StepKind, register

if TYPE_CHECKING:
    from ..definition import Definition
    from ..machine import Run

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "x-expected": "a mapping with exactly one of for (a duration), until (an ISO date) or until_next (a weekday and"
    ' local time such as "monday 09:00", optionally with after: a duration to let pass first)',
    "oneOf": [{"required": ["for"]}, {"required": ["until"]}, {"required": ["until_next"]}],
    "dependentRequired": {"after": ["until_next"]},
    "properties": {
        "for": {"$ref": "#/$defs/duration"},
        "until": {"$ref": "#/$defs/date"},
        "until_next": {"$ref": "#/$defs/weekday_clock"},
        "after": {"$ref": "#/$defs/duration"},
    },
}


def enter(run: Run, options: dict[str, Any]) -> None:
    """A timer at the end of the wait (in the subject's calendar); its firing moves on."""
    step = run.step
    if "for" in options:
        due = run.calendar().add(run.now, step.duration("for"))
    elif "until_next" in options:
        # The subject's own calendar: the same wall-clock time on either side of a DST change.
        earliest = run.calendar().add(run.now, step.duration("after")) if "after" in options else run.now
        due = run.calendar().next_weekday_at(earliest, *step.weekday_clock("until_next"))
    else:
        due = run.calendar().next_working_moment(
            datetime.fromisoformat(options["until"]).replace(tzinfo=run.now.tzinfo)
        )
    run.wake("wait", "done", max(due, run.now))


def sentence(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    """``Waits 2 weeks.``, ``Waits until 2027-01-04.``, ``Waits until the next Monday at 09:00, …``"""
    if "for" in options:
        return f"Waits {options['for']}."
    if "until" in options:
        return f"Waits until {options['until']}."
    day, clock = str(options["until_next"]).split()
    after = f", at least {options['after']} from now" if "after" in options else ""
    return f"Waits until the next {day.capitalize()} at {clock}, each person's local time{after}."


KIND = register(StepKind("wait", SCHEMA, enter, sentence=sentence))
