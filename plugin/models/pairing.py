"""Mentor–mentee pairings proposed by matching."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TandemModel, one_of, utcnow
from .person import Person
from .programme import Programme

PAIRING_STATUSES = ("proposed", "accepted", "declined", "active", "closed")
OPEN_PAIRING_STATUSES = ("proposed", "accepted", "active")

# transition name -> (allowed source statuses, target status)
PAIRING_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": (("proposed",), "accepted"),
    "decline": (("proposed",), "declined"),
    "start": (("proposed", "accepted"), "active"),
    "close": (OPEN_PAIRING_STATUSES, "closed"),
}


class IllegalTransition(ValueError):
    """A status change from a status that does not allow it."""


class Pairing(TandemModel):
    """A mentor and a mentee in one programme, with the score that brought them together."""

    __tablename__ = "tandem_pairing"
    __table_args__ = (
        UniqueConstraint("programme_id", "mentor_id", "mentee_id", name="uq_tandem_pairing_pair"),
        CheckConstraint("mentor_id <> mentee_id", name="distinct_people"),
        one_of("status", PAIRING_STATUSES, "status"),
        Index("ix_tandem_pairing_mentor_status", "mentor_id", "status"),
        Index("ix_tandem_pairing_mentee_status", "mentee_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("tandem_programme.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    score: Mapped[float | None] = mapped_column(Float)
    score_breakdown: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str] = mapped_column(Text, default="")
    #: When the pair was warned for going quiet (cleared by the next completed check-in).
    warned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    programme: Mapped[Programme] = relationship()
    mentor: Mapped[Person] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[Person] = relationship(foreign_keys=[mentee_id])

    def __repr__(self) -> str:
        return f"{self.mentor} → {self.mentee}"

    @property
    def is_open(self) -> bool:
        """Proposed, accepted or running: the mentee is not in the pool."""
        return self.status in OPEN_PAIRING_STATUSES

    def transition(self, name: str, at: datetime, reason: str = "") -> None:
        """Move along the named transition (``accept``, ``decline``, ``start``, ``close``) at ``at``.

        Raises :class:`IllegalTransition` from any other status.
        """
        sources, target = PAIRING_TRANSITIONS[name]
        if self.status not in sources:
            raise IllegalTransition(f"pairing {self.id} is {self.status}; cannot {name}")
        self.status = target
        if target == "active":
            self.started_at = at
        elif target in ("closed", "declined"):
            self.ended_at = at
            self.end_reason = reason
