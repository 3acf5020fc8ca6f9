"""``/api/v1/event/``: post events (HR or an API key), read the log."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_appbuilder.api import expose, protect, safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from tandem.workflows.intake import record_event

from ..events import NewEvent
from ..models import EVENT_TYPES, Event, Person, Programme
from ..selfservice.content import without_content
from .base import TandemRestApi


class PostEventSchema(Schema):
    """The body of ``POST /api/v1/event/``."""

    event_id = fields.String(validate=validate.Length(min=1, max=100))
    type = fields.String(required=True, validate=validate.OneOf(EVENT_TYPES))
    employee_id = fields.String(validate=validate.Length(min=1, max=64))
    programme = fields.String(validate=validate.Length(min=1, max=100))
    payload = fields.Dict(load_default=dict)
    occurred_at = fields.AwareDateTime(default_timezone=None)


class EventApi(TandemRestApi):
    """The append-only event log: list, show and post; never edit or delete."""

    resource_name = "event"
    class_permission_name = "TandemEvent"
    datamodel = SQLAInterface(Event)
    include_route_methods = {"get", "get_list", "info", "post"}
    list_columns = [
        "id",
        "event_id",
        "type",
        "person.id",
        "programme.id",
        "source",
        "occurred_at",
        "recorded_at",
    ]
    show_columns = [*list_columns, "payload"]

    def pre_get(self, data: dict[str, Any]) -> None:
        """A rating or note in a payload is content: HR sees it only in aggregate (README, Security)."""
        data["result"]["payload"] = without_content(data["result"].get("payload"))

    post_schema = PostEventSchema()

    @expose("/", methods=["POST"])
    @protect()
    @safe
    def post(self) -> Any:
        """Record an event; an ``event_id`` seen before is ignored.
        ---
        post:
          description: Record an event (201), or acknowledge a duplicate (200).
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    event_id: {type: string}
                    type: {type: string}
                    employee_id: {type: string}
                    programme: {type: string, description: programme slug}
                    payload: {type: object}
                    occurred_at: {type: string, format: date-time}
          responses:
            201:
              description: Recorded
            200:
              description: Already recorded earlier; nothing changed
            400:
              $ref: '#/components/responses/400'
            422:
              $ref: '#/components/responses/422'
        """
        if not request.is_json:
            return self.response_400(message="Request body must be JSON")
        try:
            body = self.post_schema.load(request.get_json(silent=True) or {})
        except ValidationError as error:
            return self.response_422(message=error.messages)
        session = self.datamodel.session
        refs: dict[str, Any] = {}
        if "employee_id" in body:
            refs["person_id"] = session.scalar(select(Person.id).where(Person.employee_id == body["employee_id"]))
            if refs["person_id"] is None:
                return self.response_422(message={"employee_id": ["no such employee"]})
        if "programme" in body:
            refs["programme_id"] = session.scalar(select(Programme.id).where(Programme.slug == body["programme"]))
            if refs["programme_id"] is None:
                return self.response_422(message={"programme": ["no such programme"]})
        optional = {key: body[key] for key in ("event_id", "occurred_at") if key in body}
        event = NewEvent(type=body["type"], payload=body["payload"], **refs, **optional)
        stored, created = record_event(session, event)
        session.commit()
        status = 201 if created else 200
        return self.response(status, id=stored.id, event_id=stored.event_id, created=created)
