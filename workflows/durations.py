"""Durations as HR writes them: "2 weeks", "3 business days", "90 minutes"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

UNITS = {
    "second": timedelta(seconds=1),
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}
# The longest wait a definition may ask for: longer ones are a typing slip (and overflow a date).
MAX_DAYS = 3660
_PATTERN = re.compile(r"^\s*(\d+)\s+(business\s+)?(second|minute|hour|day|week)s?\s*$")


class DurationError(ValueError):
    """Text that is not a duration."""


@dataclass(frozen=True)
class Duration:
    """An amount of time; ``business`` days skip weekends and public holidays."""

    amount: int
    unit: str
    business: bool = False

    @property
    def delta(self) -> timedelta:
        """The calendar length (for business days, the length if no day were skipped)."""
        return self.amount * UNITS[self.unit]

    def __str__(self) -> str:
        business = "business " if self.business else ""
        plural = "" if self.amount == 1 else "s"
        return f"{self.amount} {business}{self.unit}{plural}"


def parse_duration(text: object) -> Duration:
    """Parse ``"2 weeks"``, ``"3 business days"``, ``"30 seconds"``; raise :class:`DurationError`."""
    match = _PATTERN.match(text) if isinstance(text, str) else None
    if not match:
        raise DurationError('expected a duration such as "2 weeks" or "3 business days"')
    digits, business, unit = match.group(1), bool(match.group(2)), match.group(3)
    if business and unit != "day":
        raise DurationError('only days can be business days, as in "3 business days"')
    amount = int(digits) if len(digits) <= 12 else MAX_DAYS * 86400 + 1
    if amount * int(UNITS[unit].total_seconds()) > MAX_DAYS * 86400:
        raise DurationError(f"expected a duration of at most {MAX_DAYS} days (about ten years)")
    return Duration(amount, unit, business)
