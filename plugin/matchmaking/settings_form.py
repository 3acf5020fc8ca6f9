"""HR's weights and constraints as typed into a form, turned into matching settings JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tandem.workflows.matching.settings import CRITERIA

from ..errors import Refused

FLAGS = ("not_same_team", "shared_language", "cross_department", "in_person")


def settings_from_form(form: Mapping[str, str], base: dict[str, Any]) -> dict[str, Any]:
    """``weight_<criterion>`` fields (0–10), constraint check boxes and numbers over ``base``'s other keys.

    Raises :class:`Refused` naming the field that is not a number; ranges are checked by the solver's settings.
    """
    weights = {name: _number(form, f"weight_{name}", int) for name in CRITERIA if form.get(f"weight_{name}", "") != ""}
    constraints: dict[str, Any] = {flag: form.get(flag) == "on" for flag in FLAGS}
    if form.get("min_timezone_overlap", "") != "":
        constraints["min_timezone_overlap"] = _number(form, "min_timezone_overlap", float)
    distance = form.get("max_seniority_distance", "")
    constraints["max_seniority_distance"] = _number(form, "max_seniority_distance", int) if distance != "" else None
    return {**base, "weights": weights, "constraints": constraints}


def _number(form: Mapping[str, str], name: str, kind: type) -> Any:
    try:
        return kind(form[name])
    except ValueError:
        raise Refused(f"{name}: expected a number, got {form[name]!r}", name) from None
