"""A programme's pool, read from the database, and the optimal matcher behind the ``match`` step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandem.plugin.models import Enrolment, Pairing, Person, Programme

from .pool import Member
from .settings import MatchSettings
from .simple import OPEN_PAIRING, Proposal
from .solver import Solution, solve


@dataclass
class Pool:
    """Who can be matched in one programme right now."""

    mentees: list[Member]
    mentors: list[Member]
    previous: set[tuple[int, int]]
    people: dict[int, Person]


def utc_offset_minutes(name: str, when: datetime) -> int:
    """The offset of time zone ``name`` from UTC at ``when``, in minutes (0 for an unknown zone)."""
    try:
        offset = datetime.fromtimestamp(when.timestamp(), ZoneInfo(name or "UTC")).utcoffset()
    except (KeyError, ValueError):
        return 0
    return int(offset.total_seconds() // 60) if offset is not None else 0


def _chains(session: Session) -> dict[int, tuple[int, ...]]:
    """Every person's managers, nearest first (cycles in bad data are cut)."""
    boss = dict(session.execute(select(Person.id, Person.manager_id)).tuples().all())
    chains: dict[int, tuple[int, ...]] = {}
    for start in boss:
        up, seen, current = [], {start}, boss.get(start)
        while current is not None and current not in seen:
            up.append(current)
            seen.add(current)
            current = boss.get(current)
        chains[start] = tuple(up)
    return chains


def member(
    person: Person, chains: dict[int, tuple[int, ...]], topics: list[str], capacity: int, now: datetime
) -> Member:
    """A person as the solver sees them."""
    today: date = now.date()
    tenure = (today - person.hire_date).days // 365 if person.hire_date else 0
    return Member(
        id=person.id,
        department=person.department or "",
        team=person.manager_id,
        managers=chains.get(person.id, ()),
        seniority=person.seniority or 0,
        tenure_years=max(0, tenure),
        utc_offset_minutes=utc_offset_minutes(person.timezone, now),
        languages=frozenset(person.languages or []),
        topics=frozenset(topics or []),
        interests=frozenset(person.interests or []),
        location=person.location or "",
        capacity=capacity,
        unavailable="" if person.status == "active" else ("on leave" if person.status == "on_leave" else "left"),
    )


def load_pool(session: Session, programme: Programme, now: datetime | None = None) -> Pool:
    """Mentees without an open pairing and mentors with their remaining capacity, in ``programme``."""
    now = now or datetime.now(UTC)
    chains = _chains(session)
    load = dict(
        session.execute(
            select(Pairing.mentor_id, func.count(Pairing.id))
            .where(Pairing.programme_id == programme.id, Pairing.status.in_(OPEN_PAIRING))
            .group_by(Pairing.mentor_id)
        )
        .tuples()
        .all()
    )
    paired = set(
        session.scalars(
            select(Pairing.mentee_id).where(Pairing.programme_id == programme.id, Pairing.status.in_(OPEN_PAIRING))
        )
    )
    rows = session.execute(
        select(Enrolment, Person)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.programme_id == programme.id, Enrolment.status == "active")
        .order_by(Person.id)
    ).all()
    mentees, mentors, people = [], [], {}
    for enrolment, person in rows:
        people[person.id] = person
        if enrolment.role == "mentee" and person.id not in paired:
            mentees.append(member(person, chains, list(enrolment.goals or []), 1, now))
        elif enrolment.role == "mentor":
            free = max(0, (enrolment.capacity or 0) - load.get(person.id, 0))
            mentors.append(member(person, chains, list(person.skills or []), free, now))
    previous = {(a, b) for a, b in session.execute(select(Pairing.mentee_id, Pairing.mentor_id)).tuples()}
    previous |= {(b, a) for a, b in previous}
    return Pool(mentees, mentors, previous, people)


def solve_programme(session: Session, programme: Programme, settings: MatchSettings | None = None) -> Solution:
    """Solve ``programme``'s whole pool with its own settings (or ``settings``)."""
    pool = load_pool(session, programme)
    chosen = settings or MatchSettings.from_json(programme.matching_settings)
    return solve(pool.mentees, pool.mentors, chosen, pool.previous)


class OptimalMatcher:
    """The ``match`` step's matcher on the optimal solver: one person against the programme's free mentors."""

    def find(self, session: Session, person: Person, programme: Programme | None, role: str) -> Proposal | None:
        """See :class:`~tandem.workflows.matching.simple.Matcher`."""
        if programme is None:
            return None
        pool = load_pool(session, programme)
        chains = _chains(session)
        goals = session.scalar(
            select(Enrolment.goals).where(
                Enrolment.programme_id == programme.id, Enrolment.person_id == person.id, Enrolment.role != "mentor"
            )
        )
        seeker = member(person, chains, list(goals or person.skills or []), 1, datetime.now(UTC))
        mentors = [m for m in pool.mentors if m.id != person.id]
        chosen = MatchSettings.from_json(programme.matching_settings)
        solution = solve([seeker], mentors, chosen, pool.previous)
        if not solution.pairs:
            return None
        pair = solution.pairs[0]
        return Proposal(pool.people[pair.mentor], float(pair.score), {k: float(v) for k, v in pair.breakdown.items()})
