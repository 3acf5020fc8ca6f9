"""Content Tandem ships: the awareness campaign items, loaded into a campaign programme's items."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandem.workflows.safeyaml import load_yaml

from ..models import CampaignItem, Programme

FIELDS = ("title", "body", "reflection_question", "checkin_prompt", "quiz")


def builtin_campaigns() -> list[dict[str, Any]]:
    """Every shipped campaign: ``{"programme": slug, "items": [...]}``."""
    folder = files(__name__)
    return [
        load_yaml(path.read_text(encoding="utf-8"))
        for path in sorted(folder.iterdir(), key=lambda p: p.name)
        if path.name.endswith(".yaml")
    ]


def load_campaign(session: Session, programme: Programme, items: list[dict[str, Any]]) -> int:
    """Create or update ``programme``'s items from ``items`` (by slug, in order); returns how many changed.

    Items HR added themselves are kept, after the shipped ones.
    """
    existing = {
        item.slug: item for item in session.scalars(select(CampaignItem).where(CampaignItem.programme == programme))
    }
    changed = 0
    start = (
        session.scalar(select(func.max(CampaignItem.position)).where(CampaignItem.programme == programme)) or 0
    ) + 1
    for offset, data in enumerate(items):
        row = existing.get(data["slug"])
        values = {name: (data.get(name) or ({} if name == "quiz" else "")) for name in FIELDS}
        if row is None:
            session.add(CampaignItem(programme=programme, slug=data["slug"], position=start + offset, **values))
            changed += 1
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed += 1
    session.flush()
    return changed


def load_builtin_campaigns(session: Session) -> dict[str, int]:
    """Load every shipped campaign into its programme, where that programme exists; returns changes per slug."""
    done = {}
    for campaign in builtin_campaigns():
        programme = session.scalars(select(Programme).where(Programme.slug == campaign["programme"])).first()
        if programme is not None:
            done[campaign["programme"]] = load_campaign(session, programme, campaign["items"])
    return done
