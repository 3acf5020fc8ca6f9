"""Words for people: one way to show times, values, rates, event names and template names on every page.

Pure functions (no Flask): the views wrap them as FAB column formatters and
Jinja filters (:mod:`tandem.plugin.views.formatting`), the self-service pages
and messages call them directly. Nothing here ever shows a Python repr, a
database id, an idempotency key or a timestamp with microseconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markupsafe import Markup, escape

from tandem.workflows.clock import as_utc

BLANK = "—"
TIME_FORMAT = "%a %d %b %Y, %H:%M %Z"
DAY_FORMAT = "%a %d %b %Y"

# What happened, as a sentence a person reads after someone's name ("Ana … acknowledged a campaign item").
EVENT_WORDS = {
    "employee.hired": "joined the company",
    "employee.left": "left the company",
    "employee.leave_started": "went on leave",
    "employee.leave_ended": "came back from leave",
    "employee.manager_changed": "moved to another manager",
    "checkin.completed": "answered a check-in",
    "checkin.missed": "missed a check-in",
    "pairing.proposed": "was proposed a pair",
    "pairing.accepted": "accepted a pairing",
    "pairing.declined": "declined a pairing",
    "pairing.closed": "ended a pairing",
    "campaign.acknowledged": "acknowledged a campaign item",
    "programme.closed": "saw a programme close",
    "match.found": "was matched",
    "match.failed": "could not be matched yet",
}

# A workflow's trigger, as "starts when someone …".
TRIGGER_WORDS = {
    "employee.hired": "someone joins the company",
    "pairing.accepted": "a pairing is published or accepted",
    "pairing.proposed": "a pairing is proposed",
    "pairing.closed": "a pairing ends",
    "programme.closed": "a programme closes",
    "campaign.acknowledged": "someone acknowledges a campaign item",
    "checkin.completed": "someone answers a check-in",
    "checkin.missed": "a check-in is missed",
    "employee.left": "someone leaves the company",
    "employee.leave_started": "someone goes on leave",
    "employee.leave_ended": "someone comes back from leave",
    "employee.manager_changed": "someone moves to another manager",
}

_TEMPLATE_GROUPS = {
    "checkin": "Check-in",
    "onboarding": "Onboarding",
    "mentoring": "Mentoring",
    "matching": "Matching",
    "circle": "Peer circle",
    "campaign": "Campaign",
    "operations": "Operations",
    "manager": "Manager",
}


def zone(name: str | None) -> ZoneInfo:
    """The time zone called ``name``; UTC when it is empty or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_time(moment: datetime | None, timezone: str | None) -> str:
    """``moment`` (stored in UTC) in ``timezone``, as people read it: ``Mon 30 Nov 2026, 09:00 CET``; "" for None."""
    if moment is None:
        return ""
    return as_utc(moment).astimezone(zone(timezone)).strftime(TIME_FORMAT)


def day(value: date | None) -> str:
    """A calendar date: ``Mon 30 Nov 2026``; "" for None."""
    return value.strftime(DAY_FORMAT) if value is not None else ""


def percent(rate: float | None, digits: int = 0) -> str:
    """A rate from 0 to 1 as a percentage: ``0.734`` → ``73%``; the blank dash for None."""
    if rate is None:
        return BLANK
    return f"{rate * 100:.{digits}f}%"


def words(key: str) -> str:
    """A machine key as words: ``goals_vs_skills`` → ``goals vs skills``."""
    return str(key).replace("_", " ").replace("-", " ").strip()


def event_words(event_type: str | None) -> str:
    """An engine event name as what a person did: ``campaign.acknowledged`` → ``acknowledged a campaign item``."""
    if not event_type:
        return ""
    return EVENT_WORDS.get(event_type, words(event_type.replace(".", " ")))


def trigger_words(event_type: str | None) -> str:
    """A workflow trigger as "starts when …" words; "started by hand" when there is none."""
    if not event_type:
        return "started by hand"
    return "starts when " + TRIGGER_WORDS.get(event_type, words(event_type.replace(".", " ")))


def template_label(name: str | None) -> str:
    """A notification template's name as a title: ``checkin/prompt`` → ``Check-in prompt``."""
    if not name:
        return ""
    group, _, rest = name.partition("/")
    if not rest:
        return words(group).capitalize()
    return f"{_TEMPLATE_GROUPS.get(group, words(group).capitalize())} {words(rest)}"


def step_label(index: int | None) -> str:
    """A workflow step position (stored from 0) as people count it: ``2`` → ``step 3``."""
    return "" if index is None else f"step {index + 1}"


def plain(value: object, timezone: str | None = None) -> str:
    """Any stored value as plain text: lists joined, mappings as ``key: value`` pairs, times in ``timezone``."""
    if value is None or value == "":
        return BLANK
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return local_time(value, timezone)
    if isinstance(value, date):
        return day(value)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, Mapping):
        return "; ".join(f"{words(key)}: {plain(item, timezone)}" for key, item in value.items()) or BLANK
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(plain(item, timezone) for item in value) or BLANK
    return str(value)


def humane(value: object, timezone: str | None = None) -> Markup | str:
    """Like :func:`plain`, but a mapping becomes an HTML list (one ``key: value`` per line), escaped."""
    if isinstance(value, Mapping) and value:
        items = "".join(
            f"<li>{escape(words(key))}: {escape(plain(item, timezone))}</li>" for key, item in value.items()
        )
        return Markup(f'<ul class="list-unstyled tandem-pairs">{items}</ul>')
    return plain(value, timezone)
