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

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    case,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, aliased

from ..models import OPEN_PAIRING_STATUSES, CheckIn, Enrolment, Pairing, Person, PersonStat, RollupState, SubtreeStat
from ..portable import delete_pairs, id_set, id_set_parameter, id_set_value, is_postgres, upsert
from . import lines
from .stats import FAMILIES, LIVE_PAIRINGS, VERSION, family_of, heads_of, stat_rows

REBUILD_ABOVE = 5_000
PROGRESS = ("completed_checkins", "matched", "paired", "mentees")  # an enrolment's progress columns
MATCHED = (*LIVE_PAIRINGS, "closed")  # ever matched
PERSON_STATS = PersonStat.__table__
SUBTREE_STATS = SubtreeStat.__table__


def refresh(
    session: Session,
    touched: Iterable[int],
    moved: Iterable[int] = (),
    families: Iterable[str] | None = None,
    progress: Iterable[str] | None = None,
) -> None:
    """Bring the report data of ``touched`` people, and of everyone under the ``moved`` ones, up to date.

    ``families`` (of :data:`~tandem.plugin.rollups.stats.FAMILIES`) and ``progress`` (of :data:`PROGRESS`)
    narrow it to what the change can have moved (everything when None, or when anyone moved). Only the
    statistics whose values differ are written, and only to the sums they change: on PostgreSQL, when nobody
    moved, the lock and one statement (:func:`_refresh_in_one_statement`); otherwise one statement per table.
    """
    moved = set(moved)
    affected = set(touched) | moved
    if moved:
        affected |= lines.below(session, moved)
        families, progress = None, None
    if not affected:
        return
    if len(affected) > REBUILD_ABOVE:
        rebuild(session)
        return
    wanted = set(FAMILIES if families is None else families)
    columns = PROGRESS if progress is None else tuple(column for column in PROGRESS if column in set(progress))
    if not moved and is_postgres(session):
        _refresh_in_one_statement(session, sorted(affected), frozenset(wanted), columns)
        return
    members = id_set(session, sorted(affected))
    # One statement locks the people (on PostgreSQL) and reads their reporting lines. Two transactions refreshing
    # the same person wait for each other here (rows locked in id order, so never a deadlock), and the second
    # then reads the first one's numbers as its "old" ones. FOR NO KEY UPDATE, not FOR UPDATE: the key-share locks
    # that inserting a check-in, notification or subtree row takes on a person (its foreign key) must not wait for
    # it, or two refreshes touching each other's people and managers lock in two orders (the deadlock seen on
    # tandem_subtree_stat).
    old_lines = lines.managers_of(session, members, lock=is_postgres(session))
    if moved:
        lines.rewrite(session, members)
    new_lines = lines.managers_of(session, members) if moved else old_lines
    old_stats: dict[int, dict[str, int]] = {}
    new_stats: dict[int, dict[str, int]] = {}
    if wanted:
        old_stats, new_stats = _old_and_new(session, sorted(affected), wanted)
        _write_person_stats(session, affected, old_stats, new_stats)
    changes: Counter[tuple[int, str]] = Counter()
    for person_id in affected:
        old, new = old_stats.get(person_id, {}), new_stats.get(person_id, {})
        old_line, new_line = old_lines.get(person_id, []), new_lines.get(person_id, [])
        if old_line != new_line:  # moved (every family was recomputed): the old sums lose them, the new gain them
            for root in old_line:
                changes.subtract({(root, stat): value for stat, value in old.items()})
            for root in new_line:
                changes.update({(root, stat): value for stat, value in new.items()})
            continue
        delta = {stat: new.get(stat, 0) - old.get(stat, 0) for stat in old.keys() | new.keys()}
        delta = {stat: value for stat, value in delta.items() if value}
        for root in new_line:
            changes.update({(root, stat): value for stat, value in delta.items()})
    _add_to_subtrees(session, changes)
    if columns:
        _update_progress(session, sorted(affected), columns)


MEMBERS = "tandem_refresh_members"
_ONCE: dict[str, Any] = {}  # PostgreSQL's lock and zero-sum delete, built on first use
_COMBINED: dict[tuple[frozenset[str], tuple[str, ...]], Any] = {}


def _refresh_in_one_statement(
    session: Session, ids: list[int], wanted: frozenset[str], columns: tuple[str, ...]
) -> None:
    """PostgreSQL, nobody moved: lock the people, then ONE statement recomputes their statistics, writes those
    that differ, adds the differences to their managers' sums and updates their enrolments' progress.

    Three round trips at most: the lock (it must come first: the statement's snapshot, taken after it, then reads
    the numbers a concurrent refresh of the same people committed), the statement, and only when it brought a sum
    to zero a delete of that sum (a statement cannot delete a row it updates itself). Built once per set of
    families and progress columns, the people a bound parameter (psycopg prepares it on the server once it repeats).
    """
    connection = session.connection()
    value = {MEMBERS: id_set_value(session, ids)}
    if not _ONCE:
        members = id_set_parameter(session, MEMBERS)
        # FOR NO KEY UPDATE in id order: see lines.managers_of. The lock also sets, for the rest of this transaction
        # (the refresh, then its commit), that prepared statements run their generic plan: PostgreSQL otherwise kept
        # re-planning the combined statement on each answer (a custom plan for the array looked cheaper), and
        # planning it cost several times what running it does (EXPLAIN at 100,000 people: 0.6-1 ms to run).
        _ONCE["lock"] = (
            select(Person.id, func.set_config("plan_cache_mode", "force_generic_plan", True))
            .where(members(Person.id))
            .order_by(Person.id)
            .with_for_update(of=Person, key_share=True)
        )
        zeroed = (
            func.unnest(bindparam("roots", type_=ARRAY(Integer)), bindparam("stats", type_=ARRAY(String)))
            .table_valued("root_id", "stat")
            .render_derived()
        )
        _ONCE["drop zeros"] = delete(SUBTREE_STATS).where(
            SUBTREE_STATS.c.root_id == zeroed.c.root_id,
            SUBTREE_STATS.c.stat == zeroed.c.stat,
            SUBTREE_STATS.c.value == 0,
        )
    connection.execute(_ONCE["lock"], value)
    if not (wanted or columns):
        return
    key = (wanted, columns)
    if key not in _COMBINED:
        _COMBINED[key] = _combined_statement(session, wanted, columns)
    zeroed = connection.execute(_COMBINED[key], value).all()
    if zeroed:
        roots, stats = zip(*zeroed, strict=True)
        connection.execute(_ONCE["drop zeros"], {"roots": list(roots), "stats": list(stats)})


def _combined_statement(session: Session, wanted: frozenset[str], columns: tuple[str, ...]) -> Any:
    """The statement :func:`_refresh_in_one_statement` runs: data-modifying CTEs, all on one snapshot.

    ``fresh`` recomputed and ``stored`` numbers → ``diff`` (those that differ, with the difference) → ``gone``
    (delete vanished ones), ``written`` (upsert new and changed ones), ``added`` (the differences summed per
    manager above, non-zero ones upserted in key order so concurrent refreshes lock shared sums in one order) and
    ``progress``; it returns the sums it brought to zero."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    members = id_set_parameter(session, MEMBERS)
    extra: list[Any] = []
    result: Any = select(literal(0), literal("")).where(false())
    if wanted:
        fresh = stat_rows(session, members, wanted).cte("fresh")
        fresh_person, fresh_stat, fresh_value = list(fresh.c)
        stored = (
            select(PERSON_STATS.c.person_id, PERSON_STATS.c.stat, PERSON_STATS.c.value)
            .where(
                members(PERSON_STATS.c.person_id), func.split_part(PERSON_STATS.c.stat, ":", 1).in_(heads_of(wanted))
            )
            .cte("stored")
        )
        both = fresh.join(stored, and_(stored.c.person_id == fresh_person, stored.c.stat == fresh_stat), full=True)
        diff = (
            select(
                func.coalesce(fresh_person, stored.c.person_id).label("person_id"),
                func.coalesce(fresh_stat, stored.c.stat).label("stat"),
                fresh_value.label("value"),
                (func.coalesce(fresh_value, 0) - func.coalesce(stored.c.value, 0)).label("delta"),
            )
            .select_from(both)
            .where(fresh_value.is_distinct_from(stored.c.value))
            .cte("diff")
        )
        gone = (
            delete(PERSON_STATS)
            .where(PERSON_STATS.c.person_id == diff.c.person_id, PERSON_STATS.c.stat == diff.c.stat)
            .where(diff.c.value.is_(None))
            .returning(PERSON_STATS.c.person_id)
            .cte("gone")
        )
        written = pg_insert(PERSON_STATS).from_select(
            ["person_id", "stat", "value"],
            select(diff.c.person_id, diff.c.stat, diff.c.value).where(diff.c.value.is_not(None)),
        )
        written = (
            written.on_conflict_do_update(index_elements=["person_id", "stat"], set_={"value": written.excluded.value})
            .returning(PERSON_STATS.c.person_id)
            .cte("written")
        )
        line = lines.LINES
        change = func.sum(diff.c.delta)
        sums = (
            select(line.c.ancestor_id, diff.c.stat, change)
            .join(line, and_(line.c.person_id == diff.c.person_id, line.c.depth > 0))
            .group_by(line.c.ancestor_id, diff.c.stat)
            .having(change != 0)
            .order_by(line.c.ancestor_id, diff.c.stat)
        )
        added = pg_insert(SUBTREE_STATS).from_select(["root_id", "stat", "value"], sums)
        added = (
            added.on_conflict_do_update(
                index_elements=["root_id", "stat"], set_={"value": SUBTREE_STATS.c.value + added.excluded.value}
            )
            .returning(SUBTREE_STATS.c.root_id, SUBTREE_STATS.c.stat, SUBTREE_STATS.c.value)
            .cte("added")
        )
        extra += [gone, written]
        result = select(added.c.root_id, added.c.stat).where(added.c.value == 0)
    if columns:
        extra.append(_progress_statement(members, columns).returning(Enrolment.__table__.c.id).cte("progress"))
    return result.add_cte(*extra)


_OLD_AND_NEW: dict[tuple[str, frozenset[str]], Any] = {}


def _old_and_new(
    session: Session, ids: Iterable[int], wanted: set[str]
) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """The stored and the recomputed statistics of the ``wanted`` families, per person, in one statement.

    The statement is built once per database and set of families (building it took longer than running it)."""
    key = (session.get_bind().dialect.name, frozenset(wanted))
    if key not in _OLD_AND_NEW:
        members = id_set_parameter(session, MEMBERS)
        fresh = stat_rows(session, members, wanted).subquery("fresh")
        stored = select(literal(0).label("new"), PERSON_STATS.c.person_id, PERSON_STATS.c.stat, PERSON_STATS.c.value)
        _OLD_AND_NEW[key] = union_all(
            stored.where(members(PERSON_STATS.c.person_id)),
            select(literal(1).label("new"), *fresh.c),
        )
    old: list[tuple[int, str, int]] = []
    new: list[tuple[int, str, int]] = []
    for is_new, person_id, stat, value in session.execute(_OLD_AND_NEW[key], {MEMBERS: id_set_value(session, ids)}):
        if is_new:
            new.append((person_id, stat, value))
        elif family_of(stat) in wanted:
            old.append((person_id, stat, value))
    return _by_person(old), _by_person(new)


def _write_person_stats(
    session: Session, people: Iterable[int], old: dict[int, dict[str, int]], new: dict[int, dict[str, int]]
) -> None:
    """Write the statistics that differ: one upsert for new and changed values, one delete for vanished ones."""
    changed = [
        {"person_id": person_id, "stat": stat, "value": value}
        for person_id in sorted(people)
        for stat, value in sorted(new.get(person_id, {}).items())
        if old.get(person_id, {}).get(stat) != value
    ]
    gone = [
        (person_id, stat)
        for person_id in sorted(people)
        for stat in sorted(old.get(person_id, {}))
        if stat not in new.get(person_id, {})
    ]
    delete_pairs(session, PERSON_STATS, (PERSON_STATS.c.person_id, PERSON_STATS.c.stat), gone)
    upsert(session, PERSON_STATS, ("person_id", "stat"), changed, adding=False)


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
    """Add each change to its subtree sum, in key order (so concurrent refreshes lock rows in one order);
    one upsert, and one delete of the sums a decrease may have brought to zero."""
    rows = [{"root_id": root, "stat": stat, "value": value} for (root, stat), value in sorted(changes.items()) if value]
    upsert(session, SUBTREE_STATS, ("root_id", "stat"), rows, adding=True)
    lowered = [(row["root_id"], row["stat"]) for row in rows if row["value"] < 0]
    delete_pairs(
        session, SUBTREE_STATS, (SUBTREE_STATS.c.root_id, SUBTREE_STATS.c.stat), lowered, SUBTREE_STATS.c.value == 0
    )


_PROGRESS: dict[tuple[str, tuple[str, ...], bool], Any] = {}


def _update_progress(session: Session, ids: Iterable[int] | None, columns: tuple[str, ...] = PROGRESS) -> None:
    """Each enrolment's progress in its programme: completed check-ins, ever matched, paired now, live mentees
    (only ``columns`` of them), for the people ``ids`` (everyone when None). The statement is built once."""
    key = (session.get_bind().dialect.name, columns, ids is None)
    if key not in _PROGRESS:
        _PROGRESS[key] = _progress_statement(id_set_parameter(session, MEMBERS) if ids is not None else None, columns)
    # Core execution: the ORM would take the parameter of an UPDATE for a bulk update by primary key.
    session.connection().execute(_PROGRESS[key], {MEMBERS: id_set_value(session, list(ids))} if ids is not None else {})


def _progress_statement(members: Callable[[Any], Any] | None, columns: tuple[str, ...]) -> Any:
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
    values = {
        "completed_checkins": completed,
        "matched": case((paired_as_mentee(MATCHED), True), else_=False),
        "paired": case((paired_as_mentee(OPEN_PAIRING_STATUSES), True), else_=False),
        "mentees": mentees,
    }
    statement = update(table).values({column: values[column] for column in columns})
    if members is not None:
        statement = statement.where(members(table.c.person_id))
    return statement
