"""Each step of a definition in words, for HR reading a workflow beside its YAML.

One function per step kind, chosen by :data:`DESCRIBE`; when step kinds move
into modules of their own, each module can carry its own function. Names a
person should not read (template ids, event names) go through :class:`Labels`,
which the pages fill with the product's wording (``tandem.plugin.formatting``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .definition import Definition, Step


def _same(name: str) -> str:
    return name


@dataclass(frozen=True)
class Labels:
    """How names inside a step are shown: a template's title, an event as "someone …" words."""

    template: Callable[[str], str] = _same
    event: Callable[[str], str] = _same
    role: Callable[[str], str] = field(default=lambda role: "HR" if role == "hr" else role)


@dataclass(frozen=True)
class StepWords:
    """One step as HR reads it: its number (from 1), its id if it has one, and what it does."""

    number: int
    id: str | None
    kind: str
    text: str


def _people(roles: list[str], labels: Labels) -> str:
    names = [labels.role(role) for role in roles]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _step_name(target: str, definition: Definition) -> str:
    try:
        return f"step {definition.index_of(target) + 1} ({target})"
    except StopIteration:
        return f"“{target}”"


def _notify(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    return f"Sends the message “{labels.template(options['template'])}” to {_people(options['to'], labels)}."


def _wait(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    if "for" in options:
        return f"Waits {options['for']}."
    if "until" in options:
        return f"Waits until {options['until']}."
    day, clock = str(options["until_next"]).split()
    after = f", at least {options['after']} from now" if "after" in options else ""
    return f"Waits until the next {day.capitalize()} at {clock}, each person's local time{after}."


def _match(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    within = f", within {options['within']}" if "within" in options else ""
    return f"Finds a {labels.role(options['role'])} for the {labels.role(definition.subject)}{within}."


def _check_in(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    times = options["times"]
    text = (
        f"Opens a check-in for {_people(options['between'], labels)} every {options['every']}, "
        f"{times} time{'s' if times != 1 else ''}."
    )
    if "remind_after" in options:
        text += f" Sends a reminder when nobody answered after {options['remind_after']}."
    if "escalate_to" in options:
        after = f" after {options['escalate_after']}" if "escalate_after" in options else ""
        text += f" Tells {labels.role(options['escalate_to'])} when a check-in is still unanswered{after}."
    if "template" in options:
        text += f" The prompt is the message “{labels.template(options['template'])}”."
    return text


def _wait_for(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    text = f"Waits until {labels.event(options['event'])}, for at most {options['timeout']}"
    if "on_timeout" in options:
        return text + f"; if that does not happen, goes on at {_step_name(options['on_timeout'], definition)}."
    return text + "."


_TESTS = {"equals": "is {}", "below": "is below {}", "at_least": "is at least {}"}


def _branch(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    source, _, key = str(options["by"]).partition(".")
    subject = f"the last answer's {key.replace('_', ' ')}" if source == "answer" else key.replace("_", " ")
    cases = []
    for case in options["cases"]:
        test = next(name for name in case if name != "goto")
        cases.append(f"if it {_TESTS[test].format(case[test])}, goes to {_step_name(case['goto'], definition)}")
    text = f"Looks at {subject}: " + "; ".join(cases)
    if "otherwise" in options:
        text += f"; otherwise goes to {_step_name(options['otherwise'], definition)}"
    return text + "."


def _goto(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    return f"Goes on at {_step_name(options['step'], definition)}."


def _campaign_item(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    text = f"Sends the campaign item “{str(options['item']).replace('-', ' ')}” to {_people(options['to'], labels)}"
    extras = []
    if options.get("acknowledge"):
        extras.append("asks them to acknowledge it")
    if options.get("discuss"):
        extras.append("adds it as a discussion prompt to their next check-in")
    return text + (", and " + " and ".join(extras) if extras else "") + "."


def _close(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    return "Ends the run" + (f": {options['reason']}." if options.get("reason") else ".")


DESCRIBE: dict[str, Callable[[dict[str, Any], Definition, Labels], str]] = {
    "notify": _notify,
    "wait": _wait,
    "match": _match,
    "check_in": _check_in,
    "wait_for": _wait_for,
    "branch": _branch,
    "goto": _goto,
    "campaign_item": _campaign_item,
    "close": _close,
}


def describe_step(step: Step, definition: Definition, labels: Labels | None = None) -> str:
    """What ``step`` of ``definition`` does, as a sentence."""
    return DESCRIBE[step.kind](step.options, definition, labels or Labels())


def describe_steps(definition: Definition, labels: Labels | None = None) -> list[StepWords]:
    """Every step of ``definition`` in words, numbered from 1."""
    return [
        StepWords(index + 1, step.id, step.kind, describe_step(step, definition, labels))
        for index, step in enumerate(definition.steps)
    ]
