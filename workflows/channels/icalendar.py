"""RFC 5545 calendar invites (METHOD:REQUEST) for check-in meeting slots, written by hand.

Text values are escaped (backslash, semicolon, comma, newline) and content
lines folded at 75 octets with CRLF + space, as section 3.1 requires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from .addresses import mailto


@dataclass(frozen=True)
class Invite:
    """One meeting: ``uid`` stays the same for the same check-in, so a resend updates, never duplicates."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str
    organizer: str
    attendees: tuple[str, ...]
    sequence: int = 0


def escape(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold one content line into chunks of at most 75 octets, never splitting a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines start with a space
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def render_invite(invite: Invite, now: datetime) -> str:
    """The VCALENDAR text of ``invite`` (CRLF line ends, folded)."""
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Tandem//Mentoring check-ins//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{invite.uid}",
        f"SEQUENCE:{invite.sequence}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(invite.start)}",
        f"DTEND:{_stamp(invite.end)}",
        f"SUMMARY:{escape(invite.summary)}",
        f"DESCRIPTION:{escape(invite.description)}",
        f"ORGANIZER:{mailto(invite.organizer)}",
        *(f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:{mailto(address)}" for address in invite.attendees),
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
