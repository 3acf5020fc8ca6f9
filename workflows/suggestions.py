""" "Did you mean …?" for a name that is almost one of the known ones (a template, a role, a step id)."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` — did you mean "x"?`` naming the closest of ``choices`` to ``word``, or "" when none is close."""
    close = get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return f' — did you mean "{close[0]}"?' if close else ""
