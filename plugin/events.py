"""Events as the domain knows them: a :class:`NewEvent` of a known type, about to be recorded.

Recording one (the event log row and the engine's dispatch timer, in one
transaction) is the engine's job: :mod:`tandem.workflows.intake`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .models import EVENT_TYPES
from .models.base import utcnow


class UnknownEventType(ValueError):
    """Raised for an event type Tandem does not know."""


@dataclass(frozen=True)
class NewEvent:
    """An event about to be recorded."""

    type: str
    person_id: int | None = None
    programme_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    source: str = "api"
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        if self.type not in EVENT_TYPES:
            raise UnknownEventType(f"unknown event type {self.type!r}")

    def row(self, recorded_at: datetime) -> dict[str, Any]:
        """The column values of this event's row."""
        return {
            "event_id": self.event_id,
            "type": self.type,
            "person_id": self.person_id,
            "programme_id": self.programme_id,
            "payload": self.payload,
            "source": self.source,
            "occurred_at": self.occurred_at,
            "recorded_at": recorded_at,
        }
