"""The demo's "Mail outbox": what the embedded SMTP sink received, as staff would see it."""

from __future__ import annotations

import email
import email.policy
from typing import Any

from flask import abort
from flask_appbuilder import BaseView, expose, has_access
from sqlalchemy import select

from ..models import SinkMail
from ..roles import resource_permissions

PAGE = 100


def parts_of(raw: str) -> dict[str, str]:
    """The text, HTML and calendar parts of a stored message (empty strings where missing)."""
    message = email.message_from_string(raw, policy=email.policy.default)
    found = {"text": "", "html": "", "calendar": ""}
    for part in message.walk():
        kind = part.get_content_type()
        key = {"text/plain": "text", "text/html": "html", "text/calendar": "calendar"}.get(kind)
        if key and not found[key] and part.get_content_disposition() != "attachment":
            found[key] = part.get_content()
    return found


class MailOutboxView(BaseView):
    """``/tandem/mail-outbox/``: the newest e-mails the local sink received, and each one in full."""

    route_base = "/tandem/mail-outbox"
    class_permission_name = "TandemMailOutbox"
    method_permission_name = {"list": "read", "show": "read"}
    base_permissions = resource_permissions("TandemMailOutbox")
    default_view = "list"

    @expose("/")
    @has_access
    def list(self) -> Any:
        """The newest messages first."""
        mails = self.appbuilder.session.scalars(select(SinkMail).order_by(SinkMail.id.desc()).limit(PAGE)).all()
        return self.render_template("tandem/mail_outbox.html", mails=mails, smtp_url=self._target())

    @expose("/<int:mail_id>")
    @has_access
    def show(self, mail_id: int) -> Any:
        """One message: envelope, text part, HTML part (in a sandboxed frame) and the calendar invite."""
        mail = self.appbuilder.session.get(SinkMail, mail_id)
        if mail is None:
            abort(404)
        return self.render_template("tandem/mail_message.html", mail=mail, parts=parts_of(mail.raw))

    def _target(self) -> str:
        from flask import current_app

        return current_app.config.get("TANDEM_SMTP_URL") or ""
