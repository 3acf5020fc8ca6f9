"""Who may read a person's profile and photo: the person, their pair or circle, and HR.

A pair is any pairing between the two that was not declined (proposed, accepted,
running or ended: they met, or are about to); a circle is a circle of a
*published* run both belong to. Managers see nothing more than anyone else:
a profile is not participation data.
"""

from __future__ import annotations

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from ..models import Circle, CircleMember, MatchRun, Pairing


def paired(session: Session, a: int, b: int) -> bool:
    """Whether ``a`` and ``b`` share a pairing that was not declined."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    Pairing.status != "declined",
                    or_(
                        and_(Pairing.mentor_id == a, Pairing.mentee_id == b),
                        and_(Pairing.mentor_id == b, Pairing.mentee_id == a),
                    ),
                )
            )
        )
    )


def same_circle(session: Session, a: int, b: int) -> bool:
    """Whether ``a`` and ``b`` are members of one circle of a published run."""
    other = aliased(CircleMember)
    return bool(
        session.scalar(
            select(
                exists()
                .where(CircleMember.person_id == a, other.person_id == b, other.circle_id == CircleMember.circle_id)
                .where(
                    Circle.id == CircleMember.circle_id, MatchRun.id == Circle.run_id, MatchRun.status == "published"
                )
            )
        )
    )


def may_see(session: Session, viewer_id: int | None, target_id: int, sees_everyone: bool = False) -> bool:
    """Whether the person ``viewer_id`` (or HR, ``sees_everyone``) may read ``target_id``'s profile."""
    if sees_everyone:
        return True
    if viewer_id is None:
        return False
    return viewer_id == target_id or paired(session, viewer_id, target_id) or same_circle(session, viewer_id, target_id)
