"""``match``: ask the matching service for a partner in a role (with a deadline HR hears of)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..effects import RequestMatch, handles
from ..state import InstanceState, Participant
from ..stepwords import Labels
from ..timeline import Entry
from . import StepKind, register

if TYPE_CHECKING:
    from ..definition import Definition
    from ..machine import CheckInFacts, Happened, Run

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["role"],
    "x-expected": "a mapping with role and optionally within and programme",
    "properties": {
        "role": {"$ref": "#/$defs/role"},
        "within": {"$ref": "#/$defs/duration"},
        "programme": {"$ref": "#/$defs/slug"},
    },
}


def enter(run: Run, options: dict[str, Any]) -> None:
    """Request the match and wait for its answer; a deadline timer when ``within`` is given."""
    run.state.waiting["match"] = options["role"]
    run.effects.append(RequestMatch(run.key("match"), options["role"], options.get("programme")))
    if "within" in options:
        run.wake("match-deadline", "deadline", run.calendar().add(run.now, run.step.duration("within")))


def on_timer(run: Run, purpose: str, base: str, facts: CheckInFacts | None) -> None:
    """The deadline passed without a match: HR hears of it (the step keeps waiting)."""
    run.notify(["hr"], "operations/match-overdue", "match-overdue", role=run.step.options["role"])


def on_event(run: Run, signal: Happened) -> bool:
    """``match.found`` fills the role and moves on; ``match.failed`` tells HR."""
    payload = signal.payload
    if run.state.waiting.get("match") != payload.get("role"):
        return False
    if signal.type == "match.found":
        run.state.roles[payload["role"]] = dict(payload["person"])
        run.enter(run.next_index())
        return True
    if signal.type == "match.failed":
        run.notify(
            ["hr"], "operations/match-failed", "match-failed", role=payload["role"], reason=payload.get("reason", "")
        )
        return True
    return False


def react(world: Any, effect: RequestMatch) -> None:
    """The simulated world fills the role at once: with ``partner``, or a stand-in in the subject's time zone."""
    subject = world.subject
    stand_in = world.partner or Participant(
        id=-1, name=f"the matched {effect.role}", timezone=subject.timezone, country=subject.country
    )
    world.answer(world.now, "match.found", {"role": effect.role, "person": vars(stand_in)})


def describe(effect: RequestMatch, state: InstanceState, at: datetime, subject: Participant) -> list[Entry]:
    """``match: find a buddy``."""
    return [Entry(at, subject.timezone, f"match: find a {effect.role}")]


def sentence(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    """``Finds a buddy for the newcomer, within 3 business days.``"""
    within = f", within {options['within']}" if "within" in options else ""
    return f"Finds a {labels.role(options['role'])} for the {labels.role(definition.subject)}{within}."


KIND = register(
    StepKind(
        "match",
        SCHEMA,
        enter,
        on_timer=on_timer,
        on_event=on_event,
        fills=lambda options: {options["role"]},
        sentence=sentence,
    )
)
handles(RequestMatch, react=react, describe=describe)
