"""The notification outbox: every message to a person, written before it is sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from tandem.workflows.channels import channel_names

from .base import TandemModel, one_of, utcnow
from .person import Person

NOTIFICATION_STATUSES = ("queued", "sent", "failed", "suppressed", "digested")


class Notification(TandemModel):
    """One message to one person on one channel; ``idempotency_key`` makes it happen once."""

    __tablename__ = "tandem_notification"
    __table_args__ = (
        one_of("status", NOTIFICATION_STATUSES, "status"),
        CheckConstraint("attempts >= 0", name="attempts"),
        Index("ix_tandem_notification_status_created", "status", "created_at"),
        Index("ix_tandem_notification_recipient_status", "recipient_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))
    template: Mapped[str] = mapped_column(String(200))
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deliver_after: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set while a delivery message for this row is in flight (claimed by the scheduler).
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    recipient: Mapped[Person] = relationship()

    @validates("channel")
    def _registered_channel(self, _key: str, channel: str) -> str:
        """Only a registered channel (the registry, not a database constraint, knows them: migration 0019)."""
        if channel not in channel_names():
            raise ValueError(f"channel: {channel!r} is not a registered channel ({', '.join(channel_names())})")
        return channel

    def __repr__(self) -> str:
        return f"{self.template} → {self.recipient} ({self.channel})"
