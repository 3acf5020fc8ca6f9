"""Awareness-campaign items and the acknowledgements staff give them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TandemModel, utcnow
from .person import Person
from .programme import Programme


class CampaignItem(TandemModel):
    """A short piece of campaign content, with a reflection question and an optional quiz."""

    __tablename__ = "tandem_campaign_item"
    __table_args__ = (
        UniqueConstraint("programme_id", "slug", name="uq_tandem_campaign_item_slug"),
        UniqueConstraint("programme_id", "position", name="uq_tandem_campaign_item_position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("tandem_programme.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    reflection_question: Mapped[str] = mapped_column(Text, default="")
    checkin_prompt: Mapped[str] = mapped_column(Text, default="")
    quiz: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    programme: Mapped[Programme] = relationship()

    def __repr__(self) -> str:
        return self.title


class Acknowledgement(TandemModel):
    """A person's acknowledgement of a campaign item (at most one per person and item)."""

    __tablename__ = "tandem_acknowledgement"
    __table_args__ = (UniqueConstraint("item_id", "person_id", name="uq_tandem_acknowledgement_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("tandem_campaign_item.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("tandem_person.id", ondelete="CASCADE"), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    quiz_answer: Mapped[str] = mapped_column(Text, default="")
    quiz_correct: Mapped[bool | None] = mapped_column(Boolean)

    item: Mapped[CampaignItem] = relationship()
    person: Mapped[Person] = relationship()

    def __repr__(self) -> str:
        return f"{self.person} ✓ {self.item}"
