"""What every Tandem admin view shares: permissions, scoping and choice fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_appbuilder import ModelView
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..roles import METHOD_PERMISSIONS, resource_permissions


class TandemModelView(ModelView):
    """A ModelView whose permissions are the shared ``can_read``/``can_write`` pair.

    Subclasses set ``class_permission_name`` to their resource (see
    :mod:`tandem.plugin.roles`, which also decides its permissions),
    ``base_filters`` from :func:`tandem.plugin.scoping.scoped`, and
    ``include_route_methods`` when their pages are read-only.
    """

    method_permission_name = METHOD_PERMISSIONS
    page_size = 50

    def __init__(self, **kwargs: Any) -> None:
        self.base_permissions = resource_permissions(self.class_permission_name)
        super().__init__(**kwargs)


READ_ONLY = {"list", "show"}


def choice_field(label: str, values: Iterable[str]) -> SelectField:
    """A required select box offering exactly the values a check constraint allows."""
    return SelectField(
        label,
        choices=[SelectChoice(value, value.replace("_", " ")) for value in values],
        validators=[InputRequired()],
    )
