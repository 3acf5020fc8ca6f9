"""Matching: the interface the ``match`` step uses, the whole-pool optimal solver and its settings."""

from .simple import OPEN_PAIRING, Matcher, Proposal, SimpleMatcher, reporting_line

__all__ = ["OPEN_PAIRING", "Matcher", "Proposal", "SimpleMatcher", "reporting_line"]
