"""A notification's MIME message written straight to bytes, its structure built once per shape.

:func:`~tandem.workflows.channels.email.build_message` goes through the
``email`` package's header registry, which parses every header it is given
and again when it writes them out: about 5 ms a message, most of what a
notification cost before SMTP. Notifications have few shapes (text + HTML,
or text + HTML + calendar invite, with the same extra headers), so
:func:`compose` keeps each shape's part headers and the sender's header as
ready-made bytes (:func:`_shape`) and writes only what differs per message:
the recipient, subject, message id, header values and the bodies
(quoted-printable UTF-8 via :mod:`binascii`, the calendar file in base64).

A header that is plain ASCII (no ``=?``, foldable at its spaces) is written
as it is; any other — a display name or a subject in another script — is
folded by ``email.policy.SMTP`` itself (RFC 2047 encoded-words), which costs
a fraction of a millisecond for that header alone. Only an address outside
ASCII (whose form depends on whether the server offers SMTPUTF8) sends the
whole message through :func:`build_message`. Tests parse both forms, in many
scripts, and compare them.
"""

from __future__ import annotations

import base64
import binascii
import random
import re
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.utils import make_msgid, parseaddr
from functools import lru_cache

MAX_LINE = 78  # RFC 5322 2.1.1: SHOULD
LONGEST_LINE = 998  # RFC 5322 2.1.1: MUST (a URL in List-Unsubscribe may not be folded or encoded)
_PLAIN_NAME = re.compile(r"[A-Za-z0-9'\-]+(?: [A-Za-z0-9'\-]+)*")
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9.\-]+")
CRLF = b"\r\n"


@dataclass(frozen=True)
class Composed:
    """A message ready for SMTP: its envelope and its bytes (7-bit: any server takes it as it is)."""

    sender: str
    recipient: str
    data: bytes


@dataclass(frozen=True)
class Shape:
    """What every message of one shape shares, as bytes."""

    from_line: bytes
    envelope_from: str
    mixed: bool


def _plain(value: str) -> bool:
    return value.isascii() and "\r" not in value and "\n" not in value and "=?" not in value


def header_line(name: str, value: str) -> bytes | None:
    """``Name: value`` CRLF-ended, folded at spaces past 78 characters; None when it needs the email package."""
    if not _plain(value):
        return None
    line = f"{name}: {value}"
    if len(line) <= MAX_LINE:
        return line.encode("ascii") + CRLF
    if " " not in value:
        return line.encode("ascii") + CRLF if len(line) <= LONGEST_LINE else None
    words, lines, current = value.split(" "), [], f"{name}:"
    for word in words:
        if not word or len(word) > MAX_LINE - 1:
            return None  # runs of spaces or an unbreakable word: leave it to the email package
        if len(current) + 1 + len(word) > MAX_LINE and current != f"{name}:":
            lines.append(current)
            current = ""
        current += " " + word
    lines.append(current)
    return "\r\n".join(lines).encode("ascii") + CRLF


def folded(name: str, value: str) -> bytes:
    """``Name: value`` as ``email.policy.SMTP`` writes it (RFC 2047 encoded-words for what is not ASCII)."""
    return policy.SMTP.header_factory(name, value).fold(policy=policy.SMTP).encode("ascii")


def header(name: str, value: str) -> bytes:
    """One header line: written as it is when plain (:func:`header_line`), else folded by the policy."""
    return header_line(name, value) or folded(name, value)


@lru_cache(maxsize=64)
def _shape(sender: str, invite: bool) -> Shape | None:
    """The sender's header and envelope address for one shape, or None when the sender's address is not ASCII."""
    address = parseaddr(sender)[1]
    if not _PLAIN_ADDRESS.fullmatch(address):
        return None
    return Shape(from_line=header("From", sender), envelope_from=address, mixed=invite)


def to_header(name: str, address: str) -> str:
    """The ``To`` value: ``Name <address>``, the name quoted where RFC 5322 needs it."""
    if not name:
        return address
    if _PLAIN_NAME.fullmatch(name):
        return f"{name} <{address}>"
    local, _, domain = address.rpartition("@")
    return str(Address(display_name=name, username=local, domain=domain))


def _boundary() -> str:
    # Neither quoted-printable (which writes every "=" as "=3D") nor base64 can contain "==" after "--".
    return f"===============tandem{random.getrandbits(80):020x}=="


def _quoted_printable(text: str) -> bytes:
    """``text`` as UTF-8 quoted-printable with CRLF line ends (lines split as the email package splits them)."""
    lines = text.encode("utf-8").splitlines()
    body = binascii.b2a_qp(b"\n".join(lines) + b"\n", quotetabs=False, istext=True, header=False)
    return body.replace(b"\n", CRLF)


def _part(content_type: bytes, body: bytes, encoding: bytes = b"quoted-printable", extra: bytes = b"") -> bytes:
    head = b"Content-Type: " + content_type + CRLF + b"Content-Transfer-Encoding: " + encoding + CRLF + extra
    return head + CRLF + body


def _multipart(boundary: str, parts: list[bytes]) -> bytes:
    mark = b"--" + boundary.encode("ascii")
    out = b"".join(mark + CRLF + part + CRLF for part in parts)
    return out + mark + b"--" + CRLF


def compose(
    sender: str,
    to_name: str,
    to_address: str,
    subject: str,
    text: str,
    html: str,
    invite: str | None = None,
    headers: dict[str, str] | None = None,
) -> Composed | None:
    """The message :func:`build_message` would build, as bytes; None when an address is not ASCII."""
    shape = _shape(sender, invite is not None)
    if shape is None or not _PLAIN_ADDRESS.fullmatch(to_address):
        return None
    lines = [shape.from_line]
    for name, value in (
        ("To", to_header(to_name, to_address)),
        ("Subject", subject),
        ("Message-ID", make_msgid(domain="tandem.local")),
        *(headers or {}).items(),
    ):
        lines.append(header(name, value))
    alternative = _boundary()
    parts = [
        _part(b'text/plain; charset="utf-8"', _quoted_printable(text)),
        _part(b'text/html; charset="utf-8"', _quoted_printable(html)),
    ]
    if invite is not None:
        parts.append(_part(b'text/calendar; charset="utf-8"; method="REQUEST"', _quoted_printable(invite)))
    body = _multipart(alternative, parts)
    content_type = f'multipart/alternative;\r\n boundary="{alternative}"'.encode("ascii")
    if shape.mixed:
        mixed = _boundary()
        attachment = base64.encodebytes(invite.encode("utf-8")).replace(b"\n", CRLF)  # type: ignore[union-attr]
        disposition = b'Content-Disposition: attachment; filename="check-in.ics"' + CRLF
        inner = b"Content-Type: " + content_type + CRLF + CRLF + body
        body = _multipart(mixed, [inner, _part(b"application/ics", attachment, b"base64", disposition)])
        content_type = f'multipart/mixed;\r\n boundary="{mixed}"'.encode("ascii")
    head = b"".join(lines) + b"MIME-Version: 1.0" + CRLF + b"Content-Type: " + content_type + CRLF
    return Composed(sender=shape.envelope_from, recipient=to_address, data=head + CRLF + body)
