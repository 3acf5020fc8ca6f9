"""``close``: end the run as completed, with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..state import COMPLETED
from ..stepwords import Labels
from . import StepKind, register

if TYPE_CHECKING:
    from ..definition import Definition
    from ..machine import Run

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "x-expected": "a mapping with optionally reason",
    "properties": {"reason": {"type": "string", "maxLength": 200, "x-expected": "a short reason"}},
}


def enter(run: Run, options: dict[str, Any]) -> None:
    """The run is completed."""
    run.finish(COMPLETED, options.get("reason", "closed"))


def sentence(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    """``Ends the run: a participant left.``"""
    return "Ends the run" + (f": {options['reason']}." if options.get("reason") else ".")


KIND = register(StepKind("close", SCHEMA, enter, sentence=sentence))
