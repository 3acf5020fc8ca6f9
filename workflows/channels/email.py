"""E-mail over SMTP: multipart text + HTML (+ an iCalendar invite), connections reused for a delivery pass.

``TANDEM_SMTP_URL`` says where: ``smtp://host:25``, ``smtps://host:465``
(TLS from the start) or ``smtp+starttls://host:587``, each optionally with
``user:password@``.

Names and subjects are in any script. Messages are built with
``email.policy.SMTP``: headers are RFC 2047 encoded-words, bodies
quoted-printable UTF-8, so any server takes them. When the server offers
SMTPUTF8 (RFC 6531) a message goes out as UTF-8 with its addresses as they
are (RFC 6532); otherwise each address's domain is IDNA-encoded, and an
address with a non-ASCII local part is refused for good, in words.

A delivery pass sends through an :class:`EmailBatch`: each message is
written to bytes while the rows are at hand (:func:`prepare`, most of them
by :mod:`~tandem.workflows.channels.mime` without the ``email`` package's
header registry), then a chunk goes out in the background over
``TANDEM_SMTP_CONNECTIONS`` connections at once (1 by default; raise it only
as far as the relay allows), while delivery prepares the next chunk.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses, make_msgid, parseaddr
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from . import Channel, DeliveryError, Outgoing, Result, register
from .addresses import AddressError, ascii_form, split
from .icalendar import Invite, render_invite
from .mime import Composed, compose

ADDRESS_HEADERS = ("From", "To", "Cc", "Reply-To")

SCHEMES = {"smtp": 25, "smtps": 465, "smtp+starttls": 587}


@dataclass(frozen=True)
class SmtpTarget:
    """A parsed ``TANDEM_SMTP_URL``."""

    host: str
    port: int
    ssl: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpTarget:
    """Parse ``TANDEM_SMTP_URL``; raises ValueError naming what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ValueError(f"TANDEM_SMTP_URL: scheme must be one of {', '.join(SCHEMES)}, not {parts.scheme!r}")
    if not parts.hostname:
        raise ValueError("TANDEM_SMTP_URL: no host")
    return SmtpTarget(
        host=parts.hostname,
        port=parts.port or SCHEMES[parts.scheme],
        ssl=parts.scheme == "smtps",
        starttls=parts.scheme == "smtp+starttls",
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def build_message(
    sender: str,
    to_name: str,
    to_address: str,
    subject: str,
    text: str,
    html: str,
    invite: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """A multipart/alternative message (text, HTML and optionally text/calendar; METHOD=REQUEST).

    Built with ``email.policy.SMTP``; ``to_address`` is kept in its Unicode
    form (the :class:`Mailer` adapts it to what the server offers).
    """
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender
    message["To"] = mailbox(to_name, to_address)
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="tandem.local")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    if invite is not None:
        message.add_alternative(invite, subtype="calendar", params={"method": "REQUEST"}, cte="quoted-printable")
        message.add_attachment(invite.encode("utf-8"), maintype="application", subtype="ics", filename="check-in.ics")
    return message


def prepare(
    sender: str,
    to_name: str,
    to_address: str,
    subject: str,
    text: str,
    html: str,
    invite: str | None = None,
    headers: dict[str, str] | None = None,
) -> Composed | EmailMessage:
    """The message :func:`build_message` builds, written straight to bytes where the recipient's address is
    ASCII (:func:`~tandem.workflows.channels.mime.compose`); else built by :func:`build_message`."""
    args = (sender, to_name, to_address, subject, text, html, invite, headers)
    return compose(*args) or build_message(*args)


def mailbox(name: str, address: str) -> Address:
    """A header mailbox ``name <address>`` (the name in any script; the address in its Unicode form)."""
    local, domain = split(address)
    return Address(display_name=name, username=local, domain=domain)


def for_server(message: EmailMessage, smtputf8: bool) -> EmailMessage:
    """``message`` as a server takes it: as it is with SMTPUTF8, else with every address in its ASCII form.

    Raises :class:`AddressError` for an address no server without SMTPUTF8 can take.
    """
    if smtputf8:
        return message
    for header in ADDRESS_HEADERS:
        values = message.get_all(header)
        if not values or all(str(value).isascii() for value in values):
            continue
        mailboxes = [mailbox(name, ascii_form(address)) for name, address in getaddresses([str(v) for v in values])]
        del message[header]
        message[header] = mailboxes
    return message


class Mailer:
    """Sends messages over SMTP; with ``reuse`` one connection serves every message until :meth:`close`."""

    def __init__(self, target: SmtpTarget, reuse: bool = True, timeout: float = 30.0) -> None:
        self.target, self.reuse, self.timeout = target, reuse, timeout
        self._connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        target = self.target
        if target.ssl:
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                target.host, target.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            connection = smtplib.SMTP(target.host, target.port, timeout=self.timeout)
            if target.starttls:
                connection.starttls(context=ssl.create_default_context())
        if target.username:
            connection.login(target.username, target.password or "")
        return connection

    def send(self, message: EmailMessage | Composed) -> None:
        """Send one message; raises :class:`DeliveryError` (permanent for a 5xx refusal or an address
        the server cannot take)."""
        try:
            if self._connection is None:
                self._connection = self._connect()
            connection = self._connection
            connection.ehlo_or_helo_if_needed()
            if isinstance(message, Composed):  # 7-bit with ASCII addresses: every server takes it as it is
                connection.sendmail(message.sender, [message.recipient], message.data)
            else:
                connection.send_message(for_server(message, connection.has_extn("smtputf8")))
        except AddressError as error:
            raise DeliveryError(str(error), permanent=True) from None
        except smtplib.SMTPRecipientsRefused as error:
            code, reason = next(iter(error.recipients.values()))
            self.close()
            raise DeliveryError(f"SMTP {code} {_text(reason)}", permanent=code >= 500) from None
        except smtplib.SMTPResponseException as error:
            self.close()
            raise DeliveryError(f"SMTP {error.smtp_code} {_text(error.smtp_error)}", error.smtp_code >= 500) from None
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            raise DeliveryError(f"SMTP connection to {self.target.host}:{self.target.port}: {error}", False) from None
        if not self.reuse:
            self.close()

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None

    def close(self) -> None:
        """Say QUIT and close the connection (if one is open)."""
        if self._connection is None:
            return
        with contextlib.suppress(smtplib.SMTPException, OSError):
            self._connection.quit()
        self._drop()

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _text(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def message_for(out: Outgoing, sender: str) -> Composed | EmailMessage:
    """The e-mail carrying ``out``, with a calendar invite for a check-in's meeting."""
    checkin, meeting, rendered, context = out.checkin, out.meeting, out.rendered, out.context
    invite = None
    if meeting is not None:
        invite = render_invite(
            Invite(
                uid=meeting.uid,
                start=meeting.start,
                end=meeting.end,
                summary=f"Check-in {checkin.sequence}" + (f" with {context['others']}" if context["others"] else ""),
                description=rendered.text,
                organizer=parseaddr(sender)[1] or "tandem@localhost",
                attendees=meeting.attendees,
            ),
            out.delivery.clock.now(),
        )
    return prepare(
        sender,
        out.person.full_name,
        out.person.email,
        rendered.subject,
        rendered.text,
        rendered.html,
        invite,
        headers={
            "List-Unsubscribe": f"<{context['preferences_url']}>",
            "X-Tandem-Notification": str(out.notification.id),
        },
    )


#: While e-mail threads run, the interpreter lets another thread have its lock after this many seconds
#: (Python's default is 5 ms). A sending thread needs it after each of the four replies of a message;
#: with 5 ms it would wait up to 20 ms a message whenever delivery is busy preparing the next chunk.
SWITCH_INTERVAL = 0.0005


class _Switching:
    """Lowers the interpreter's switch interval while any pass sends e-mail in threads; restores it after the last."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved = 0.0

    def enter(self) -> None:
        with self._lock:
            if self._users == 0:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(self._saved, SWITCH_INTERVAL))
            self._users += 1

    def leave(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                sys.setswitchinterval(self._saved)


_SWITCHING = _Switching()


class Lanes:
    """The results of a chunk sent over several connections at once, gathered in the chunk's order."""

    def __init__(self, size: int, lanes: list[tuple[list[int], Future[list[Result]]]]) -> None:
        self.size, self.lanes = size, lanes

    def result(self) -> list[Result]:
        """Wait for every lane; one result per message, in the order they were given."""
        results: list[Result] = [None] * self.size
        for indices, lane in self.lanes:
            for index, result in zip(indices, lane.result(), strict=True):
                results[index] = result
        return results


class EmailBatch:
    """E-mail for one delivery pass: up to ``TANDEM_SMTP_CONNECTIONS`` connections, each in its own thread.

    A chunk's messages are dealt round-robin to the connections; each connection sends its share in
    order. Only the threads touch the connections, and they never touch the database.
    """

    def __init__(self, delivery: Any) -> None:
        config = delivery.config
        self.sender: str = config.mail_from
        self.width: int = max(1, config.smtp_connections)
        self._target = parse_smtp_url(config.smtp_url) if config.smtp_url else None
        self._mailers: list[Mailer] = []
        self._pool: ThreadPoolExecutor | None = None

    def prepare(self, out: Outgoing) -> Composed | EmailMessage:
        """``out`` as the bytes (or message) to send."""
        return message_for(out, self.sender)

    def send(self, prepared: Sequence[Composed | EmailMessage]) -> Lanes:
        """Send ``prepared`` in the background over the pass's connections."""
        if self._target is None:
            unset: Future[list[Result]] = Future()
            unset.set_result([DeliveryError("TANDEM_SMTP_URL is not set", permanent=False) for _ in prepared])
            return Lanes(len(prepared), [(list(range(len(prepared))), unset)])
        width = min(self.width, len(prepared))
        while len(self._mailers) < width:
            self._mailers.append(Mailer(self._target))
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.width, thread_name_prefix="tandem-smtp")
            _SWITCHING.enter()
        lanes = []
        for lane in range(width):
            indices = list(range(lane, len(prepared), width))
            messages = [prepared[index] for index in indices]
            lanes.append((indices, self._pool.submit(_send_all, self._mailers[lane], messages)))
        return Lanes(len(prepared), lanes)

    def close(self) -> None:
        """Let the threads finish what they carry, then say QUIT on every connection."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
            _SWITCHING.leave()
        for mailer in self._mailers:
            mailer.close()


def _send_all(mailer: Mailer, messages: list[Composed | EmailMessage]) -> list[Result]:
    """Send ``messages`` in turn over ``mailer``; a refusal is that message's result.

    Only the words of an error are kept: its traceback would hold the connection's frames.
    """
    results: list[Result] = []
    for message in messages:
        try:
            mailer.send(message)
        except DeliveryError as error:
            results.append(DeliveryError(str(error), error.permanent))
        except Exception as error:  # a message smtplib cannot write: retrying will not help
            results.append(DeliveryError(f"{type(error).__name__}: {error}", permanent=True))
        else:
            results.append(None)
    return results


CHANNEL = register(
    Channel(
        name="email",
        label="E-mail",
        batch=EmailBatch,
        reaches=lambda out: bool(out.person.email),
        default=True,
        sent_by="by e-mail",
    )
)
