"""Claiming due timers with a lease, so any number of schedulers can run at once.

On PostgreSQL the claim is ``SELECT … FOR UPDATE SKIP LOCKED``: two schedulers
never claim the same timer. A claim whose message could not be published is
released at once (:func:`release`); a claimed timer whose lease expires (its
message was lost, its scheduler died between claiming and publishing) is
claimed again. Leases are short: a worker running a timer holds its row
locked, which keeps it from being claimed again for as long as the work runs
(and ends with the worker's connection if it dies).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tandem.plugin.models import Timer

from .clock import Clock

LEASE = timedelta(seconds=30)


def claim_due(session: Session, clock: Clock, owner: str, limit: int = 500, lease: timedelta = LEASE) -> list[int]:
    """Claim up to ``limit`` due timers for ``owner``; commits, and returns their ids."""
    now = clock.now()
    postgres = session.get_bind().dialect.name == "postgresql"
    queries = [
        select(Timer.id).where(Timer.status == "pending", Timer.due_at <= now).order_by(Timer.due_at, Timer.id),
        select(Timer.id).where(Timer.status == "claimed", Timer.lease_until < now).order_by(Timer.lease_until),
    ]
    ids: list[int] = []
    for query in queries:
        query = query.limit(limit - len(ids))
        if postgres:
            query = query.with_for_update(skip_locked=True)
        ids += session.scalars(query)
        if len(ids) >= limit:
            break
    if ids:
        session.execute(
            update(Timer).where(Timer.id.in_(ids)).values(status="claimed", lease_until=now + lease, claimed_by=owner)
        )
    session.commit()
    return ids


def release(session: Session, timer_ids: list[int], owner: str) -> int:
    """Hand back ``owner``'s claims on ``timer_ids`` (their message was never published); commits, returns how many."""
    if not timer_ids:
        return 0
    released = session.execute(
        update(Timer)
        .where(Timer.id.in_(timer_ids), Timer.status == "claimed", Timer.claimed_by == owner)
        .values(status="pending", lease_until=None, claimed_by="")
    ).rowcount
    session.commit()
    return released
