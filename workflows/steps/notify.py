"""``notify``: send a template to people in roles, then go straight on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..stepwords import Labels, people
from . import StepKind, register

if TYPE_CHECKING:
    from ..definition import Definition
    from ..machine import Run

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["to", "template"],
    "x-expected": (
        "a mapping with to, template and optionally after (a duration: send that long from now while the run goes on)"
    ),
    "properties": {
        "to": {"$ref": "#/$defs/roles"},
        "template": {"$ref": "#/$defs/template"},
        "after": {"$ref": "#/$defs/duration"},
    },
}


def enter(run: Run, options: dict[str, Any]) -> int:
    """One notification per role, each at its person's next working moment (or ``after`` from now: a 30-day pulse)."""
    run.notify(options["to"], options["template"], "notify", after=run.step.duration("after"))
    return run.next_index()


def sentence(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    """``Sends the message “Welcome” to newcomer and buddy.``"""
    return f"Sends the message “{labels.template(options['template'])}” to {people(options['to'], labels)}."


KIND = register(
    StepKind(
        "notify", SCHEMA, enter, describe=lambda options: f"notify {' and '.join(options['to'])}", sentence=sentence
    )
)
