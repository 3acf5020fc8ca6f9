"""Working time: weekends, public holidays and working hours in a person's own time zone.

Pure functions of their arguments (the holiday tables ship with the
``holidays`` package), so simulations and production place prompts alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from .durations import Duration


@cache
def _holidays(country: str, year: int) -> frozenset[date]:
    if not country:
        return frozenset()
    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except NotImplementedError:
        return frozenset()


@dataclass(frozen=True)
class WorkCalendar:
    """Where and when one person works."""

    timezone: str = "UTC"
    country: str = ""
    start: time = time(9, 0)
    end: time = time(17, 0)

    @property
    def zone(self) -> ZoneInfo:
        """The person's time zone."""
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not a public holiday in the person's country."""
        return day.weekday() < 5 and day not in _holidays(self.country, day.year)

    def add(self, moment: datetime, duration: Duration) -> datetime:
        """``moment`` plus ``duration``; business days count working days only."""
        if not duration.business:
            return moment + duration.delta
        local = moment.astimezone(self.zone)
        day, remaining = local.date(), duration.amount
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return datetime.combine(day, local.timetz()).astimezone(UTC)

    def next_weekday_at(self, moment: datetime, weekday: int, clock: time) -> datetime:
        """The first ``weekday`` (0 = Monday) at local ``clock`` strictly after ``moment`` (UTC).

        Computed on the local calendar, so it stays at the same wall-clock time
        across daylight-saving changes.
        """
        local = moment.astimezone(self.zone)
        day = local.date() + timedelta(days=(weekday - local.weekday()) % 7)
        candidate = datetime.combine(day, clock, tzinfo=self.zone)
        if candidate <= local:
            candidate = datetime.combine(day + timedelta(days=7), clock, tzinfo=self.zone)
        return candidate.astimezone(UTC)

    def morning_of(self, moment: datetime) -> datetime:
        """The start of working hours on ``moment``'s local day, or the next working day (UTC)."""
        local = moment.astimezone(self.zone)
        return self.next_working_moment(datetime.combine(local.date(), self.start, tzinfo=self.zone))

    def next_working_moment(self, moment: datetime) -> datetime:
        """The first moment at or after ``moment`` inside working hours on a working day (UTC)."""
        local = moment.astimezone(self.zone)
        day = local.date()
        if local.time() >= self.end:
            day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        opening = datetime.combine(day, self.start, tzinfo=self.zone)
        if day == local.date() and local > opening:
            return moment.astimezone(UTC)
        return opening.astimezone(UTC)
