"""Person pickers for HR's forms and the People search: they search the directory as people type.

A picker's page carries only its current choice, never the whole directory (10,000
people made a 1.2 MB People page): ``tandem-person-picker.js`` turns it into a
Select2 box that asks ``/mentoring/people-search/?q=`` (name, e-mail, team or
employee id; scoped like the People list; sorted by name then e-mail, each
labelled with e-mail and team so namesakes are told apart). The server accepts
any person still in the directory, as before. The empty choice says what it
means ("no manager") instead of FAB's ``__None``.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_appbuilder.fields import QuerySelectField
from markupsafe import Markup
from wtforms import widgets
from wtforms.validators import DataRequired, Optional

from ..directory.search import person_label
from ..models import Person


class PersonPickerWidget(widgets.Select):
    """A ``<select class="tandem-person-picker">`` with the search URL the script asks."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        classes = f"{kwargs.pop('class', '')} {kwargs.pop('class_', '')} tandem-person-picker form-control"
        kwargs["class"] = " ".join(classes.split())
        kwargs["data-search-url"] = url_for("PersonSearchView.search")
        kwargs.setdefault("style", "width: 100%")
        if "name_" in kwargs:  # FAB's search form names its filter fields this way
            field.name = kwargs.pop("name_")
        return super().__call__(field, **kwargs)


class PersonPickerField(QuerySelectField):
    """A person chosen by id: offers (and accepts) only the chosen person, who must still be in the directory."""

    def _get_object_list(self) -> list[tuple[str, Any]]:
        if self._object_list is None:
            self._object_list = [(str(person.id), person) for person in self._chosen()]
        return self._object_list

    def _chosen(self) -> list[Person]:
        if self._formdata is not None:  # what was sent: a person still in the directory
            given = str(self._formdata)
            person = current_app.appbuilder.session.get(Person, int(given)) if given.isdigit() else None
            return [person] if person is not None and person.status != "left" else []
        return [self._data] if isinstance(self._data, Person) else []  # the row's current value, shown as is


def person_picker(label: str, blank: str = "", description: str = "") -> PersonPickerField:
    """A person picker; ``blank`` (e.g. "— no manager —") makes the field optional."""
    return PersonPickerField(
        label,
        get_pk_func=lambda person: person.id,
        get_label=person_label,
        allow_blank=True,
        blank_text=blank or "— choose a person —",
        widget=PersonPickerWidget(),
        validators=[Optional()] if blank else [DataRequired(message="Choose a person from the list.")],
        description=description or "Type a name, an e-mail address or a team to search.",
    )
