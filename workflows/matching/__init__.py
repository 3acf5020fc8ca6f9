"""Matching: the interface the ``match`` step uses, the whole-pool optimal solver and its settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .simple import OPEN_PAIRING, Matcher, Proposal, SimpleMatcher, reporting_line

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tandem.plugin.models import Person, Programme


class DefaultMatcher:
    """The engine's matcher: the optimal solver, imported on first use (its compiled kernels load then)."""

    def find(self, session: Session, person: Person, programme: Programme | None, role: str) -> Proposal | None:
        """See :class:`~tandem.workflows.matching.simple.Matcher`."""
        from .loader import OptimalMatcher

        return OptimalMatcher().find(session, person, programme, role)


__all__ = ["OPEN_PAIRING", "DefaultMatcher", "Matcher", "Proposal", "SimpleMatcher", "reporting_line"]
