"""The demo's "Mail outbox": what the embedded SMTP sink received, as staff would see it."""

from __future__ import annotations

import email.policy
import mailbox
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from flask import abort, current_app
from flask_appbuilder import BaseView, expose, has_access

from ..mail_sink import sink_directory
from ..roles import resource_permissions

PAGE = 100


@dataclass(frozen=True)
class StoredMail:
    """One message of the sink's maildir."""

    key: str
    received_at: datetime
    message: EmailMessage

    @property
    def subject(self) -> str:
        """The Subject header."""
        return str(self.message.get("Subject", ""))

    @property
    def recipients(self) -> str:
        """The To header."""
        return str(self.message.get("To", ""))

    def parts(self) -> dict[str, str]:
        """The text, HTML and calendar parts (empty strings where missing)."""
        found = {"text": "", "html": "", "calendar": ""}
        for part in self.message.walk():
            key = {"text/plain": "text", "text/html": "html", "text/calendar": "calendar"}.get(part.get_content_type())
            if key and not found[key] and part.get_content_disposition() != "attachment":
                found[key] = part.get_content()
        return found


def stored_mails() -> list[StoredMail]:
    """The sink's messages, newest first."""
    directory = sink_directory(current_app)
    if not directory.is_dir():
        return []
    box = mailbox.Maildir(directory, create=False)
    parse = BytesParser(policy=email.policy.default).parsebytes
    mails = [
        StoredMail(key, datetime.fromtimestamp(box.get_message(key).get_date(), UTC), parse(box.get_bytes(key)))
        for key in box.iterkeys()
    ]
    return sorted(mails, key=lambda mail: mail.received_at, reverse=True)


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
        return self.render_template(
            "tandem/mail_outbox.html", mails=stored_mails()[:PAGE], smtp_url=current_app.config.get("TANDEM_SMTP_URL")
        )

    @expose("/<key>")
    @has_access
    def show(self, key: str) -> Any:
        """One message: envelope, text part, HTML part (in a sandboxed frame) and the calendar invite."""
        mail = next((mail for mail in stored_mails() if mail.key == key), None)
        if mail is None:
            abort(404)
        return self.render_template("tandem/mail_message.html", mail=mail, parts=mail.parts())
