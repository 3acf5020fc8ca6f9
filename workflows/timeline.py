"""A line of a preview's timeline: when, in whose time zone, and what happens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Entry:
    """One line of a timeline."""

    at: datetime
    timezone: str
    text: str

    def format(self, start: datetime) -> str:
        """``day 1  Tue 2026-11-24 09:00 Europe/Berlin  text``."""
        local = self.at.astimezone(ZoneInfo(self.timezone))
        day = (self.at.date() - start.date()).days
        return f"day {day:<3} {local:%a %Y-%m-%d %H:%M} {self.timezone:<18} {self.text}"
