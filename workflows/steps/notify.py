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
    "x-expected": "a mapping with to and template",
    "properties": {"to": {"$ref": "#/$defs/roles"}, "template": {"$ref": "#/$defs/template"}},
}


def enter(run: Run, options: dict[str, Any]) -> int:
    """One notification per role, each at its person's next working moment."""
    run.notify(options["to"], options["template"], "notify")
    return run.next_index()


KIND = register(StepKind("notify", SCHEMA, enter, describe=lambda options: f"notify {' and '.join(options['to'])}"))
