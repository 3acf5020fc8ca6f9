"""An instance's state: JSON-ready data that only :mod:`tandem.workflows.machine` changes."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field, fields
from typing import Any

RUNNING = "running"
PAUSED = "paused"
COMPLETED = "completed"
CANCELLED = "cancelled"
INSTANCE_STATUSES = (RUNNING, PAUSED, COMPLETED, CANCELLED)


@dataclass(frozen=True)
class Participant:
    """What the engine knows of a person: enough to address them and place their prompts."""

    id: int
    name: str
    timezone: str = "UTC"
    country: str = ""


@dataclass
class InstanceState:
    """Where an instance stands. Copied, never shared, by every transition."""

    status: str = RUNNING
    step: int = 0
    visit: int = 0
    waiting: dict[str, Any] = field(default_factory=dict)
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    answered: dict[str, list[int]] = field(default_factory=dict)
    discuss: list[str] = field(default_factory=list)
    paused_timers: list[str] = field(default_factory=list)
    resumes: int = 0
    reason: str = ""
    #: Escalation timers still to fire, by key: ``{"step": index, "sequence": n}`` (they outlive their step).
    escalations: dict[str, dict[str, int]] = field(default_factory=dict)

    def copy(self) -> InstanceState:
        """A deep copy to change."""
        return InstanceState(**pickle.loads(pickle.dumps(self.to_json(), pickle.HIGHEST_PROTOCOL)))

    def to_json(self) -> dict[str, Any]:
        """The state as stored in the database (its values are shared with this state, not copied)."""
        return {item.name: getattr(self, item.name) for item in STATE_FIELDS}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InstanceState:
        """The state as read back from the database."""
        return cls(**data)

    def participant(self, role: str) -> Participant | None:
        """The person filling ``role``, if any."""
        data = self.roles.get(role)
        return Participant(**data) if data else None

    def participant_ids(self) -> set[int]:
        """Everyone taking part, by person id."""
        return {data["id"] for data in self.roles.values()}

    @property
    def finished(self) -> bool:
        """True once completed or cancelled."""
        return self.status in (COMPLETED, CANCELLED)


STATE_FIELDS = fields(InstanceState)
