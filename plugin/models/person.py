"""People of the staff directory."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TandemModel, one_of, utcnow

PERSON_STATUSES = ("active", "on_leave", "left")


class Person(TandemModel):
    """An employee as the directory knows them, optionally linked to a FAB login."""

    __tablename__ = "tandem_person"
    __table_args__ = (
        one_of("status", PERSON_STATUSES, "status"),
        CheckConstraint("seniority >= 0 AND seniority <= 10", name="seniority"),
        CheckConstraint("manager_id IS NULL OR manager_id <> id", name="not_own_manager"),
        Index("ix_tandem_person_department_status", "department", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    department: Mapped[str] = mapped_column(String(120), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    location: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("tandem_person.id", ondelete="SET NULL"), index=True)
    hire_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active")
    seniority: Mapped[int] = mapped_column(Integer, default=0)
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    user_id: Mapped[int | None] = mapped_column(ForeignKey(User.__table__.c.id, ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    manager: Mapped[Person | None] = relationship(remote_side=[id], back_populates="reports")
    reports: Mapped[list[Person]] = relationship(back_populates="manager")
    user: Mapped[User | None] = relationship(User)

    def __repr__(self) -> str:
        return self.full_name

    def manager_chain(self) -> str:
        """The line of managers above this person, nearest first."""
        chain, seen, boss = [], {self.id}, self.manager
        while boss is not None and boss.id not in seen:
            chain.append(boss.full_name)
            seen.add(boss.id)
            boss = boss.manager
        return " › ".join(chain) or "—"

    def direct_reports(self) -> str:
        """The names of the people who report to this person directly."""
        return ", ".join(sorted(p.full_name for p in self.reports)) or "—"

    def skills_text(self) -> str:
        """Skills as shown in lists and exports."""
        return "; ".join(self.skills or [])

    def languages_text(self) -> str:
        """Languages as shown in lists and exports."""
        return "; ".join(self.languages or [])

    def interests_text(self) -> str:
        """Interests as shown in lists and exports."""
        return "; ".join(self.interests or [])
