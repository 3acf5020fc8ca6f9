"""What step kinds share to word a step as a sentence: how names are shown, a list of people, a step's name.

Each step kind module carries its own sentence (``StepKind.sentence``);
:mod:`tandem.workflows.describe` reads them from the registry. Names a person
should not read (template ids, event names) go through :class:`Labels`, which
the pages fill with the product's wording (``tandem.plugin.formatting``). Pure:
imported by the step modules, so it imports neither them nor the definition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .definition import Definition


def _same(name: str) -> str:
    return name


@dataclass(frozen=True)
class Labels:
    """How names inside a step are shown: a template's title, an event as "someone …" words."""

    template: Callable[[str], str] = _same
    event: Callable[[str], str] = _same
    role: Callable[[str], str] = field(default=lambda role: "HR" if role == "hr" else role)


def people(roles: list[str], labels: Labels) -> str:
    """``newcomer and buddy``; ``newcomer, buddy and HR``."""
    names = [labels.role(role) for role in roles]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def step_name(target: str, definition: Definition) -> str:
    """``step 3 (digest)``, or the id in quotes when no step has it."""
    try:
        return f"step {definition.index_of(target) + 1} ({target})"
    except StopIteration:
        return f"“{target}”"
