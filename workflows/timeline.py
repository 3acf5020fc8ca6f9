"""A line of a preview's timeline: when, in whose time zone, and what happens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Entry:
    """One line of a timeline."""

    at: datetime
    timezone: str
    text: str
    template: str | None = None  # the notification template the line names, so a preview can show its title

    def labelled(self, label: Callable[[str], str]) -> Entry:
        """This line with its template's id replaced by ``label(id)`` (a title HR recognises)."""
        if self.template is None:
            return self
        return replace(self, text=self.text.replace(self.template, label(self.template), 1))

    def format(self, start: datetime) -> str:
        """``day 1  Tue 2026-11-24 09:00 Europe/Berlin  text``."""
        local = self.at.astimezone(ZoneInfo(self.timezone))
        day = (self.at.date() - start.date()).days
        return f"day {day:<3} {local:%a %Y-%m-%d %H:%M} {self.timezone:<18} {self.text}"
