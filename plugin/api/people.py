"""``/api/v1/person/``: the directory, and its CSV import (HR only)."""

from __future__ import annotations

import io
from typing import Any

from flask import request
from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.models.sqla.interface import SQLAInterface

from ..directory import ImportRejected, import_people
from ..directory.changes import record_hand_edit, stored_state
from ..models import Person
from ..personaldata import NotLeft, erase_person
from ..records import PERSON
from ..roles import METHOD_PERMISSIONS
from ..scoping import scoped
from ..settings import settings
from .base import TandemRestApi


class PersonApi(TandemRestApi):
    """People the caller may see; HR may also import the directory as CSV."""

    resource_name = "person"
    class_permission_name = "TandemPerson"
    datamodel = SQLAInterface(Person)
    method_permission_name = {**METHOD_PERMISSIONS, "import_csv": "import", "erase": "write"}
    base_filters = scoped("id")
    list_columns = PERSON.rest(PERSON.listed)
    show_columns = PERSON.rest_shown()
    add_columns = list(PERSON.added)
    edit_columns = list(PERSON.edited)
    search_columns = list(PERSON.searched)
    order_columns = ["employee_id", "full_name", "department", "location", "status"]

    def pre_add(self, item: Person) -> None:
        """Save the newcomer and record ``employee.hired``, as the directory import would."""
        record_hand_edit(self.datamodel.session, None, item, source="api")

    def pre_update(self, item: Person) -> None:
        """Save the change and record what it means (a move, a leave, a departure), as the import would."""
        record_hand_edit(self.datamodel.session, stored_state(self.datamodel.session, item), item, source="api")

    @expose("/import", methods=["POST"])
    @protect()
    @safe
    def import_csv(self) -> Any:
        """Upsert the staff directory from a CSV file.
        ---
        post:
          description: >-
            Validates the whole file and upserts it by employee_id in one
            transaction. Send the CSV as the body (text/csv) or as the
            multipart field "file". Any error: nothing is written.
          responses:
            200:
              description: Imported; counts of created, updated and unchanged people
            400:
              $ref: '#/components/responses/400'
            413:
              description: The file is larger than TANDEM_IMPORT_MAX_BYTES
            422:
              description: Rejected; every error with its row and column
        """
        limit = settings().import_max_bytes
        if request.content_length and request.content_length > limit + 64 * 1024:
            return self._too_large(request.content_length, limit)
        upload = request.files.get("file")
        data = upload.read(limit + 1) if upload else request.get_data()
        if len(data) > limit:
            return self._too_large(len(data), limit)
        if not data:
            return self.response_400(message="send the CSV as the request body or as the field 'file'")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return self.response_400(message="the file is not UTF-8 text")
        session = self.datamodel.session
        try:
            result = import_people(session, io.StringIO(text, newline=""), source="api")
        except ImportRejected as rejected:
            session.rollback()
            return self.response(
                422,
                message=str(rejected),
                errors=[error.as_dict() for error in rejected.errors],
            )
        session.commit()
        return self.response(200, **result.as_dict())

    @expose("/<int:pk>/erase", methods=["POST"])
    @protect()
    @safe
    def erase(self, pk: int) -> Any:
        """Anonymise a person who has left (HR).
        ---
        post:
          summary: Erase the personal data of a person whose status is "left"
          parameters:
          - in: path
            name: pk
            required: true
            schema: {type: integer}
          responses:
            200: {description: erased; the person's pseudonym}
            404: {description: no such person}
            409: {description: the person has not left}
        """
        person = self.datamodel.get(pk, self._base_filters)
        if person is None:
            return self.response_404()
        session = self.datamodel.session
        try:
            erased = erase_person(session, person)
        except NotLeft as refused:
            session.rollback()
            return self.response(409, message={"status": [str(refused)]})
        session.commit()
        return self.response(200, id=erased.person_id, pseudonym=erased.pseudonym, replaced=erased.replaced)

    def _too_large(self, size: int, limit: int) -> Any:
        """413 naming the limit and the setting that raises it."""
        return self.response(
            413,
            message={
                "file": [
                    f"the file is {size / 1e6:,.1f} MB; an import takes at most {limit / 1e6:,.1f} MB"
                    " (the setting TANDEM_IMPORT_MAX_BYTES)"
                ]
            },
            max_bytes=limit,
        )
