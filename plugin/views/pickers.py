"""Person pickers for HR's forms: everyone by name then e-mail, each labelled with e-mail and team.

Select2 searches the whole label as people type, so a picker finds a person by name, e-mail
address or department, and two people of the same name are told apart. The empty choice
says what it means ("no manager") instead of FAB's ``__None``.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from wtforms.validators import DataRequired, Optional

from ..directory.search import person_label, sorted_people


def person_picker(label: str, blank: str = "", description: str = "") -> QuerySelectField:
    """A select box of people; ``blank`` (e.g. "— no manager —") makes the field optional."""

    def people() -> list[Any]:
        return sorted_people(current_app.appbuilder.session)

    return QuerySelectField(
        label,
        query_func=people,
        get_pk_func=lambda person: person.id,
        get_label=person_label,
        allow_blank=True,
        blank_text=blank or "— choose a person —",
        widget=Select2Widget(),
        validators=[Optional()] if blank else [DataRequired(message="Choose a person from the list.")],
        description=description or "Type a name, an e-mail address or a team to search.",
    )
