"""``close``: end the run as completed, with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..state import COMPLETED
from . import StepKind, register

if TYPE_CHECKING:
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


KIND = register(StepKind("close", SCHEMA, enter))
