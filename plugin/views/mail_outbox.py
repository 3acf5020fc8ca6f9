"""The demo's "Mail outbox": what the embedded SMTP sink received, as staff would see it.

The list is paged and searchable on the server. It reads only the files'
names, times and headers (a header parse is cached per file, and a maildir
file never changes), so it stays fast however many messages the sink holds;
a message is parsed in full only when it is opened.
"""

from __future__ import annotations

import email.policy
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from functools import lru_cache
from math import ceil
from pathlib import Path
from typing import Any

from flask import abort, current_app, request
from flask_appbuilder import expose, has_access

from ..mail_sink import sink_directory
from ..roles import resource_permissions
from .page import TandemPage

PAGE = 50
MAX_QUERY = 200


@dataclass(frozen=True)
class MailHeaders:
    """One message of the sink's maildir, as the list shows it."""

    key: str
    path: str
    received_at: datetime
    subject: str
    recipients: str

    def matches(self, query: str) -> bool:
        """Whether ``query`` (lower case) is in the subject or the recipients."""
        return query in self.subject.lower() or query in self.recipients.lower()


@dataclass(frozen=True)
class StoredMail:
    """One message, parsed in full."""

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


@lru_cache(maxsize=50_000)
def _headers(path: str, size: int) -> tuple[str, str]:
    """Subject and To of the file at ``path`` (cached: a maildir file is written once and never changed)."""
    with open(path, "rb") as handle:
        headers = BytesHeaderParser(policy=email.policy.default).parse(handle)
    return str(headers.get("Subject", "")), str(headers.get("To", ""))


def _files(directory: Path) -> list[os.DirEntry[str]]:
    found = []
    for sub in ("new", "cur"):
        try:
            found += [entry for entry in os.scandir(directory / sub) if entry.is_file()]
        except FileNotFoundError:
            continue
    return found


def mail_index(directory: Path) -> list[MailHeaders]:
    """Every message of the maildir at ``directory``, newest first, with its subject and recipients."""
    index = []
    for entry in _files(directory):
        try:
            stat = entry.stat()
            subject, recipients = _headers(entry.path, stat.st_size)
        except FileNotFoundError:  # moved (new/ -> cur/) or removed since the directory was listed
            continue
        key = entry.name.split(":", 1)[0]
        index.append(MailHeaders(key, entry.path, datetime.fromtimestamp(stat.st_mtime, UTC), subject, recipients))
    return sorted(index, key=lambda mail: (mail.received_at, mail.key), reverse=True)


def stored_mail(directory: Path, key: str) -> StoredMail | None:
    """The message with maildir ``key``, parsed in full; None when there is none."""
    found = next((mail for mail in mail_index(directory) if mail.key == key), None)
    if found is None:
        return None
    with open(found.path, "rb") as handle:
        message = BytesParser(policy=email.policy.default).parse(handle)
    return StoredMail(key, found.received_at, message)  # type: ignore[arg-type]


@dataclass(frozen=True)
class OutboxPage:
    """One page of the (searched) list."""

    mails: list[MailHeaders]
    total: int
    page: int
    pages: int
    query: str

    @property
    def first(self) -> int:
        """The position of the page's first message (1-based), 0 when empty."""
        return (self.page - 1) * PAGE + 1 if self.mails else 0

    @property
    def last(self) -> int:
        """The position of the page's last message."""
        return self.first + len(self.mails) - 1 if self.mails else 0


def outbox_page(directory: Path, query: str, page: int) -> OutboxPage:
    """Page ``page`` (from 1, clamped) of the messages whose subject or recipients contain ``query``."""
    query = query.strip()[:MAX_QUERY]
    mails = mail_index(directory)
    if query:
        mails = [mail for mail in mails if mail.matches(query.lower())]
    pages = max(1, ceil(len(mails) / PAGE))
    page = min(max(1, page), pages)
    return OutboxPage(mails[(page - 1) * PAGE : page * PAGE], len(mails), page, pages, query)


class MailOutboxView(TandemPage):
    """``/tandem/mail-outbox/``: the e-mails the local sink received, paged and searchable, and each one in full."""

    route_base = "/tandem/mail-outbox"
    class_permission_name = "TandemMailOutbox"
    method_permission_name = {"list": "read", "show": "read"}
    base_permissions = resource_permissions("TandemMailOutbox")
    default_view = "list"

    @expose("/")
    @has_access
    def list(self) -> Any:
        """The newest messages first; ``q`` searches subject and recipients, ``page`` pages."""
        page = request.args.get("page", "1")
        shown = outbox_page(sink_directory(current_app), request.args.get("q", ""), int(page) if page.isdigit() else 1)
        return self.render_template(
            "tandem/mail_outbox.html", outbox=shown, smtp_url=current_app.config.get("TANDEM_SMTP_URL")
        )

    @expose("/<key>")
    @has_access
    def show(self, key: str) -> Any:
        """One message: envelope, text part, HTML part (in a sandboxed frame) and the calendar invite."""
        mail = stored_mail(sink_directory(current_app), key)
        if mail is None:
            abort(404)
        return self.render_template("tandem/mail_message.html", mail=mail, parts=mail.parts())
