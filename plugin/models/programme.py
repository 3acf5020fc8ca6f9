"""Programmes and the people enrolled in them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TandemModel, one_of, utcnow
from .person import Person

PROGRAMME_KINDS = ("onboarding", "mentoring", "peer_circle", "campaign")
PROGRAMME_STATUSES = ("draft", "active", "closed")
ENROLMENT_ROLES = ("mentor", "mentee", "participant")
ENROLMENT_STATUSES = ("active", "opted_out", "completed", "withdrawn")


class Programme(TandemModel):
    """A mentoring programme HR runs: who takes part, how they are matched, which workflow."""

    __tablename__ = "tandem_programme"
    __table_args__ = (
        one_of("kind", PROGRAMME_KINDS, "kind"),
        one_of("status", PROGRAMME_STATUSES, "status"),
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    workflow: Mapped[str | None] = mapped_column(String(100))
    enrolment_rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    matching_settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Staff may sign themselves up (under Me → Sign up); HR approves each sign-up first where asked.
    signup_open: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    signup_needs_approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="programme")

    def __repr__(self) -> str:
        return self.name


class Enrolment(TandemModel):
    """One person's place in a programme, in one role."""

    __tablename__ = "tandem_enrolment"
    __table_args__ = (
        UniqueConstraint("programme_id", "person_id", "role", name="uq_tandem_enrolment_place"),
        one_of("role", ENROLMENT_ROLES, "role"),
        one_of("status", ENROLMENT_STATUSES, "status"),
        CheckConstraint("capacity >= 0", name="capacity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("tandem_programme.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="active")
    enrolled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Progress the HR funnel counts, kept by tandem.plugin.rollups in the transaction that changes it.
    completed_checkins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    matched: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # ever, as a mentee
    paired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # proposed or live now
    mentees: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # live pairings, as a mentor

    programme: Mapped[Programme] = relationship(back_populates="enrolments")
    person: Mapped[Person] = relationship()

    def __repr__(self) -> str:
        return f"{self.person} ({self.role})"
