"""Reading and saving a person's profile; bad input is refused naming its field, nothing half-saved."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Refused
from ..models import Person, Profile
from .photos import STORED_TYPE, PhotoError, reencode

MAX_BIO = 1000
MAX_ITEMS = 15
MAX_ITEM = 80
MAX_LOCATION = 120
_SPLIT = re.compile(r"[,;\n]")


@dataclass(frozen=True)
class ProfileInput:
    """What the profile form sends: list fields as typed (comma-separated), hours as times or None."""

    bio: str = ""
    help_with: str = ""
    want_to_learn: str = ""
    languages: str = ""
    location: str = ""
    timezone: str = ""
    work_start: time | None = None
    work_end: time | None = None
    photo: bytes | None = None
    remove_photo: bool = False


def items(text: str, field: str) -> list[str]:
    """A comma-, semicolon- or line-separated list, trimmed, without repeats (ignoring case)."""
    seen: dict[str, str] = {}
    for raw in _SPLIT.split(text or ""):
        item = " ".join(raw.split())
        if not item:
            continue
        if len(item) > MAX_ITEM:
            raise Refused(f"{field}: “{item[:30]}…” is longer than {MAX_ITEM} characters", field)
        seen.setdefault(item.casefold(), item)
    if len(seen) > MAX_ITEMS:
        raise Refused(f"{field}: at most {MAX_ITEMS} entries", field)
    return list(seen.values())


def profile_of(session: Session, person_id: int) -> Profile | None:
    """The person's profile row, if they ever saved one."""
    return session.scalars(select(Profile).where(Profile.person_id == person_id)).first()


def _check(given: ProfileInput) -> None:
    if len(given.bio or "") > MAX_BIO:
        raise Refused(f"bio: at most {MAX_BIO} characters (this one has {len(given.bio)})", "bio")
    if len(given.location or "") > MAX_LOCATION:
        raise Refused(f"location: at most {MAX_LOCATION} characters", "location")
    zone = (given.timezone or "").strip()
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise Refused(
                f"timezone: {zone[:64]!r} is not a known time zone (e.g. Europe/Madrid)", "timezone"
            ) from None
    if (given.work_start is None) != (given.work_end is None):
        raise Refused("work_end: give both the start and the end of your working hours, or neither", "work_end")
    if given.work_start is not None and given.work_end is not None and given.work_end <= given.work_start:
        raise Refused("work_end: the end of your working hours must come after their start", "work_end")


def save_profile(session: Session, person: Person, given: ProfileInput) -> Profile:
    """Validate everything first, then write the profile (created on first save); not committed.

    Raises :class:`~tandem.plugin.errors.Refused` naming the field at fault, before any change.
    """
    _check(given)
    help_with = items(given.help_with, "help_with")
    want_to_learn = items(given.want_to_learn, "want_to_learn")
    languages = items(given.languages, "languages")
    photo = None
    if given.photo:
        try:
            photo = reencode(given.photo)
        except PhotoError as error:
            raise Refused(f"photo: {error}", "photo") from None
    profile = profile_of(session, person.id) or Profile(person_id=person.id, photo_type="")
    profile.bio = (given.bio or "").strip()
    profile.help_with, profile.want_to_learn, profile.languages = help_with, want_to_learn, languages
    profile.location = " ".join((given.location or "").split())
    profile.timezone = (given.timezone or "").strip()
    profile.work_start, profile.work_end = given.work_start, given.work_end
    if photo is not None:
        profile.photo, profile.photo_type = photo, STORED_TYPE
    elif given.remove_photo:
        profile.photo, profile.photo_type = None, ""
    session.add(profile)
    session.flush()
    return profile
