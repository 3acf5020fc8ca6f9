"""Each step of a definition in words, for HR reading a workflow beside its YAML.

Each step kind module carries its own sentence (``StepKind.sentence``), built
with the shared helpers of :mod:`tandem.workflows.stepwords`; a kind without one
is worded by its short words (``StepKind.words``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .definition import Definition, Step
from .steps import step_kind
from .stepwords import Labels

__all__ = ["StepWords", "describe_step", "describe_steps"]


@dataclass(frozen=True)
class StepWords:
    """One step as HR reads it: its number (from 1), its id if it has one, and what it does."""

    number: int
    id: str | None
    kind: str
    text: str


def describe_step(step: Step, definition: Definition, labels: Labels | None = None) -> str:
    """What ``step`` of ``definition`` does, as a sentence."""
    kind = step_kind(step.kind)
    if kind.sentence is None:
        return kind.words(step.options)
    return kind.sentence(step.options, definition, labels or Labels())


def describe_steps(definition: Definition, labels: Labels | None = None) -> list[StepWords]:
    """Every step of ``definition`` in words, numbered from 1."""
    return [
        StepWords(index + 1, step.id, step.kind, describe_step(step, definition, labels))
        for index, step in enumerate(definition.steps)
    ]
