"""What a transition asks the world to do. Plain data: the runtime applies it.

Every effect carries a ``key`` unique within its instance; the runtime turns
it into a database idempotency key, so applying a transition twice never
doubles an effect.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Effect:
    """Base of all effects."""

    key: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data, with the effect's kind."""
        data: dict[str, Any] = {"effect": type(self).__name__}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            data[item.name] = value
        return data


@dataclass(frozen=True)
class ScheduleTimer(Effect):
    """Wake the instance at ``due_at`` (a database timer, never a broker delay)."""

    due_at: datetime


@dataclass(frozen=True)
class SendNotification(Effect):
    """Write one outbox row; ``role`` is resolved by the runtime for ``hr`` and ``manager``."""

    role: str
    person_id: int | None
    template: str
    not_before: datetime
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestMatch(Effect):
    """Ask the matching service to fill ``role``; it answers with ``match.found`` or ``match.failed``."""

    role: str
    programme: str | None


@dataclass(frozen=True)
class OpenCheckIn(Effect):
    """Create check-in number ``sequence`` for each respondent, due at ``due_at``."""

    sequence: int
    respondent_ids: tuple[int, ...]
    due_at: datetime
    prompts: tuple[str, ...] = ()


@dataclass(frozen=True)
class MarkCheckInMissed(Effect):
    """Check-in ``sequence`` closed unanswered for these respondents."""

    sequence: int
    respondent_ids: tuple[int, ...]


@dataclass(frozen=True)
class ClosePairings(Effect):
    """End the instance's pairings (someone left, or the programme closed)."""

    reason: str


@dataclass(frozen=True)
class Note(Effect):
    """Nothing to do, and why (a superseded timer, an answered check-in): kept in the run's history."""

    text: str
