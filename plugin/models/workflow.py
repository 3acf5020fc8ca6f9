"""The engine's tables: definition versions, instances, their history, timers and incidents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TandemModel, one_of, utcnow
from .event import Event
from .person import Person
from .programme import Programme

INSTANCE_STATUSES = ("running", "paused", "completed", "cancelled")
TIMER_STATUSES = ("pending", "claimed", "done", "failed", "cancelled")
INCIDENT_STATUSES = ("open", "retried", "skipped", "cancelled")


class WorkflowDefinition(TandemModel):
    """One saved version of a workflow definition (YAML). Saving creates a new version."""

    __tablename__ = "tandem_workflow_definition"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_tandem_workflow_definition_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200), default="")
    trigger: Mapped[str | None] = mapped_column(String(60), index=True)
    source: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"{self.name} v{self.version}"


class WorkflowInstance(TandemModel):
    """One run of a definition for one subject, pinned to the version it started with."""

    __tablename__ = "tandem_workflow_instance"
    __table_args__ = (
        one_of("status", INSTANCE_STATUSES, "status"),
        UniqueConstraint("definition_id", "trigger_event_id", name="uq_tandem_workflow_instance_trigger"),
        Index("ix_tandem_workflow_instance_status_subject", "status", "subject_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("tandem_workflow_definition.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_programme.id", ondelete="SET NULL"), index=True)
    trigger_event_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_event.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="running")
    step: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    definition: Mapped[WorkflowDefinition] = relationship()
    subject: Mapped[Person] = relationship()
    programme: Mapped[Programme | None] = relationship()
    trigger_event: Mapped[Event | None] = relationship()

    def __repr__(self) -> str:
        return f"{self.definition} for {self.subject}"


class InstanceParticipant(TandemModel):
    """Who takes part in an instance, in which role (so events about a person find their instances)."""

    __tablename__ = "tandem_instance_participant"
    __table_args__ = (UniqueConstraint("instance_id", "role", name="uq_tandem_instance_participant_role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("tandem_workflow_instance.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))


class InstanceHistory(TandemModel):
    """Append-only: every signal an instance received and every effect it produced."""

    __tablename__ = "tandem_instance_history"
    __table_args__ = (Index("ix_tandem_instance_history_instance_at", "instance_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("tandem_workflow_instance.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    signal: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))
    step: Mapped[int] = mapped_column(Integer)
    effects: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    instance: Mapped[WorkflowInstance] = relationship()


class Timer(TandemModel):
    """Work due at a time: an instance's timer, or an event to dispatch (due at once).

    The scheduler claims due rows with a lease; an expired lease is claimed
    again, so a lost message loses nothing. ``dedupe_key`` makes scheduling idempotent.
    """

    __tablename__ = "tandem_timer"
    __table_args__ = (
        one_of("status", TIMER_STATUSES, "status"),
        Index("ix_tandem_timer_status_due", "status", "due_at"),
        Index("ix_tandem_timer_status_lease", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(250), unique=True)
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("tandem_workflow_instance.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_event.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str] = mapped_column(String(100), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    instance: Mapped[WorkflowInstance | None] = relationship()
    event: Mapped[Event | None] = relationship()

    def __repr__(self) -> str:
        return f"timer {self.key} ({self.status})"


class Incident(TandemModel):
    """A step whose retries ran out: shown in HR's Operations inbox until retried, skipped or cancelled."""

    __tablename__ = "tandem_incident"
    __table_args__ = (one_of("status", INCIDENT_STATUSES, "status"), Index("ix_tandem_incident_status", "status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    timer_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_timer.id", ondelete="CASCADE"), unique=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_workflow_instance.id", ondelete="CASCADE"))
    # A notification that failed for good (refused address, webhook 4xx, refused template).
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("tandem_notification.id", ondelete="CASCADE"), unique=True
    )
    summary: Mapped[str] = mapped_column(String(300))
    error: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str] = mapped_column(String(100), default="")

    timer: Mapped[Timer | None] = relationship()
    instance: Mapped[WorkflowInstance | None] = relationship()

    def __repr__(self) -> str:
        return self.summary
