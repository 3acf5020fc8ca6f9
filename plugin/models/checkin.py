"""Check-ins: the recurring prompts a pair or a circle answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TandemModel, one_of
from .pairing import Pairing
from .person import Person
from .programme import Enrolment

CHECKIN_STATUSES = ("scheduled", "open", "completed", "missed", "paused", "cancelled")


class CheckIn(TandemModel):
    """One person's answer (or missing answer) to one occurrence of a check-in.

    It belongs to a pairing, or to an enrolment (a circle), or at least to the
    workflow instance that opened it — never to both a pairing and an enrolment.

    ``private_note`` is seen by its author alone: no admin view, API or report
    lists it.
    """

    __tablename__ = "tandem_checkin"
    __table_args__ = (
        CheckConstraint(
            "NOT (pairing_id IS NOT NULL AND enrolment_id IS NOT NULL)"
            " AND (pairing_id IS NOT NULL OR enrolment_id IS NOT NULL OR instance_id IS NOT NULL)",
            name="belongs_somewhere",
        ),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating"),
        CheckConstraint("sequence >= 1", name="sequence"),
        one_of("status", CHECKIN_STATUSES, "status"),
        UniqueConstraint(
            "pairing_id",
            "enrolment_id",
            "respondent_id",
            "sequence",
            name="uq_tandem_checkin_occurrence",
        ),
        Index("ix_tandem_checkin_status_due", "status", "due_at"),
        Index("ix_tandem_checkin_respondent_due", "respondent_id", "due_at"),
        # Reports: a person's completed check-ins (participation), and recent completions (quiet pairs).
        Index("ix_tandem_checkin_respondent_status_due", "respondent_id", "status", "due_at"),
        Index("ix_tandem_checkin_status_completed", "status", "completed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_pairing.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_enrolment.id", ondelete="CASCADE"), index=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer, default=1)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(10), default="scheduled")
    rating: Mapped[int | None] = mapped_column(Integer)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    private_note: Mapped[str] = mapped_column(Text, default="")
    shared_note: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("tandem_workflow_instance.id", ondelete="SET NULL"), index=True
    )
    prompts: Mapped[list[str]] = mapped_column(JSON, default=list)
    idempotency_key: Mapped[str | None] = mapped_column(String(250), unique=True)

    pairing: Mapped[Pairing | None] = relationship()
    enrolment: Mapped[Enrolment | None] = relationship()
    respondent: Mapped[Person] = relationship()

    def __repr__(self) -> str:
        return f"Check-in {self.sequence} of {self.respondent}"
