"""Each person's notification preferences, with defaults for people who never set any, and quiet hours."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandem.plugin.models import NotificationPreference, Person

from .channels import channel_names, default_channels, registered

DEFAULT_BUDGET = 6


@dataclass(frozen=True)
class Preferences:
    """What delivery needs to know about one person's wishes."""

    channels: list[str] = field(default_factory=default_channels)
    timezone: str = "UTC"
    quiet_start: time | None = None
    quiet_end: time | None = None
    #: The registered channels' settings (``webhook_url`` …), by field name.
    settings: dict[str, str] = field(default_factory=dict)
    daily_budget: int = DEFAULT_BUDGET

    def setting(self, name: str) -> str:
        """One channel setting (empty when the person gave none)."""
        return self.settings.get(name, "")

    @property
    def zone(self) -> ZoneInfo:
        """The person's time zone (UTC if the stored name is unknown)."""
        try:
            return ZoneInfo(self.timezone or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    def quiet_until(self, now: datetime) -> datetime | None:
        """When quiet hours end, if ``now`` falls inside them (UTC); None otherwise."""
        if self.quiet_start is None or self.quiet_end is None or self.quiet_start == self.quiet_end:
            return None
        local = now.astimezone(self.zone)
        clock = local.time().replace(tzinfo=None)
        start, end = self.quiet_start, self.quiet_end
        inside = start <= clock < end if start < end else (clock >= start or clock < end)
        if not inside:
            return None
        day = local.date() if clock < end else local.date() + timedelta(days=1)
        return datetime.combine(day, end, tzinfo=self.zone).astimezone(UTC)

    def day_start(self, now: datetime) -> datetime:
        """Midnight of ``now``'s local day, in UTC (the daily budget counts from there)."""
        local = now.astimezone(self.zone)
        return datetime.combine(local.date(), time(0), tzinfo=self.zone).astimezone(UTC)

    def next_morning(self, now: datetime, hour: int = 8) -> datetime:
        """``hour`` o'clock on the next local day (or later, after quiet hours): when a digest goes out."""
        local = now.astimezone(self.zone)
        moment = datetime.combine(local.date() + timedelta(days=1), time(hour), tzinfo=self.zone).astimezone(UTC)
        return self.quiet_until(moment) or moment


def preferences_for(session: Session, person: Person) -> Preferences:
    """``person``'s stored preferences, or the defaults (in their directory time zone)."""
    row = session.scalars(select(NotificationPreference).where(NotificationPreference.person_id == person.id)).first()
    return _preferences(row, person)


def preferences_of(session: Session, people: list[Person]) -> dict[int, Preferences]:
    """:func:`preferences_for` for many people at once (one query), by person id."""
    ids = [person.id for person in people]
    rows = {
        row.person_id: row
        for row in session.scalars(select(NotificationPreference).where(NotificationPreference.person_id.in_(ids)))
    }
    return {person.id: _preferences(rows.get(person.id), person) for person in people}


def _preferences(row: NotificationPreference | None, person: Person) -> Preferences:
    if row is None:
        return Preferences(timezone=person.timezone or "UTC")
    return Preferences(
        channels=[channel for channel in (row.channels or []) if channel in channel_names()],
        timezone=row.timezone or person.timezone or "UTC",
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        settings={
            setting.name: getattr(row, setting.name) or "" for channel in registered() for setting in channel.fields
        },
        daily_budget=row.daily_budget or DEFAULT_BUDGET,
    )


def stored_preferences(session: Session, person_id: int) -> NotificationPreference:
    """The preference row of a person, created with the defaults when missing (not committed)."""
    row = session.scalars(select(NotificationPreference).where(NotificationPreference.person_id == person_id)).first()
    if row is None:
        row = NotificationPreference(
            person_id=person_id,
            channels=default_channels(),
            timezone="",
            daily_budget=DEFAULT_BUDGET,
        )
        session.add(row)
    return row
