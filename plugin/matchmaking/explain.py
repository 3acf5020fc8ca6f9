"""A match score as people read it: points out of 100, each reason in words with its share of the points.

The solver scores a pair as the sum over criteria of ``weight × points`` (each
criterion 0–100 points, weights 0–10), circles likewise; older or hand-made
pairings carry fractions of 1 or the simple matcher's small numbers. However
a score was stored, :func:`explain` puts it on one scale: the points out of
100 the pair earned, where 100 means every weighted criterion fully met, and
the reasons that earned them, each with its share, best first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tandem.workflows.matching.circles import CIRCLE_CRITERIA, DEFAULT_CIRCLE_WEIGHTS, CircleSettings
from tandem.workflows.matching.settings import CRITERIA, CRITERION_LABELS, DEFAULT_WEIGHTS, MatchSettings

CIRCLE_LABELS = {
    "department": "a mix of departments",
    "location": "a mix of locations",
    "seniority": "a mix of seniority",
    "timezone": "shared working hours",
}

# Criteria of older breakdowns (fractions of 1, or the simple matcher's points), by the solver's name.
ALIASES = {
    "goals_vs_skills": "goals",
    "seniority_gap": "seniority",
    "tenure_gap": "tenure",
    "different_department": "department",
    "other department": "department",
    "time_zone_overlap": "timezone",
    "same time zone": "timezone",
    "shared_languages": "languages",
    "shared language": "languages",
    "shared_interests": "interests",
    "same location": "location",
    "experience": "seniority",
}
# The simple matcher's most points per criterion (see tests/simple_matcher.py).
SIMPLE_MAXIMA = {"same location": 2, "other department": 1, "same time zone": 1, "shared language": 1, "experience": 2}


@dataclass(frozen=True)
class Reason:
    """One criterion that earned points."""

    label: str
    points: int

    def __str__(self) -> str:
        return f"{self.label}: {self.points} point{'s' if self.points != 1 else ''}"


@dataclass(frozen=True)
class Explanation:
    """A score out of 100 and the reasons for it, most points first."""

    points: int
    reasons: tuple[Reason, ...]

    def __str__(self) -> str:
        return f"{self.points} of 100"


def _label(key: str, circle: bool) -> str:
    name = ALIASES.get(key, key)
    labels = CIRCLE_LABELS if circle else CRITERION_LABELS
    return labels.get(name, key.replace("_", " "))


def _explained(shares: Mapping[str, float], circle: bool) -> Explanation:
    rounded = {key: round(share) for key, share in shares.items()}
    reasons = sorted(
        (Reason(_label(key, circle), points) for key, points in rounded.items() if points > 0),
        key=lambda reason: -reason.points,
    )
    return Explanation(min(100, max(0, round(sum(shares.values())))), tuple(reasons))


def explain(
    score: float | None, breakdown: Mapping[str, Any] | None, weights: Mapping[str, int] | None = None
) -> Explanation | None:
    """``score`` and ``breakdown`` on the 0–100 scale; ``weights`` are those the score was made with.

    Returns None when there is nothing to explain.
    """
    breakdown = {key: float(value or 0) for key, value in (breakdown or {}).items()}
    if score is None and not breakdown:
        return None
    total = float(score if score is not None else sum(breakdown.values()))
    keys = set(breakdown)
    circle = (
        bool(keys) and keys <= set(CIRCLE_CRITERIA) and weights is not None and set(weights) <= set(CIRCLE_CRITERIA)
    )
    if keys and keys <= set(CRITERIA):
        weights = dict(weights or (DEFAULT_CIRCLE_WEIGHTS if circle else DEFAULT_WEIGHTS))
        most = 100 * sum(w for key, w in weights.items() if w > 0) or 100
        return _explained({key: 100 * value / most for key, value in breakdown.items()}, circle)
    if keys and keys <= set(SIMPLE_MAXIMA):
        most = sum(SIMPLE_MAXIMA.values())
        return _explained({key: 100 * value / most for key, value in breakdown.items()}, False)
    if not keys:
        return Explanation(min(100, max(0, round(100 * total if total <= 1 else total))), ())
    if total <= 1:
        return _explained({key: 100 * value for key, value in breakdown.items()}, False)
    most = max(total, sum(breakdown.values())) or 1
    return _explained({key: 100 * value / most for key, value in breakdown.items()}, False)


def pairing_weights(settings: Mapping[str, Any] | None) -> dict[str, int]:
    """The weights mentoring pairs are scored with under ``settings`` (a programme's or a run's JSON)."""
    try:
        return dict(MatchSettings.from_json(dict(settings or {})).weights)
    except ValueError:
        return dict(DEFAULT_WEIGHTS)


def circle_weights(settings: Mapping[str, Any] | None) -> dict[str, int]:
    """The weights circles are scored with under ``settings`` (a programme's or a run's JSON)."""
    try:
        return dict(CircleSettings.from_json((settings or {}).get("circles") or {}).weights)
    except ValueError:
        return dict(DEFAULT_CIRCLE_WEIGHTS)


def explain_match(match: Any) -> Explanation | None:
    """A pairing's or a match request's stored score and breakdown on the 0–100 scale."""
    breakdown = getattr(match, "score_breakdown", None) or getattr(match, "breakdown", None)
    programme = match.programme
    return explain(match.score, breakdown, pairing_weights(programme and programme.matching_settings))
