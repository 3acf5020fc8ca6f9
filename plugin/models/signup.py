"""A person's sign-up for a programme: the questionnaire's answers, waiting for HR where the programme asks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TandemModel, one_of, utcnow
from .person import Person
from .programme import Programme

SIGNUP_ROLES = ("mentor", "mentee", "participant")
SIGNUP_STATUSES = ("pending", "approved", "declined")

# transition name -> (allowed source statuses, target status)
SIGNUP_TRANSITIONS = {
    "approve": (("pending",), "approved"),
    "decline": (("pending",), "declined"),
}


class SignUp(TandemModel):
    """One answered questionnaire; approved (at once, or by HR) it becomes an enrolment."""

    __tablename__ = "tandem_signup"
    __table_args__ = (
        one_of("role", SIGNUP_ROLES, "role"),
        one_of("status", SIGNUP_STATUSES, "status"),
        CheckConstraint("capacity >= 0 AND capacity <= 10", name="capacity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("tandem_programme.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    availability: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str] = mapped_column(String(100), default="")

    programme: Mapped[Programme] = relationship()
    person: Mapped[Person] = relationship()

    def __repr__(self) -> str:
        return f"{self.person} → {self.programme} ({self.role})"
