"""``goto: <step id>``: jump to another step at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..stepwords import Labels, step_name
from . import StepKind, register

if TYPE_CHECKING:
    from ..definition import Definition
    from ..machine import Run

SCHEMA = {"$ref": "#/$defs/step_id"}


def enter(run: Run, options: dict[str, Any]) -> int:
    """The index of the target step."""
    return run.definition.index_of(options["step"])


def sentence(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    """``Goes on at step 3 (digest).``"""
    return f"Goes on at {step_name(options['step'], definition)}."


KIND = register(
    StepKind(
        "goto",
        SCHEMA,
        enter,
        describe=lambda options: f"goto {options['step']}",
        options=lambda body: {"step": body},
        targets=lambda options: [options["step"]],
        sentence=sentence,
    )
)
