"""``goto: <step id>``: jump to another step at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import StepKind, register

if TYPE_CHECKING:
    from ..machine import Run

SCHEMA = {"$ref": "#/$defs/step_id"}


def enter(run: Run, options: dict[str, Any]) -> int:
    """The index of the target step."""
    return run.definition.index_of(options["step"])


KIND = register(
    StepKind(
        "goto",
        SCHEMA,
        enter,
        describe=lambda options: f"goto {options['step']}",
        options=lambda body: {"step": body},
        targets=lambda options: [options["step"]],
    )
)
