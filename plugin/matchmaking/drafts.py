"""What every matching run shares: one draft per programme at a time, and changes only while a draft."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotAllowed
from ..models import MatchRun, Programme


def discard_drafts(session: Session, programme: Programme) -> None:
    """Mark the programme's earlier drafts discarded (a new run replaces them)."""
    for old in session.scalars(
        select(MatchRun).where(MatchRun.programme_id == programme.id, MatchRun.status == "draft")
    ):
        old.status = "discarded"


def require_draft(run: MatchRun) -> None:
    """Raise :class:`NotAllowed` unless ``run`` is still a draft."""
    if run.status != "draft":
        raise NotAllowed(f"run {run.id} is {run.status}, not a draft", "run")
