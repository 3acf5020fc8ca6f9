"""The in-app inbox: a person's notifications, the unread count, marking as read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import Notification


def _shown(now: datetime) -> Any:
    """What an inbox shows: messages due by ``now`` and not dropped (suppressed or failed), on every channel."""
    return and_(
        Notification.status.in_(("queued", "sent", "digested")),
        or_(Notification.deliver_after.is_(None), Notification.deliver_after <= now),
    )


def is_unread(notification: Notification) -> bool:
    """Whether the inbox shows ``notification`` as unread (highlighted, counted by the bell)."""
    return notification.read_at is None


def unread_count(session: Session, person_id: int, now: datetime) -> int:
    """How many messages the inbox shows as unread: exactly the rows it highlights, on every channel."""
    return session.scalar(
        select(func.count(Notification.id)).where(
            Notification.recipient_id == person_id,
            Notification.read_at.is_(None),
            _shown(now),
        )
    )


def messages(session: Session, person_id: int, now: datetime, limit: int = 100, offset: int = 0) -> list[Notification]:
    """The person's notifications on every channel, newest first: ``limit`` of them from the ``offset``-th."""
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.recipient_id == person_id, _shown(now))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset(offset)
            .limit(limit)
        )
    )


def own_message(session: Session, notification_id: int, person_id: int, now: datetime) -> Notification:
    """One message of the person's inbox; :class:`NotFound` for anyone else's (or one not yet due)."""
    notification = session.scalars(
        select(Notification).where(
            Notification.id == notification_id, Notification.recipient_id == person_id, _shown(now)
        )
    ).first()
    if notification is None:
        raise NotFound("There is no such message in your inbox.")
    return notification


def mark_read(session: Session, notification_id: int, person_id: int, now: datetime) -> Notification:
    """Mark one of the person's notifications read (reading it twice keeps the first time)."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != person_id:
        raise NotFound("There is no such message in your inbox.")
    if notification.read_at is None:
        notification.read_at = now
    session.flush()
    return notification


def mark_all_read(session: Session, person_id: int, now: datetime) -> int:
    """Mark every unread message the inbox shows read (not those still to come); returns how many."""
    result = session.execute(
        update(Notification)
        .where(Notification.recipient_id == person_id, Notification.read_at.is_(None), _shown(now))
        .values(read_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0
