"""Rematching: a pair ends early as "not a fit", or goes quiet and is warned, then closed; both return to the pool.

Quiet-pair rules live under ``rematch`` in a programme's matching settings:
``quiet_weeks`` (default 6) without a completed check-in earns a warning to
both people; ``grace_days`` (default 14) later, still without one, the pair is
closed. A check-in completed after the warning clears it. The sweep is safe to
run any number of times: warnings have idempotency keys and closing is a
named transition from an open status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandem.workflows.clock import Clock, as_utc

from ..errors import NotAllowed, NotFound, Refused
from ..models import CheckIn, Pairing, Person, Programme
from .notices import notify
from .pairings import end_pairing

NOT_A_FIT = "not a fit"
MAX_REASON = 500


@dataclass(frozen=True)
class RematchRules:
    """When a quiet pair is warned and when it is closed."""

    quiet_weeks: int = 6
    grace_days: int = 14

    @classmethod
    def of(cls, programme: Programme) -> RematchRules:
        """The rules stored under ``rematch`` in the programme's matching settings."""
        raw: dict[str, Any] = (programme.matching_settings or {}).get("rematch") or {}
        return cls(quiet_weeks=int(raw.get("quiet_weeks", 6)), grace_days=int(raw.get("grace_days", 14)))


@dataclass
class SweepResult:
    """What one sweep did."""

    warned: list[int]
    closed: list[int]
    cleared: list[int]


def completed_checkins(session: Session, pairing_id: int) -> int:
    """How many check-ins of the pair have been answered."""
    return session.scalar(
        select(func.count(CheckIn.id)).where(CheckIn.pairing_id == pairing_id, CheckIn.status == "completed")
    )


def own_pairing(session: Session, pairing_id: int, person_id: int) -> Pairing:
    """A pairing ``person_id`` belongs to; :class:`NotFound` otherwise."""
    pairing = session.get(Pairing, pairing_id)
    if pairing is None or person_id not in (pairing.mentor_id, pairing.mentee_id):
        raise NotFound("There is no such pairing among yours.", "pairing")
    return pairing


def end_early(session: Session, pairing: Pairing, person: Person, reason: str, clock: Clock) -> None:
    """End a running pair as "not a fit" once it has had its first conversation (a completed check-in).

    Both people are told; the mentee goes back to the pool and is never proposed this mentor again.
    """
    if len(reason) > MAX_REASON:
        raise Refused(f"Keep the reason under {MAX_REASON} characters.", "reason")
    if pairing.status != "active":
        raise NotAllowed(f"This pairing is {pairing.status}; only a running pairing can end early.", "pairing")
    if completed_checkins(session, pairing.id) == 0:
        raise NotAllowed(
            "Give it one conversation first: a pair can end as not a fit after its first check-in.", "pairing"
        )
    text = f"{NOT_A_FIT}: {reason.strip()}" if reason.strip() else NOT_A_FIT
    end_pairing(session, pairing, clock, text, person.full_name)
    notify(
        session,
        [pairing.mentee_id, pairing.mentor_id],
        "matching/pairing-ended",
        f"pairing:{pairing.id}:ended",
        subject=f"Your pairing in {pairing.programme.name} has ended",
        programme=pairing.programme.name,
        ended_by=person.full_name,
        quiet=False,
    )


def last_answers(session: Session) -> dict[int, datetime]:
    """When each running pair last completed a check-in (pairs with none are absent), in one query."""
    rows = session.execute(
        select(CheckIn.pairing_id, func.max(CheckIn.completed_at))
        .join(Pairing, Pairing.id == CheckIn.pairing_id)
        .where(Pairing.status == "active", CheckIn.status == "completed")
        .group_by(CheckIn.pairing_id)
    ).all()
    return {pairing_id: as_utc(at) for pairing_id, at in rows if at is not None}


def sweep_quiet_pairs(session: Session, clock: Clock) -> SweepResult:
    """Warn running pairs quiet for ``quiet_weeks``; close those still quiet ``grace_days`` after the warning."""
    now = clock.now()
    result = SweepResult([], [], [])
    query = (
        select(Pairing)
        .join(Programme, Programme.id == Pairing.programme_id)
        .where(Pairing.status == "active", Programme.kind == "mentoring")
        .order_by(Pairing.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Pairing, skip_locked=True)  # several schedulers may sweep at once
    running = session.scalars(query).all()
    answered = last_answers(session)
    for pairing in running:
        rules = RematchRules.of(pairing.programme)
        moments = [answered.get(pairing.id), pairing.started_at, pairing.proposed_at]
        last = max(as_utc(m) for m in moments if m is not None)
        warned = as_utc(pairing.warned_at) if pairing.warned_at else None
        if warned is not None and last > warned:
            pairing.warned_at = None
            result.cleared.append(pairing.id)
        elif warned is None and last < now - timedelta(weeks=rules.quiet_weeks):
            pairing.warned_at = now
            _tell(session, pairing, "matching/quiet-warning", f"pairing:{pairing.id}:quiet:{now:%Y%m%d}", rules)
            result.warned.append(pairing.id)
        elif warned is not None and warned < now - timedelta(days=rules.grace_days):
            reason = f"quiet: no completed check-in for {rules.quiet_weeks} weeks and {rules.grace_days} days' notice"
            end_pairing(session, pairing, clock, reason, "the quiet-pair rule")
            _tell(session, pairing, "matching/pairing-ended", f"pairing:{pairing.id}:ended", rules, quiet=True)
            result.closed.append(pairing.id)
    session.flush()
    return result


def _tell(session: Session, pairing: Pairing, template: str, key: str, rules: RematchRules, **extra: Any) -> None:
    notify(
        session,
        [pairing.mentee_id, pairing.mentor_id],
        template,
        key,
        subject=f"Your pairing in {pairing.programme.name}",
        programme=pairing.programme.name,
        quiet_weeks=rules.quiet_weeks,
        grace_days=rules.grace_days,
        **extra,
    )
