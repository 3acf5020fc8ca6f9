"""Calendar invites follow RFC 5545: escaped text, lines folded at 75 octets, CRLF, UTC times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tandem.workflows.channels.icalendar import Invite, escape, fold, render_invite

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_text_values_escape_commas_semicolons_backslashes_and_newlines():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "DESCRIPTION:" + "Grüße aus Lisboa, " * 20
    folded = fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_an_invite_is_a_request_with_a_stable_uid_and_utc_times():
    invite = Invite(
        "tandem-checkin-7-2@tandem",
        START,
        START + timedelta(minutes=30),
        "Check-in 2",
        "Hi; there",
        "tandem@localhost",
        ("a@example.org", "b@example.org"),
    )
    text = render_invite(invite, START)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.replace("\r\n ", "").split("\r\n")
    assert "METHOD:REQUEST" in lines and "UID:tandem-checkin-7-2@tandem" in lines
    assert "DTSTART:20261124T090000Z" in lines and "DTEND:20261124T093000Z" in lines
    assert "DESCRIPTION:Hi\\; there" in lines
    assert sum(line.startswith("ATTENDEE") for line in lines) == 2
    assert render_invite(invite, START + timedelta(days=1)).count("UID:tandem-checkin-7-2@tandem") == 1
