"""The notification outbox and the event log in the admin (both read-only here)."""

from __future__ import annotations

from ..formatting import event_words, template_label
from ..models import Event, Notification
from ..records import NOTIFICATION
from ..scoping import scoped
from ..selfservice.content import without_content
from .base import READ_ONLY, RowInterface, TandemModelView
from .formatting import humane


def _payload(payload: dict | None) -> object:
    """An event's payload without its ids and keys (they mean nothing to people)."""
    shown = {k: v for k, v in (payload or {}).items() if not (k == "id" or k.endswith(("_id", "_ids", "key")))}
    return humane(without_content(shown))


class NotificationView(TandemModelView):
    """Every notification with its delivery status; staff see their own."""

    datamodel = RowInterface(Notification)
    class_permission_name = "TandemNotification"
    route_base = "/mentoring/notifications"
    base_filters = scoped("recipient_id")
    include_route_methods = READ_ONLY
    base_order = ("created_at", "desc")
    list_columns = list(NOTIFICATION.listed)
    search_columns = list(NOTIFICATION.searched)
    show_columns = list(NOTIFICATION.shown)
    label_columns = {"template": "Message", "created_at": "Written", "sent_at": "Sent"}
    formatters_columns = {"template": template_label, "channel": lambda channel: (channel or "").replace("_", "-")}


class EventView(TandemModelView):
    """The append-only event log."""

    datamodel = RowInterface(Event)
    class_permission_name = "TandemEvent"
    route_base = "/mentoring/events"
    include_route_methods = READ_ONLY
    base_order = ("recorded_at", "desc")
    list_columns = ["person", "type", "programme", "source", "occurred_at"]
    search_columns = ["type", "person", "programme", "source", "occurred_at"]
    show_columns = [*list_columns, "payload", "recorded_at"]
    label_columns = {"type": "What happened", "occurred_at": "When", "payload": "Details", "recorded_at": "Recorded"}
    formatters_columns = {"type": event_words, "payload": _payload}  # a rating in a payload is content: aggregate only
