"""A programme's matching settings as HR sets them: a 0–10 control per criterion, a switch per hard constraint.

Stored as before on ``Programme.matching_settings`` (``weights`` and ``constraints``;
other keys such as ``rematch`` or ``self_match`` are kept), so the matcher reads them
unchanged. Validated by the matcher's own :class:`MatchSettings` before anything is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tandem.workflows.matching.settings import CRITERIA, CRITERION_LABELS, MatchSettings, SettingsError

from ..errors import Refused
from ..matchmaking.present import CONSTRAINT_LABELS, settings_form_values
from ..matchmaking.settings_form import FLAGS, settings_from_form
from ..models import Programme

# What each criterion means for a pair, said beside its control.
MEANINGS = {
    "goals": "How well the mentor's skills cover what the mentee wants to grow in.",
    "seniority": "The mentor is more senior, by a useful gap rather than a huge one.",
    "tenure": "The mentor has been with the company longer.",
    "department": "The two work in different departments (a view from outside the team).",
    "timezone": "Their working hours overlap, so they can meet in the day.",
    "languages": "They share a language to talk in.",
    "interests": "They share interests beyond work.",
    "location": "They work in the same place (counts only for in-person programmes).",
}
SWITCH_MEANINGS = {
    "not_same_team": "Nobody is paired with someone in their own team.",
    "shared_language": "A pair must have a language in common.",
    "cross_department": "Pairs always cross departments.",
    "in_person": "People meet in person, so the same location counts.",
}


@dataclass(frozen=True)
class Control:
    """One 0–10 control of the form."""

    name: str
    label: str
    meaning: str
    value: int


def controls(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """The form's controls prefilled from ``settings``: criteria, switches and the two numbers."""
    values = settings_form_values(dict(settings or {}))
    return {
        "criteria": [
            Control(name, label.capitalize(), MEANINGS[name], weight) for name, label, weight in values["weights"]
        ],
        "switches": [
            (flag, CONSTRAINT_LABELS[flag].capitalize(), SWITCH_MEANINGS[flag], bool(values["constraints"].get(flag)))
            for flag in FLAGS
        ],
        "overlap": values["constraints"].get("min_timezone_overlap", 0),
        "distance": values["constraints"].get("max_seniority_distance"),
        "labels": CONSTRAINT_LABELS,
    }


def _form_field(error: SettingsError) -> str:
    if error.field.startswith("weights."):
        return "weight_" + error.field.split(".", 1)[1]
    if error.field.startswith("constraints."):
        return error.field.split(".", 1)[1]
    return error.field


def save_matching_settings(programme: Programme, form: Mapping[str, str]) -> MatchSettings:
    """Store the weights and constraints of ``form`` on ``programme``; :class:`Refused` naming the field."""
    for name in CRITERIA:
        text = (form.get(f"weight_{name}") or "").strip()
        if text and not text.isdigit():
            raise Refused(f"{CRITERION_LABELS[name].capitalize()}: a whole number from 0 to 10", f"weight_{name}")
    raw = settings_from_form(form, dict(programme.matching_settings or {}))
    try:
        chosen = MatchSettings.from_json(raw)
    except SettingsError as error:
        raise Refused(str(error), _form_field(error)) from None
    programme.matching_settings = {**raw, **chosen.to_json()}
    return chosen
