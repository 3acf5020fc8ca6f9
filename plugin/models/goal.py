"""Goals a pair (or a circle) agrees at its first check-in, and how each moved at every later one.

Goal text follows the shared-note rule: the pair or circle sees it, nobody
else. HR sees only counts (goals set and done per programme); managers see no
goal at all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TandemModel, one_of, utcnow
from .checkin import CheckIn

GOAL_STATUSES = ("not_started", "moving", "done")
MAX_GOALS = 3


class Goal(TandemModel):
    """One of up to three goals of a group: a pairing (``pairing:<id>``) or a circle's run (``instance:<id>``)."""

    __tablename__ = "tandem_goal"
    __table_args__ = (
        UniqueConstraint("group_key", "position", name="uq_tandem_goal_group_position"),
        CheckConstraint(f"position >= 1 AND position <= {MAX_GOALS}", name="position"),
        one_of("status", GOAL_STATUSES, "status"),
        Index("ix_tandem_goal_programme_status", "programme_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_key: Mapped[str] = mapped_column(String(40))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_programme.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default="not_started")
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"Goal {self.position}"


class GoalProgress(TandemModel):
    """How one goal moved, as one respondent said in one check-in."""

    __tablename__ = "tandem_goal_progress"
    __table_args__ = (
        UniqueConstraint("goal_id", "checkin_id", name="uq_tandem_goal_progress_goal_checkin"),
        one_of("status", GOAL_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("tandem_goal.id", ondelete="CASCADE"), index=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("tandem_checkin.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    goal: Mapped[Goal] = relationship()
    checkin: Mapped[CheckIn] = relationship()
