"""Delivery: each person's notification preferences and HR's versioned template overrides."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tandem.workflows.channels import default_channels

from .base import TandemModel, utcnow
from .person import Person


class NotificationPreference(TandemModel):
    """How one person wants to hear from Tandem: channels, quiet hours, time zone, webhook, daily budget."""

    __tablename__ = "tandem_notification_preference"
    __table_args__ = (CheckConstraint("daily_budget >= 1", name="daily_budget"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"), unique=True)
    channels: Mapped[list[str]] = mapped_column(JSON, default=default_channels)
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64), default="")
    webhook_url: Mapped[str] = mapped_column(String(500), default="")
    daily_budget: Mapped[int] = mapped_column(Integer, default=6)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship()

    def __repr__(self) -> str:
        return f"preferences of {self.person}"


class NotificationTemplate(TandemModel):
    """One saved version of HR's override of a notification template (subject, text and HTML together)."""

    __tablename__ = "tandem_notification_template"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_tandem_notification_template_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"{self.name} v{self.version}"
