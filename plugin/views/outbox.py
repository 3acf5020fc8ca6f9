"""The notification outbox and the event log in the admin (both read-only here)."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface

from ..models import Event, Notification
from ..scoping import scoped
from ..selfservice.content import without_content
from .base import READ_ONLY, TandemModelView


class NotificationView(TandemModelView):
    """Every notification with its delivery status; staff see their own."""

    datamodel = SQLAInterface(Notification)
    class_permission_name = "TandemNotification"
    route_base = "/mentoring/notifications"
    base_filters = scoped("recipient_id")
    include_route_methods = READ_ONLY
    base_order = ("created_at", "desc")
    list_columns = [
        "recipient",
        "channel",
        "template",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    search_columns = ["recipient", "channel", "template", "status", "created_at"]
    show_columns = [*list_columns, "error", "idempotency_key"]


class EventView(TandemModelView):
    """The append-only event log."""

    datamodel = SQLAInterface(Event)
    class_permission_name = "TandemEvent"
    route_base = "/mentoring/events"
    include_route_methods = READ_ONLY
    base_order = ("recorded_at", "desc")
    list_columns = ["type", "person", "programme", "source", "occurred_at", "event_id"]
    search_columns = ["type", "person", "programme", "source", "occurred_at"]
    show_columns = [*list_columns, "payload", "recorded_at"]
    formatters_columns = {"payload": without_content}  # a rating in a payload is content: aggregate only
