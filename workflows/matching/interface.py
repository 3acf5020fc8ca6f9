"""The matching interface behind the ``match`` step: a :class:`Matcher` returns a :class:`Proposal`.

The engine's matcher, :class:`DefaultMatcher`, is the whole-pool optimal
solver; tests put others behind the same interface.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tandem.plugin.models import Person, Programme


@dataclass(frozen=True)
class Proposal:
    """A proposed partner with the score and why."""

    person: Person
    score: float
    breakdown: dict[str, float] = field(default_factory=dict)


class Matcher(Protocol):
    """Finds a partner for one person in one programme."""

    def find(self, session: Session, person: Person, programme: Programme | None, role: str) -> Proposal | None:
        """The best partner, or ``None`` when nobody is eligible."""
        ...


class DefaultMatcher:
    """The engine's matcher: the optimal solver, imported on first use (its compiled kernels load then)."""

    def find(self, session: Session, person: Person, programme: Programme | None, role: str) -> Proposal | None:
        """See :class:`Matcher`."""
        from .loader import OptimalMatcher

        return OptimalMatcher().find(session, person, programme, role)
