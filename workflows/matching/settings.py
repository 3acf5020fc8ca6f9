"""A programme's matching settings: a weight per criterion and the hard constraints HR chose.

Stored as JSON on ``Programme.matching_settings``::

    {"weights": {"goals": 8, "timezone": 5, ...},
     "constraints": {"not_same_team": true, "min_timezone_overlap": 3, "shared_language": true,
                     "cross_department": false, "max_seniority_distance": 6, "in_person": false}}

A weight runs from 0 (ignored) to 10; 10 means "must match": a pair whose
points for that criterion are zero is not eligible at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

CRITERIA: tuple[str, ...] = (
    "goals",
    "seniority",
    "tenure",
    "department",
    "timezone",
    "languages",
    "interests",
    "location",
)
"""Criteria in the order the kernels use; each gives 0–100 points for a pair."""

CRITERION_LABELS: dict[str, str] = {
    "goals": "mentee's goals met by mentor's skills",
    "seniority": "seniority gap",
    "tenure": "tenure gap",
    "department": "different department",
    "timezone": "working hours overlap",
    "languages": "shared language",
    "interests": "shared interests",
    "location": "same location (in person)",
}

DEFAULT_WEIGHTS: dict[str, int] = {
    "goals": 8,
    "seniority": 4,
    "tenure": 2,
    "department": 3,
    "timezone": 5,
    "languages": 6,
    "interests": 2,
    "location": 0,
}

MUST_MATCH = 10


class SettingsError(ValueError):
    """Matching settings that cannot be used; ``field`` names the offending entry."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


@dataclass(frozen=True)
class MatchSettings:
    """Weights and hard constraints for one matching run."""

    weights: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    not_same_team: bool = True
    min_timezone_overlap: float = 0.0
    shared_language: bool = False
    cross_department: bool = False
    max_seniority_distance: int | None = None
    in_person: bool = False

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> MatchSettings:
        """Settings from a programme's JSON; raises :class:`SettingsError` naming the bad field."""
        data = data or {}
        if not isinstance(data, dict):
            raise SettingsError("matching_settings", "expected an object")
        weights = dict(DEFAULT_WEIGHTS)
        raw_weights = data.get("weights") or {}
        if not isinstance(raw_weights, dict):
            raise SettingsError("weights", "expected an object of criterion: weight")
        for name, value in raw_weights.items():
            if name not in CRITERIA:
                raise SettingsError(f"weights.{name}", f"unknown criterion; expected one of {', '.join(CRITERIA)}")
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MUST_MATCH:
                raise SettingsError(f"weights.{name}", "expected a whole number from 0 to 10")
            if int(value) != value:
                raise SettingsError(f"weights.{name}", "expected a whole number from 0 to 10")
            weights[name] = int(value)
        raw = data.get("constraints") or {}
        if not isinstance(raw, dict):
            raise SettingsError("constraints", "expected an object")
        known = {"not_same_team", "min_timezone_overlap", "shared_language", "cross_department"}
        known |= {"max_seniority_distance", "in_person"}
        for name in raw:
            if name not in known:
                raise SettingsError(
                    f"constraints.{name}", f"unknown constraint; expected one of {', '.join(sorted(known))}"
                )
        for name in ("not_same_team", "shared_language", "cross_department", "in_person"):
            if name in raw and not isinstance(raw[name], bool):
                raise SettingsError(f"constraints.{name}", "expected true or false")
        overlap = raw.get("min_timezone_overlap", 0)
        if isinstance(overlap, bool) or not isinstance(overlap, int | float) or not 0 <= overlap <= 8:
            raise SettingsError("constraints.min_timezone_overlap", "expected hours from 0 to 8")
        distance = raw.get("max_seniority_distance")
        if distance is not None and (isinstance(distance, bool) or not isinstance(distance, int) or distance < 0):
            raise SettingsError("constraints.max_seniority_distance", "expected a whole number ≥ 0 or null")
        in_person = bool(raw.get("in_person", False))
        if not in_person:
            weights["location"] = 0
        return cls(
            weights=weights,
            not_same_team=bool(raw.get("not_same_team", True)),
            min_timezone_overlap=float(overlap),
            shared_language=bool(raw.get("shared_language", False)),
            cross_department=bool(raw.get("cross_department", False)),
            max_seniority_distance=distance,
            in_person=in_person,
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON form stored on the programme."""
        return {
            "weights": dict(self.weights),
            "constraints": {
                "not_same_team": self.not_same_team,
                "min_timezone_overlap": self.min_timezone_overlap,
                "shared_language": self.shared_language,
                "cross_department": self.cross_department,
                "max_seniority_distance": self.max_seniority_distance,
                "in_person": self.in_person,
            },
        }

    def packed(self) -> np.ndarray:
        """The settings as the int64 vector the kernels read (see ``kernels.S_*``)."""
        weights = [self.weights.get(name, 0) if (name != "location" or self.in_person) else 0 for name in CRITERIA]
        return np.array(
            [
                *weights,
                int(self.not_same_team),
                round(self.min_timezone_overlap * 60),
                int(self.shared_language),
                int(self.cross_department),
                -1 if self.max_seniority_distance is None else self.max_seniority_distance,
            ],
            dtype=np.int64,
        )
