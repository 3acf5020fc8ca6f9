"""What a notification template sees: the person, their pair, signed links, the meeting slot of a check-in.

Links are signed with :mod:`tandem.plugin.links` (an app context is needed,
not a request). The check-in a prompt belongs to is found through the keys
the runtime writes: ``wf:<instance>:v<visit>.prompt.<n>.<role>:<person>`` for
the notification, ``wf:<instance>:v<visit>.checkin.<n>:<person>`` for the check-in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandem.plugin.links import PAGES, absolute_url, make_token, page_links
from tandem.plugin.links import absolute_url as _absolute_url
from tandem.plugin.models import CheckIn, Notification, Person

from .calendar import WorkCalendar
from .clock import as_utc
from .preferences import Preferences

PROMPT_KEY = re.compile(r"^wf:(?P<instance>\d+):(?P<visit>v\d+)\.prompt\.(?P<sequence>\d+)\.[^:]+:(?P<person>\d+)$")
INSTANCE_KEY = re.compile(r"^wf:(?P<instance>\d+):")
RATING_LABELS = {1: "did not help", 2: "not much", 3: "okay", 4: "good", 5: "really helped"}
MEETING_HOUR = time(10, 0)
MEETING_LENGTH = timedelta(minutes=30)


@dataclass(frozen=True)
class Meeting:
    """The slot a check-in invite proposes."""

    uid: str
    start: datetime
    end: datetime
    attendees: tuple[str, ...]


def instance_of(notification: Notification) -> int | None:
    """The workflow instance that wrote ``notification``, from its idempotency key."""
    match = INSTANCE_KEY.match(notification.idempotency_key or "")
    return int(match["instance"]) if match else None


def checkin_of(session: Session, notification: Notification) -> CheckIn | None:
    """The check-in a prompt notification asks about, or None for other notifications."""
    match = PROMPT_KEY.match(notification.idempotency_key or "")
    if match is None:
        return None
    key = f"wf:{match['instance']}:{match['visit']}.checkin.{match['sequence']}:{match['person']}"
    return session.scalars(select(CheckIn).where(CheckIn.idempotency_key == key)).first()


def meeting_for(session: Session, checkin: CheckIn, person: Person) -> Meeting:
    """30 minutes at 10:00 on the working day after the prompt, in the person's time zone.

    The UID is the same for everyone in the occurrence (instance and
    sequence), so both people of a pair get the same meeting.
    """
    calendar = WorkCalendar(person.timezone or "UTC", person.country or "")
    due = as_utc(checkin.due_at)
    day = due.astimezone(calendar.zone).date() + timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    start = datetime.combine(day, MEETING_HOUR, tzinfo=calendar.zone).astimezone(UTC)
    if checkin.instance_id is not None:
        uid = f"tandem-checkin-{checkin.instance_id}-{checkin.sequence}@tandem"
        together = select(Person.email).join(CheckIn, CheckIn.respondent_id == Person.id)
        together = together.where(CheckIn.instance_id == checkin.instance_id, CheckIn.sequence == checkin.sequence)
        attendees = tuple(sorted(set(session.scalars(together)) | {person.email}))
    else:
        uid, attendees = f"tandem-checkin-{checkin.id}@tandem", (person.email,)
    return Meeting(uid, start, start + MEETING_LENGTH, attendees)


def preferences_url(person_id: int) -> str:
    """The signed link to a person's notification preferences (works without a login)."""
    return absolute_url(f"/tandem/preferences/{make_token('preferences', {'person': person_id})}")


def rating_links(checkin_id: int) -> list[dict[str, Any]]:
    """One signed, expiring link per rating 1–5 for a check-in."""
    return [
        {
            "rating": rating,
            "label": RATING_LABELS[rating],
            "url": absolute_url(
                f"/tandem/answer/{make_token('checkin-answer', {'checkin': checkin_id, 'rating': rating})}"
            ),
        }
        for rating in range(1, 6)
    ]


def build_context(
    notification: Notification,
    person: Person,
    preferences: Preferences,
    checkin: CheckIn | None = None,
    meeting: Meeting | None = None,
) -> dict[str, Any]:
    """The variables a template renders with."""
    stored = dict(notification.context or {})
    names: dict[str, str] = stored.get("names") or {}
    role = next((role for role, name in names.items() if name == person.full_name), "")
    others = " and ".join(name for name in names.values() if name != person.full_name)
    context = {
        **stored,
        "names": names,
        "role": stored.get("role") or role,
        "others": others,
        "person": {"name": person.full_name, "first_name": person.full_name.split()[0], "email": person.email},
        "preferences_url": preferences_url(person.id),
        "intranet_url": absolute_url("/"),
        "links": page_links(),
        "rating_links": rating_links(checkin.id) if checkin is not None else [],
        "meeting": None,
    }
    if meeting is not None:
        local = meeting.start.astimezone(preferences.zone)
        context["meeting"] = {
            "start": meeting.start.isoformat(),
            "local": local.strftime("%A %d %B, %H:%M") + f" ({preferences.zone.key})",
        }
    return context


def sample_context(base_url: str | None = None) -> dict[str, Any]:
    """Sample data for previews in the template editor (links point at nobody).

    ``base_url`` defaults to the current app's ``TANDEM_BASE_URL``.
    """

    def absolute_url(path: str) -> str:
        return (base_url.rstrip("/") + path) if base_url is not None else _absolute_url(path)

    return {
        "workflow": "onboarding-buddy",
        "names": {"newcomer": "Ada Lovelace", "buddy": "Grace Hopper"},
        "role": "newcomer",
        "others": "Grace Hopper",
        "person": {"name": "Ada Lovelace", "first_name": "Ada", "email": "ada@example.org"},
        "preferences_url": absolute_url("/tandem/preferences/sample"),
        "intranet_url": absolute_url("/"),
        "links": {name: absolute_url(path) for name, path in PAGES.items()},
        "sequence": 2,
        "prompts": ["who-is-behind-the-advice"],
        "rating_links": [
            {"rating": n, "label": RATING_LABELS[n], "url": absolute_url(f"/tandem/answer/sample-{n}")}
            for n in range(1, 6)
        ],
        "meeting": {"start": "2026-11-24T09:00:00+00:00", "local": "Tuesday 24 November, 10:00 (Europe/Berlin)"},
        "item": "generic-versus-personal",
        "acknowledge": True,
        "reason": "no mentor with free capacity",
        "items": [{"subject": "Check-in 3 with Grace Hopper: how did it go?"}, {"subject": "A new campaign item"}],
        "first_name": "Ada",
        "programme": "Onboarding buddies",
        "mentee": "Ada Lovelace",
        "mentor": "Grace Hopper",
        "message": "I would like to learn how you plan a quarter.",
        "ended_by": "Grace Hopper",
        "quiet_weeks": 6,
        "grace_days": 14,
        "report": SAMPLE_REPORT,
        "reasons": ["You both speak French.", "Grace Hopper can help with public speaking, which you want to learn."],
    }


SAMPLE_REPORT: dict[str, Any] = {
    "threshold": 5,
    "total": {"people": 42, "enrolled": 17, "participating": 12},
    "teams": [{"label": "Grace Hopper", "people": 9, "enrolled": 4, "participating": 3}],
    "months": [{"label": "2026-10", "due": 20, "completed": 15, "missed": 5}],
    "rating": {"average": 4.1},
    "quiet_pairs": {"quiet": 1, "pairs": 8},
    "campaigns": [{"label": "Career advice beyond the feed", "acknowledged": 30, "people": 42}],
}
"""A manager digest's numbers for previews (the shape :mod:`tandem.plugin.reports.digest` stores)."""
