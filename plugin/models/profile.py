"""A person's own profile: photo, bio, what they can help with and want to learn, languages, hours, place.

The directory knows some of it (languages, location, time zone); a profile value
left empty falls back to the directory's, so the import "fills what it knows"
and the person edits the rest. :func:`effective` is the one place that decides
which value counts, for the pages and for the matcher alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TandemModel, utcnow
from .person import Person

DEFAULT_START = time(9, 0)
DEFAULT_END = time(17, 0)


class Profile(TandemModel):
    """What a person tells colleagues about themselves (one row per person, created on first save)."""

    __tablename__ = "tandem_profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"), unique=True)
    bio: Mapped[str] = mapped_column(Text, default="")
    help_with: Mapped[list[str]] = mapped_column(JSON, default=list)
    want_to_learn: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    location: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="")
    work_start: Mapped[time | None] = mapped_column(Time)
    work_end: Mapped[time | None] = mapped_column(Time)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    photo_type: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship()

    def __repr__(self) -> str:
        return f"profile of {self.person}"


@dataclass(frozen=True)
class Facts:
    """The values that count for one person: the profile's where set, else the directory's."""

    name: str
    bio: str
    help_with: tuple[str, ...]
    want_to_learn: tuple[str, ...]
    languages: tuple[str, ...]
    interests: tuple[str, ...]
    location: str
    timezone: str
    work_start: time
    work_end: time
    has_photo: bool

    @property
    def first_name(self) -> str:
        """The name to address someone by in a sentence (the whole name if it has no spaces)."""
        return self.name.split()[0] if self.name.split() else self.name


def effective(person: Person, profile: Profile | None) -> Facts:
    """``person``'s facts: each profile value where the person set one, the directory's otherwise."""
    mine = profile
    return Facts(
        name=person.full_name,
        bio=(mine.bio if mine else "") or "",
        help_with=tuple((mine.help_with if mine else None) or person.skills or ()),
        want_to_learn=tuple((mine.want_to_learn if mine else None) or ()),
        languages=tuple((mine.languages if mine else None) or person.languages or ()),
        interests=tuple(person.interests or ()),
        location=(mine.location if mine else "") or person.location or "",
        timezone=(mine.timezone if mine else "") or person.timezone or "UTC",
        work_start=(mine.work_start if mine else None) or DEFAULT_START,
        work_end=(mine.work_end if mine else None) or DEFAULT_END,
        has_photo=bool(mine and mine.photo),
    )
