"""Which workflow a programme runs: chosen by name from the stored definitions.

A programme names a workflow definition (``Programme.workflow``); any number
of programmes may run the same definition, which serves as their template.
The engine finds the newest version of that name when a run starts
(:func:`tandem.workflows.store.definition_for`). The admin form and the REST
API offer and accept only names of stored definitions.
"""

from __future__ import annotations

from flask import current_app
from marshmallow import ValidationError
from sqlalchemy.orm import Session
from wtforms.fields.choices import SelectChoice

from tandem.workflows.store import latest_versions

STARTS = {
    "pairing.proposed": "starts when a pairing is published",
    "employee.hired": "starts for every new hire",
}
NO_TRIGGER = "started by publishing circles, or a command"


def label(name: str, title: str, trigger: str | None) -> str:
    """How a definition is offered in the list: its title, name and what starts it."""
    starts = STARTS.get(trigger or "", f"starts on {trigger}" if trigger else NO_TRIGGER)
    return f"{title or name} ({name}) — {starts}"


def workflow_choices(session: Session | None = None) -> list[SelectChoice]:
    """The select box's options: the newest version of every active stored definition, by name."""
    session = session or current_app.appbuilder.session
    rows = [row for row in latest_versions(session) if row.active]
    return [SelectChoice(row.name, label(row.name, row.title, row.trigger)) for row in rows]


def check_workflow_name(name: str | None) -> None:
    """A marshmallow validator: ``name`` must be a stored definition (or empty)."""
    if name and name not in {choice.value for choice in workflow_choices()}:
        raise ValidationError(f"no workflow definition named {name!r}; choose one of those listed in the editor")
