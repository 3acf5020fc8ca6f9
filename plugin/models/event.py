"""The append-only event log that drives every workflow."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TandemModel, utcnow
from .person import Person
from .programme import Programme

EVENT_TYPES = (
    "employee.hired",
    "employee.left",
    "employee.leave_started",
    "employee.leave_ended",
    "employee.manager_changed",
    "checkin.completed",
    "checkin.missed",
    "pairing.proposed",
    "pairing.accepted",
    "pairing.declined",
    "pairing.closed",
    "campaign.acknowledged",
    "programme.closed",
)


class Event(TandemModel):
    """Something that happened, recorded once: ``event_id`` is unique, rows never change."""

    __tablename__ = "tandem_event"
    __table_args__ = (
        Index("ix_tandem_event_type_occurred", "type", "occurred_at"),
        Index("ix_tandem_event_person_occurred", "person_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(100), unique=True)
    type: Mapped[str] = mapped_column(String(60))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_person.id", ondelete="SET NULL"))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_programme.id", ondelete="SET NULL"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(40), default="api")
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    person: Mapped[Person | None] = relationship()
    programme: Mapped[Programme | None] = relationship()

    def __repr__(self) -> str:
        return f"{self.type} {self.event_id}"


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a recorded event."""


@event.listens_for(Event, "before_update")
def _refuse_update(mapper: Any, connection: Any, target: Event) -> None:
    raise AppendOnlyError(f"event {target.event_id} is append-only and cannot change")


@event.listens_for(Event, "before_delete")
def _refuse_delete(mapper: Any, connection: Any, target: Event) -> None:
    raise AppendOnlyError(f"event {target.event_id} is append-only and cannot be deleted")
