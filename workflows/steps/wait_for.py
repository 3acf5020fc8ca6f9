"""``wait_for``: wait for an event, with a timeout (and optionally a step to go to when it passes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..state import RUNNING
from ..stepwords import Labels, step_name
from . import StepKind, register

if TYPE_CHECKING:
    from ..definition import Definition
    from ..machine import CheckInFacts, Happened, Run

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["event", "timeout"],
    "x-expected": "a mapping with event, timeout and optionally on_timeout (a step id)",
    "properties": {
        "event": {"$ref": "#/$defs/event_type"},
        "timeout": {"$ref": "#/$defs/duration"},
        "on_timeout": {"$ref": "#/$defs/step_id"},
    },
}


def enter(run: Run, options: dict[str, Any]) -> None:
    """Wait for the event, and set the timeout's timer."""
    run.state.waiting["event"] = options["event"]
    run.wake("timeout", "timeout", run.calendar().add(run.now, run.step.duration("timeout")))


def on_timer(run: Run, purpose: str, base: str, facts: CheckInFacts | None) -> None:
    """The timeout: to ``on_timeout``, or on to the next step."""
    options = run.step.options
    run.enter(run.definition.index_of(options["on_timeout"]) if "on_timeout" in options else run.next_index())


def on_event(run: Run, signal: Happened) -> bool:
    """The awaited event, while the run is not paused: on to the next step."""
    if run.state.waiting.get("event") == signal.type and run.state.status == RUNNING:
        run.enter(run.next_index())
        return True
    return False


def sentence(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    """``Waits until someone accepts the pairing, for at most 1 week; if that does not happen, goes on at …``"""
    text = f"Waits until {labels.event(options['event'])}, for at most {options['timeout']}"
    if "on_timeout" in options:
        return text + f"; if that does not happen, goes on at {step_name(options['on_timeout'], definition)}."
    return text + "."


KIND = register(
    StepKind(
        "wait_for",
        SCHEMA,
        enter,
        on_timer=on_timer,
        on_event=on_event,
        targets=lambda options: [options["on_timeout"]] if "on_timeout" in options else [],
        sentence=sentence,
    )
)
