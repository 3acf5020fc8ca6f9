"""The messages matching sends outside a workflow run (requests, decisions, quiet-pair warnings)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Notification, Person
from ..portable import id_set


def notify(session: Session, person_ids: list[int], template: str, key: str, **context: Any) -> None:
    """Queue ``template`` for each person once (``key`` + the person's id is the idempotency key).

    The stored context names everyone addressed, so each message can say "you and …".
    """
    everyone = id_set(session, person_ids)
    names = dict(session.execute(select(Person.id, Person.full_name).where(everyone(Person.id))).all())
    for person_id in person_ids:
        idempotency_key = f"{key}:{person_id}"
        if session.scalar(select(Notification.id).where(Notification.idempotency_key == idempotency_key)):
            continue
        session.add(
            Notification(
                recipient_id=person_id,
                channel="email",
                template=template,
                context={**context, "names": {str(pid): name for pid, name in names.items()}},
                idempotency_key=idempotency_key,
            )
        )
    session.flush()
