"""Answers to the feedback pulse (30 days in) and the end-of-programme survey.

An answer is read only in aggregates of at least the minimum group size
(:mod:`tandem.plugin.feedback.results`): no page, API or export shows one
person's answer, not even to HR.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import TandemModel, one_of, utcnow

SURVEYS = ("pulse", "end")


class FeedbackAnswer(TandemModel):
    """One person's answer to one survey of one workflow run (``idempotency_key`` = ``survey:instance:person``)."""

    __tablename__ = "tandem_feedback_answer"
    __table_args__ = (
        one_of("survey", SURVEYS, "survey"),
        CheckConstraint("useful >= 1 AND useful <= 5", name="useful"),
        CheckConstraint("time_to_meet >= 1 AND time_to_meet <= 5", name="time_to_meet"),
        CheckConstraint("progress >= 1 AND progress <= 5", name="progress"),
        CheckConstraint("recommend IS NULL OR (recommend >= 0 AND recommend <= 10)", name="recommend"),
        Index("ix_tandem_feedback_answer_programme_survey", "programme_id", "survey"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("tandem_programme.id", ondelete="CASCADE"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_workflow_instance.id", ondelete="SET NULL"))
    respondent_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"), index=True)
    survey: Mapped[str] = mapped_column(String(10))
    useful: Mapped[int] = mapped_column(Integer)
    time_to_meet: Mapped[int] = mapped_column(Integer)
    progress: Mapped[int] = mapped_column(Integer)
    recommend: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
