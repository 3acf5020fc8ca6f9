"""Keeping the report data equal to the data it counts, inside the transaction that changes it.

:func:`refresh` takes the people whose numbers may have changed (and those
whose place in the organisation changed), recomputes their statistics from the
data itself, and adds the difference to the sums of every manager above them:
old numbers subtracted along their old reporting line, new numbers added along
the new one. Recomputing (rather than applying each change's own delta) makes
a refresh safe to repeat and correct whatever the change was.

:func:`rebuild` recomputes everything at once (after a bulk load, a new
definition, or a refresh too large to do person by person).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, exists, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from ..models import OPEN_PAIRING_STATUSES, CheckIn, Enrolment, Pairing, Person, PersonStat, RollupState, SubtreeStat
from ..portable import id_set, is_postgres, upsert_adding
from . import lines
from .stats import LIVE_PAIRINGS, VERSION, stat_rows

REBUILD_ABOVE = 5_000
MATCHED = (*LIVE_PAIRINGS, "closed")  # ever matched
PERSON_STATS = PersonStat.__table__
SUBTREE_STATS = SubtreeStat.__table__


def refresh(session: Session, touched: Iterable[int], moved: Iterable[int] = ()) -> None:
    """Bring the report data of ``touched`` people, and of everyone under the ``moved`` ones, up to date."""
    moved = set(moved)
    affected = set(touched) | moved
    if moved:
        affected |= lines.below(session, moved)
    if not affected:
        return
    if len(affected) > REBUILD_ABOVE:
        rebuild(session)
        return
    members = id_set(session, sorted(affected))
    if is_postgres(session):
        # Two transactions refreshing the same person wait for each other here (rows locked in id order, so
        # never a deadlock), and the second then reads the first one's numbers as its "old" ones. FOR NO KEY
        # UPDATE, not FOR UPDATE: the key-share locks that inserting a check-in, notification or subtree row
        # takes on a person (its foreign key) must not wait for it, or two refreshes touching each other's
        # people and managers lock in two orders (the deadlock seen on tandem_subtree_stat).
        session.execute(select(Person.id).where(members(Person.id)).order_by(Person.id).with_for_update(key_share=True))
    stored = select(PERSON_STATS.c.person_id, PERSON_STATS.c.stat, PERSON_STATS.c.value)
    old_stats = _by_person(session.execute(stored.where(members(PERSON_STATS.c.person_id))))
    old_lines = lines.managers_of(session, members)
    if moved:
        lines.rewrite(session, members)
    new_lines = lines.managers_of(session, members) if moved else old_lines
    session.execute(delete(PERSON_STATS).where(members(PERSON_STATS.c.person_id)))
    new_rows = session.execute(stat_rows(session, members)).all()
    if new_rows:
        session.execute(insert(PERSON_STATS), [{"person_id": p, "stat": s, "value": v} for p, s, v in new_rows])
    new_stats = _by_person(new_rows)
    changes: Counter[tuple[int, str]] = Counter()
    for person_id in affected:
        old, new = old_stats.get(person_id, {}), new_stats.get(person_id, {})
        if old == new and old_lines.get(person_id) == new_lines.get(person_id):
            continue
        for root in old_lines.get(person_id, []):
            changes.subtract({(root, stat): value for stat, value in old.items()})
        for root in new_lines.get(person_id, []):
            changes.update({(root, stat): value for stat, value in new.items()})
    _add_to_subtrees(session, changes)
    _update_progress(session, members)


def rebuild(session: Session) -> None:
    """Recompute every reporting line, statistic, subtree sum and enrolment's progress from the data."""
    lines.rewrite(session)
    session.execute(delete(PERSON_STATS))
    session.execute(insert(PERSON_STATS).from_select(["person_id", "stat", "value"], stat_rows(session)))
    session.execute(delete(SUBTREE_STATS))
    line = lines.LINES
    sums = (
        select(line.c.ancestor_id, PERSON_STATS.c.stat, func.sum(PERSON_STATS.c.value))
        .join(line, and_(line.c.person_id == PERSON_STATS.c.person_id, line.c.depth > 0))
        .group_by(line.c.ancestor_id, PERSON_STATS.c.stat)
    )
    session.execute(insert(SUBTREE_STATS).from_select(["root_id", "stat", "value"], sums))
    _update_progress(session, None)
    _record_version(session)


def is_current(session: Session) -> bool:
    """True when the stored report data was built with the statistics' current definitions."""
    state = session.get(RollupState, "version")
    return state is not None and state.value == VERSION


def _record_version(session: Session) -> None:
    state = RollupState.__table__
    session.execute(delete(state).where(state.c.name == "version"))
    session.execute(insert(state).values(name="version", value=VERSION))


def _by_person(rows: Iterable[Any]) -> dict[int, dict[str, int]]:
    """``(person_id, stat, value)`` rows as each person's ``{stat: value}``."""
    found: dict[int, dict[str, int]] = {}
    for person_id, stat, value in rows:
        found.setdefault(person_id, {})[stat] = value
    return found


def _add_to_subtrees(session: Session, changes: Counter[tuple[int, str]]) -> None:
    """Add each change to its subtree sum, in key order (so concurrent refreshes lock rows in one order)."""
    rows = [{"root_id": root, "stat": stat, "value": value} for (root, stat), value in sorted(changes.items()) if value]
    upsert_adding(session, SUBTREE_STATS, ("root_id", "stat"), rows)
    emptied = [{"r": row["root_id"], "s": row["stat"]} for row in rows]
    if emptied:
        session.execute(
            delete(SUBTREE_STATS).where(
                SUBTREE_STATS.c.root_id == bindparam("r"),
                SUBTREE_STATS.c.stat == bindparam("s"),
                SUBTREE_STATS.c.value == 0,
            ),
            emptied,
        )


def _update_progress(session: Session, members: Callable[[Any], Any] | None) -> None:
    """Each enrolment's progress in its programme: completed check-ins, ever matched, paired now, live mentees."""
    table = Enrolment.__table__
    other = aliased(Enrolment)
    completed = (
        select(func.count(CheckIn.id))
        .outerjoin(Pairing, Pairing.id == CheckIn.pairing_id)
        .outerjoin(other, other.id == CheckIn.enrolment_id)
        .where(
            CheckIn.respondent_id == table.c.person_id,
            CheckIn.status == "completed",
            func.coalesce(Pairing.programme_id, other.programme_id) == table.c.programme_id,
        )
        .scalar_subquery()
    )

    def paired_as_mentee(statuses: tuple[str, ...]) -> Any:
        return exists().where(
            Pairing.programme_id == table.c.programme_id,
            Pairing.mentee_id == table.c.person_id,
            Pairing.status.in_(statuses),
        )

    mentees = (
        select(func.count(Pairing.id))
        .where(
            Pairing.programme_id == table.c.programme_id,
            Pairing.mentor_id == table.c.person_id,
            Pairing.status.in_(LIVE_PAIRINGS),
        )
        .scalar_subquery()
    )
    statement = update(table).values(
        completed_checkins=completed,
        matched=case((paired_as_mentee(MATCHED), True), else_=False),
        paired=case((paired_as_mentee(OPEN_PAIRING_STATUSES), True), else_=False),
        mentees=mentees,
    )
    if members is not None:
        statement = statement.where(members(table.c.person_id))
    session.execute(statement)
