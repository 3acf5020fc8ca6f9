"""E-mail over SMTP: multipart text + HTML (+ an iCalendar invite), one connection reused for a batch.

``TANDEM_SMTP_URL`` says where: ``smtp://host:25``, ``smtps://host:465``
(TLS from the start) or ``smtp+starttls://host:587``, each optionally with
``user:password@``.

Names and subjects are in any script. Messages are built with
``email.policy.SMTP``: headers are RFC 2047 encoded-words, bodies
quoted-printable UTF-8, so any server takes them. When the server offers
SMTPUTF8 (RFC 6531) a message goes out as UTF-8 with its addresses as they
are (RFC 6532); otherwise each address's domain is IDNA-encoded, and an
address with a non-ASCII local part is refused for good, in words.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses, make_msgid, parseaddr
from types import TracebackType
from urllib.parse import unquote, urlsplit

from . import Channel, DeliveryError, Outgoing, register
from .addresses import AddressError, ascii_form, split
from .icalendar import Invite, render_invite

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

    def send(self, message: EmailMessage) -> None:
        """Send one message; raises :class:`DeliveryError` (permanent for a 5xx refusal or an address
        the server cannot take)."""
        try:
            if self._connection is None:
                self._connection = self._connect()
            connection = self._connection
            connection.ehlo_or_helo_if_needed()
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


def send(out: Outgoing) -> None:
    """Mail ``out`` over the delivery pass's SMTP connection, with a calendar invite for a check-in's meeting."""
    delivery, checkin, meeting, rendered, context = out.delivery, out.checkin, out.meeting, out.rendered, out.context
    invite = None
    if meeting is not None:
        invite = render_invite(
            Invite(
                uid=meeting.uid,
                start=meeting.start,
                end=meeting.end,
                summary=f"Check-in {checkin.sequence}" + (f" with {context['others']}" if context["others"] else ""),
                description=rendered.text,
                organizer=parseaddr(delivery.sender)[1] or "tandem@localhost",
                attendees=meeting.attendees,
            ),
            delivery.clock.now(),
        )
    message = build_message(
        delivery.sender,
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
    delivery.mailer.send(message)


CHANNEL = register(
    Channel(
        name="email",
        label="E-mail",
        send=send,
        reaches=lambda out: bool(out.person.email),
        default=True,
        sent_by="by e-mail",
    )
)
