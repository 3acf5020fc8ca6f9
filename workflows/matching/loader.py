"""A programme's pool, read from the database, and the optimal matcher behind the ``match`` step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandem.plugin.models import (
    OPEN_PAIRING_STATUSES,
    Enrolment,
    Facts,
    Pairing,
    Person,
    Profile,
    Programme,
    effective,
)
from tandem.plugin.portable import id_set

from .interface import Proposal
from .pool import Member
from .settings import MatchSettings
from .solver import Assignment, Unmatched, solve

DAY_START_MINUTES = 9 * 60  # the local start of the working day the kernels assume


@dataclass
class Pool:
    """Who can be matched in one programme right now."""

    mentees: list[Member]
    mentors: list[Member]
    previous: set[tuple[int, int]]
    people: dict[int, Person]
    chains: dict[int, tuple[int, ...]]


def utc_offset_minutes(name: str, when: datetime) -> int:
    """The offset of time zone ``name`` from UTC at ``when``, in minutes (0 for an unknown zone)."""
    try:
        offset = datetime.fromtimestamp(when.timestamp(), ZoneInfo(name or "UTC")).utcoffset()
    except (KeyError, ValueError):
        return 0
    return int(offset.total_seconds() // 60) if offset is not None else 0


def manager_chains(session: Session) -> dict[int, tuple[int, ...]]:
    """Every person's managers, nearest first (cycles in bad data are cut)."""
    boss = dict(session.execute(select(Person.id, Person.manager_id)).all())
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
    person: Person,
    chains: dict[int, tuple[int, ...]],
    topics: list[str],
    capacity: int,
    now: datetime,
    facts: Facts | None = None,
) -> Member:
    """A person as the solver sees them; ``facts`` (their profile over the directory) give languages,
    place, time zone and working hours (the directory's alone when None).

    Topics, languages and interests compare ignoring case ("Python" is "python"). The kernels compare
    8-hour days that start at the same local time; working hours that start earlier or later shift the
    person's offset by as much, so the overlap the solver scores is real shared time.
    """
    facts = facts or effective(person, None)
    today: date = now.date()
    tenure = (today - person.hire_date).days // 365 if person.hire_date else 0
    shift = facts.work_start.hour * 60 + facts.work_start.minute - DAY_START_MINUTES
    return Member(
        id=person.id,
        department=person.department or "",
        team=person.manager_id,
        managers=chains.get(person.id, ()),
        seniority=person.seniority or 0,
        tenure_years=max(0, tenure),
        utc_offset_minutes=utc_offset_minutes(facts.timezone, now) - shift,
        languages=frozenset(value.casefold() for value in facts.languages),
        topics=frozenset(value.casefold() for value in topics or []),
        interests=frozenset(value.casefold() for value in person.interests or []),
        location=facts.location,
        capacity=capacity,
        unavailable="" if person.status == "active" else ("on leave" if person.status == "on_leave" else "left"),
    )


def facts_of(session: Session, people: list[Person], programme: Programme | None = None) -> dict[int, Facts]:
    """Each person's :func:`~tandem.plugin.models.effective` facts (one query for the profiles)."""
    query = select(Profile)
    if programme is not None:
        query = query.join(Enrolment, Enrolment.person_id == Profile.person_id).where(
            Enrolment.programme_id == programme.id
        )
    else:
        query = query.where(id_set(session, sorted({p.id for p in people}))(Profile.person_id))
    profiles = {profile.person_id: profile for profile in session.scalars(query)}
    return {person.id: effective(person, profiles.get(person.id)) for person in people}


def load_pool(session: Session, programme: Programme, now: datetime | None = None) -> Pool:
    """Mentees without an open pairing and mentors with their remaining capacity, in ``programme``."""
    now = now or datetime.now(UTC)
    chains = manager_chains(session)
    load = dict(
        session.execute(
            select(Pairing.mentor_id, func.count(Pairing.id))
            .where(Pairing.programme_id == programme.id, Pairing.status.in_(OPEN_PAIRING_STATUSES))
            .group_by(Pairing.mentor_id)
        ).all()
    )
    paired = set(
        session.scalars(
            select(Pairing.mentee_id).where(
                Pairing.programme_id == programme.id, Pairing.status.in_(OPEN_PAIRING_STATUSES)
            )
        )
    )
    rows = session.execute(
        select(Enrolment, Person)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.programme_id == programme.id, Enrolment.status == "active")
        .order_by(Person.id)
    ).all()
    mentees, mentors, people = [], [], {}
    facts = facts_of(session, [person for _, person in rows], programme)
    for enrolment, person in rows:
        people[person.id] = person
        mine = facts[person.id]
        if enrolment.role == "mentee" and person.id not in paired:
            mentees.append(member(person, chains, list(enrolment.goals or mine.want_to_learn), 1, now, mine))
        elif enrolment.role == "mentor":
            free = max(0, (enrolment.capacity or 0) - load.get(person.id, 0))
            mentors.append(member(person, chains, list(mine.help_with), free, now, mine))
    return Pool(mentees, mentors, previous_pairs(session), people, chains)


def seeker(session: Session, programme: Programme, person: Person, chains: dict[int, tuple[int, ...]]) -> Member:
    """``person`` as a mentee of ``programme``: their enrolment's goals, else what their profile says they want
    to learn, else what they can help with (their skills)."""
    goals = session.scalar(
        select(Enrolment.goals).where(
            Enrolment.programme_id == programme.id, Enrolment.person_id == person.id, Enrolment.role != "mentor"
        )
    )
    mine = facts_of(session, [person])[person.id]
    return member(person, chains, list(goals or mine.want_to_learn or mine.help_with), 1, datetime.now(UTC), mine)


def suggest(
    session: Session,
    programme: Programme,
    person: Person,
    settings: MatchSettings,
    k: int = 5,
    exclude: set[int] = frozenset(),
) -> tuple[list[Assignment], str]:
    """The ``k`` best mentors with a free place for ``person``, best first, each with its breakdown.

    Each comes from the same solver as a whole-pool run (one mentee against every free mentor, the best
    taken out before asking again). With no suggestion, the second value says why.
    """
    pool = load_pool(session, programme)
    wanted = seeker(session, programme, person, pool.chains)
    mentors = [m for m in pool.mentors if m.capacity > 0 and m.id != person.id and m.id not in exclude]
    found: list[Assignment] = []
    reason = "no mentor has a free place" if not mentors else ""
    while mentors and len(found) < k:
        solution = solve([wanted], mentors, settings, pool.previous)
        if not solution.pairs:
            reason = solution.unmatched[0].reason if solution.unmatched else "no eligible mentor"
            break
        found.append(solution.pairs[0])
        mentors = [m for m in mentors if m.id != solution.pairs[0].mentor]
    return found, ("" if found else reason)


def score_pairs(
    session: Session,
    programme: Programme,
    settings: MatchSettings,
    pairs: list[tuple[int, int]],
    previous: set[tuple[int, int]] | None = None,
) -> dict[tuple[int, int], Assignment | Unmatched]:
    """Each (mentee, mentor) pair scored by the solver: an :class:`Assignment` with its breakdown, or an
    :class:`Unmatched` saying which hard constraint it breaks (a previous pair among them; ``previous``
    replaces the pairs the database remembers, e.g. to check pairs that exist already)."""
    chains = manager_chains(session)
    previous = previous_pairs(session) if previous is None else previous
    everyone = id_set(session, sorted({x for pair in pairs for x in pair}))
    people = {p.id: p for p in session.scalars(select(Person).where(everyone(Person.id)))}
    facts = facts_of(session, list(people.values()))
    scored: dict[tuple[int, int], Assignment | Unmatched] = {}
    for mentee_id, mentor_id in pairs:
        mine = facts[mentor_id]
        mentor = member(people[mentor_id], chains, list(mine.help_with), 1, datetime.now(UTC), mine)
        solution = solve([seeker(session, programme, people[mentee_id], chains)], [mentor], settings, previous)
        scored[(mentee_id, mentor_id)] = solution.pairs[0] if solution.pairs else solution.unmatched[0]
    return scored


def previous_pairs(session: Session) -> set[tuple[int, int]]:
    """Every (mentee, mentor) pair that ever had a pairing, both ways round: never proposed again."""
    previous = {(a, b) for a, b in session.execute(select(Pairing.mentee_id, Pairing.mentor_id))}
    return previous | {(b, a) for a, b in previous}


class OptimalMatcher:
    """The ``match`` step's matcher on the optimal solver: one person against the programme's free mentors."""

    def find(self, session: Session, person: Person, programme: Programme | None, role: str) -> Proposal | None:
        """See :class:`~tandem.workflows.matching.interface.Matcher`."""
        if programme is None:
            return None
        chosen = MatchSettings.from_json(programme.matching_settings)
        found, _why = suggest(session, programme, person, chosen, k=1)
        if not found:
            return None
        pair = found[0]
        mentor = session.get(Person, pair.mentor)
        return Proposal(mentor, float(pair.score), {k: float(v) for k, v in pair.breakdown.items()})
