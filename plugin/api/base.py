"""What every Tandem REST resource shares."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_appbuilder import ModelRestApi
from sqlalchemy.exc import SQLAlchemyError

from tandem.workflows.safeyaml import excerpt

from ..roles import METHOD_PERMISSIONS, resource_permissions
from .validation import MAX_ID, problems, unique_problems


def _valid_pk(pk: Any) -> bool:
    """A primary key as the URL gives it: digits, within 64 bits."""
    text = str(pk)
    return text.isdigit() and 1 <= int(text) <= MAX_ID


class TandemRestApi(ModelRestApi):
    """A ModelRestApi on the shared ``can_read``/``can_write`` permissions.

    Its permissions come from its resource (:mod:`tandem.plugin.roles`);
    read-only resources also narrow ``include_route_methods``. Every body is
    checked against the model before the database sees it (422 naming each
    field, :mod:`.validation`); a key that cannot exist is a 404; and whatever
    the database still refuses is rolled back and answered 422, never 500.
    """

    method_permission_name = METHOD_PERMISSIONS
    allow_browser_login = True
    page_size = 50
    max_page_size = 500

    def __init__(self) -> None:
        self.base_permissions = resource_permissions(self.class_permission_name)
        super().__init__()

    def _problems(self, fields: list[str], creating: bool, pk: Any = None) -> dict[str, list[str]]:
        body = request.get_json(silent=True)
        session = self.datamodel.session
        model = self.datamodel.obj
        found = problems(session, model, body, fields, creating)
        if not found and isinstance(body, dict):
            found = unique_problems(session, model, body, fields, int(pk) if pk is not None else None)
        return found

    def _refused_by_database(self, error: SQLAlchemyError) -> Any:
        self.datamodel.session.rollback()
        reason = excerpt(getattr(error, "orig", error), 160)
        return self.response_422(message={"body": [f"the database refused these values ({reason})"]})

    def post_headless(self) -> Any:
        """Create, once every field has been checked."""
        if request.is_json and request.get_json(silent=True) is None:
            return self.response_400(message="the body is not valid JSON (or is nested too deeply)")
        if request.is_json:
            found = self._problems(self.add_columns, creating=True)
            if found:
                return self.response_422(message=found)
        try:
            return super().post_headless()
        except SQLAlchemyError as error:
            return self._refused_by_database(error)

    def put_headless(self, pk: Any) -> Any:
        """Change, once every field sent has been checked."""
        if not _valid_pk(pk):
            return self.response_404()
        if request.is_json and request.get_json(silent=True) is None:
            return self.response_400(message="the body is not valid JSON (or is nested too deeply)")
        if request.is_json:
            found = self._problems(self.edit_columns, creating=False, pk=pk)
            if found and self.datamodel.get(pk, self._base_filters) is not None:
                return self.response_422(message=found)
        try:
            return super().put_headless(pk)
        except SQLAlchemyError as error:
            return self._refused_by_database(error)

    def get_headless(self, pk: Any, **kwargs: Any) -> Any:
        """One item; a key that cannot exist is simply not found."""
        if not _valid_pk(pk):
            return self.response_404()
        return super().get_headless(pk, **kwargs)

    def delete_headless(self, pk: Any) -> Any:
        """Delete; a key that cannot exist is not found, a refusal by the database is a 422."""
        if not _valid_pk(pk):
            return self.response_404()
        try:
            return super().delete_headless(pk)
        except SQLAlchemyError as error:
            return self._refused_by_database(error)
