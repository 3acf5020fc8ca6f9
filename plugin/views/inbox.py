"""The in-app inbox: my notifications, mark as read; and the bell with the unread count on every page."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

import flask_appbuilder
from flask import Flask, current_app, flash, redirect, url_for
from flask_appbuilder import expose, has_access
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

from ..errors import SelfServiceError
from ..scoping import current_user, person_for_user
from ..selfservice.inbox import is_unread, mark_all_read, mark_read, messages, own_message, unread_count
from ..selfservice.timeline import local_time, person_zone, why_notification
from ..selfservice.titles import notification_message, notification_title
from .paging import paged
from .selfservice import READ, RESOURCE, WRITE, SelfServiceView

OVERRIDES = str(files("tandem.templates") / "overrides")
FAB_TEMPLATES = str(Path(flask_appbuilder.__file__).parent / "templates")


class InboxView(SelfServiceView):
    """``/tandem/inbox``"""

    route_base = "/tandem/inbox"
    default_view = "inbox"
    method_permission_name = {"inbox": READ, "message": READ, "read": WRITE, "read_all": WRITE}

    @expose("/")
    @has_access
    def inbox(self) -> Any:
        """My messages, newest first, unread ones marked, a page at a time."""
        person = self.me()
        now = self.clock().now()
        shown = paged(lambda offset, limit: messages(self.session, person.id, now, limit, offset))
        zone = person_zone(self.session, person)
        return self.page(
            "tandem/me/inbox.html",
            person=person,
            paged=shown,
            rows=[
                (row, notification_title(self.session, row), why_notification(self.session, row)) for row in shown.rows
            ],
            unread=is_unread,
            local=lambda moment: local_time(moment, zone),
        )

    @expose("/<int:pk>")
    @has_access
    def message(self, pk: int) -> Any:
        """One of my messages in full, with its links; opening it marks it read."""
        person = self.me()
        now = self.clock().now()
        try:
            row = own_message(self.session, pk, person.id, now)
        except SelfServiceError as error:
            return self.refused(error, url_for("InboxView.inbox"))
        message = notification_message(self.session, row)
        why = why_notification(self.session, row)
        zone = person_zone(self.session, person)
        mark_read(self.session, row.id, person.id, now)
        self.session.commit()
        return self.page(
            "tandem/me/message.html",
            person=person,
            row=row,
            message=message,
            why=why,
            sent=local_time(row.sent_at or row.deliver_after or row.created_at, zone),
        )

    @expose("/<int:pk>/read", methods=["POST"])
    @has_access
    def read(self, pk: int) -> Any:
        """Mark one message read."""
        person = self.me()
        try:
            mark_read(self.session, pk, person.id, self.clock().now())
        except SelfServiceError as error:
            return self.refused(error, url_for("InboxView.inbox"))
        self.session.commit()
        return redirect(url_for("InboxView.inbox"))

    @expose("/read-all", methods=["POST"])
    @has_access
    def read_all(self) -> Any:
        """Mark every message read."""
        person = self.me()
        count = mark_all_read(self.session, person.id, self.clock().now())
        self.session.commit()
        flash(f"{count} message(s) marked as read.", "info")
        return redirect(url_for("InboxView.inbox"))


def bell_count() -> int | None:
    """The signed-in person's unread count for the bell; ``None`` (no bell) for anyone without an inbox."""
    user = current_user()
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not current_app.appbuilder.sm.has_access("can_read", RESOURCE):
        return None
    person = person_for_user(user)
    if person is None:
        return None
    from tandem.workflows.clock import SystemClock

    return unread_count(current_app.appbuilder.session, person.id, SystemClock().now())


def install_bell(app: Flask) -> None:
    """Put the bell in FAB's navbar on every page: a template override that wraps FAB's own right-hand navbar."""
    if app.extensions.get("tandem_bell"):
        return
    app.extensions["tandem_bell"] = True
    # Extend the host's loader, never replace it: its own templates folder still wins over Tandem's override.
    host = [app.jinja_loader] if app.jinja_loader is not None else []
    app.jinja_env.loader = ChoiceLoader(
        [
            *host,
            FileSystemLoader(OVERRIDES),
            PrefixLoader({"fab": FileSystemLoader(FAB_TEMPLATES)}),
            app.jinja_env.loader,
        ]
    )
    app.jinja_env.globals["tandem_unread"] = bell_count
