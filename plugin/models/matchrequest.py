"""Self-match requests: a mentee asks a suggested mentor, who accepts or declines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TandemModel, one_of, utcnow
from .person import Person
from .programme import Programme

REQUEST_STATUSES = ("pending", "accepted", "declined", "withdrawn")


class MatchRequest(TandemModel):
    """One mentee's request to one mentor in one programme, with the score that suggested them."""

    __tablename__ = "tandem_match_request"
    __table_args__ = (
        one_of("status", REQUEST_STATUSES, "status"),
        Index("ix_tandem_match_request_mentee_status", "mentee_id", "status"),
        Index("ix_tandem_match_request_mentor_status", "mentor_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("tandem_programme.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    score: Mapped[int] = mapped_column(Integer, default=0)
    breakdown: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_pairing.id", ondelete="SET NULL"))

    programme: Mapped[Programme] = relationship()
    mentee: Mapped[Person] = relationship(foreign_keys=[mentee_id])
    mentor: Mapped[Person] = relationship(foreign_keys=[mentor_id])

    def __repr__(self) -> str:
        return f"{self.mentee} asks {self.mentor} ({self.status})"
