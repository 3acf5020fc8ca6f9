"""``notify``: send a template to people in roles, then go straight on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import StepKind, register

if TYPE_CHECKING:
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


KIND = register(StepKind("notify", SCHEMA, enter, describe=lambda options: f"notify {' and '.join(options['to'])}"))
