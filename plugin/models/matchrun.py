"""Matching runs HR reviews before anyone else sees them: a draft of proposals (or circles), then published."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TandemModel, one_of, utcnow
from .person import Person
from .programme import Programme

MATCH_RUN_STATUSES = ("draft", "published", "discarded")
PROPOSAL_STATUSES = ("proposed", "accepted", "rejected")


class MatchRun(TandemModel):
    """One solve of a programme's pool: the settings used, the total, the unmatched and why (a draft until
    HR publishes it; staff never see a draft)."""

    __tablename__ = "tandem_match_run"
    __table_args__ = (one_of("status", MATCH_RUN_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("tandem_programme.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    total_score: Mapped[int] = mapped_column(Integer, default=0)
    unmatched: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    programme: Mapped[Programme] = relationship()
    proposals: Mapped[list[MatchProposal]] = relationship(
        back_populates="run", order_by="MatchProposal.id", cascade="all, delete-orphan"
    )
    circles: Mapped[list[Circle]] = relationship(
        back_populates="run", order_by="Circle.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"{self.programme} run {self.id} ({self.status})"


class MatchProposal(TandemModel):
    """A proposed pair inside a run, with its score breakdown; HR accepts, rejects or swaps it."""

    __tablename__ = "tandem_match_proposal"
    __table_args__ = (
        UniqueConstraint("run_id", "mentee_id", name="uq_tandem_match_proposal_mentee"),
        one_of("status", PROPOSAL_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("tandem_match_run.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    score: Mapped[int] = mapped_column(Integer, default=0)
    breakdown: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_pairing.id", ondelete="SET NULL"))

    run: Mapped[MatchRun] = relationship(back_populates="proposals")
    mentor: Mapped[Person] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[Person] = relationship(foreign_keys=[mentee_id])

    def __repr__(self) -> str:
        return f"{self.mentor} → {self.mentee}"


class Circle(TandemModel):
    """A peer support circle formed by a run of a peer-circle programme: its members and why they fit."""

    __tablename__ = "tandem_circle"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("tandem_match_run.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("tandem_programme.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    score: Mapped[int] = mapped_column(Integer, default=0)
    breakdown: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    run: Mapped[MatchRun] = relationship(back_populates="circles")
    members: Mapped[list[CircleMember]] = relationship(
        back_populates="circle", order_by="CircleMember.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return self.name or f"circle {self.id}"


class CircleMember(TandemModel):
    """One person's place in a circle."""

    __tablename__ = "tandem_circle_member"
    __table_args__ = (UniqueConstraint("circle_id", "person_id", name="uq_tandem_circle_member_place"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("tandem_circle.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"), index=True)

    circle: Mapped[Circle] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()
