"""Noticing, in Tandem's sessions, whose report numbers a transaction changes, and refreshing them before it commits.

Listens to the session events of the app's own session factory (:func:`install`,
once per app), never to SQLAlchemy's ``Session`` class: a host app's other
sessions are left alone.

- ``after_flush``: people behind new, changed or deleted check-ins, enrolments,
  pairings (mentee and mentor), acknowledgements and people; a changed manager (or a
  new or deleted person) marks a *move*, which also refreshes everyone below;
- ``do_orm_execute``: the same for bulk ``UPDATE``/``DELETE``/``INSERT``
  statements, which never reach ``after_flush`` (rows matched by the
  statement's ``WHERE`` are read before it runs);
- ``before_commit`` of the outermost transaction (never a savepoint's): flushes,
  then :func:`tandem.plugin.rollups.maintain.refresh` in the same transaction, so
  the report data commits with the change or not at all; the end of a
  rolled-back or closed transaction forgets what was noticed.

Raw SQL text bypasses all of this: after a bulk load by hand, call
:func:`~tandem.plugin.rollups.maintain.rebuild` (``tandem rebuild-reports``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, scoped_session, sessionmaker

from ..models import Acknowledgement, CheckIn, Enrolment, Pairing, Person, Programme, ReportingLine
from .maintain import PROGRESS, refresh
from .stats import ACKNOWLEDGEMENT_FAMILIES, CHECKIN_FAMILIES, ENROLMENT_FAMILIES, FAMILIES, PAIRING_FAMILIES

TOUCHED, MOVED, NEW_PEOPLE, BUSY = "tandem_touched", "tandem_moved", "tandem_new_people", "tandem_refreshing"
# Which statistic families and enrolment progress columns the touches of this transaction can have moved.
WHAT = "tandem_touched_what"
# The column of each tracked table that names the person whose numbers its rows change.
PERSON_OF = {
    CheckIn: ("respondent_id",),
    Enrolment: ("person_id",),
    Pairing: ("mentee_id", "mentor_id"),
    Acknowledgement: ("person_id",),
}
# What a change to each tracked table can move: statistic families (plugin/rollups/stats.py) and progress columns.
MOVES = {
    CheckIn: (CHECKIN_FAMILIES, ("completed_checkins",)),
    Enrolment: (ENROLMENT_FAMILIES, PROGRESS),
    Pairing: (PAIRING_FAMILIES, PROGRESS),
    Acknowledgement: (ACKNOWLEDGEMENT_FAMILIES, ()),
}
EVERYTHING = (FAMILIES, PROGRESS)
TABLES = {model.__table__.name: model for model in (*PERSON_OF, Person)}


def install(sessions: scoped_session | sessionmaker | Session) -> None:
    """Listen to every session ``sessions`` makes (FAB's ``appbuilder.session``; idempotent)."""
    for name, listener in LISTENERS.items():
        if not event.contains(sessions, name, listener):
            event.listen(sessions, name, listener)


def touch(session: Session, person_ids: Any, moved: bool = False, what: Any = EVERYTHING) -> None:
    """Mark people whose numbers (or, with ``moved``, whose place under their managers) changed;
    ``what`` is ``(statistic families, progress columns)`` the change can move (everything by default)."""
    ids = [i for i in person_ids if i is not None]
    session.info.setdefault(MOVED if moved else TOUCHED, set()).update(ids)
    if ids:
        families, progress = session.info.setdefault(WHAT, (set(), set()))
        families.update(what[0])
        progress.update(what[1])


def _after_flush(session: Session, _context: Any) -> None:
    for obj in (*session.new, *session.deleted):
        _notice(session, obj, whole=True)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            _notice(session, obj, whole=False)


def _notice(session: Session, obj: Any, whole: bool) -> None:
    if isinstance(obj, Person):
        state = inspect(obj)
        if whole or state.attrs.manager_id.history.has_changes():
            touch(session, [obj.id], moved=True)
        elif state.attrs.status.history.has_changes():
            touch(session, [obj.id])
    elif isinstance(obj, Programme):
        if whole or inspect(obj).attrs.kind.history.has_changes():
            touch(session, session.scalars(select(Enrolment.person_id).where(Enrolment.programme_id == obj.id)))
    elif type(obj) in PERSON_OF:
        for column in PERSON_OF[type(obj)]:
            touch(session, [getattr(obj, column), *inspect(obj).attrs[column].history.deleted], what=MOVES[type(obj)])


def _before_bulk(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert) or state.session.info.get(BUSY):
        return
    model = TABLES.get(getattr(getattr(state.statement, "table", None), "name", ""))
    if model is None:
        return
    session, rows = state.session, state.parameters
    rows = rows if isinstance(rows, list) else [rows] if rows else []
    if model is Person:
        if state.is_insert:
            session.info[NEW_PEOPLE] = True
        elif rows and all("id" in row for row in rows):  # bulk update by primary key
            touch(session, [row["id"] for row in rows if "manager_id" in row], moved=True)
            touch(session, [row["id"] for row in rows if "status" in row])
        else:
            touch(session, _matched(state, Person.id), moved=True)
        return
    for column in PERSON_OF[model]:
        if state.is_insert:
            touch(session, [row.get(column) for row in rows], what=MOVES[model])
        else:
            touch(session, _matched(state, getattr(model, column)), what=MOVES[model])


def _matched(state: ORMExecuteState, column: Any) -> list[int]:
    where = state.statement.whereclause
    query = select(column) if where is None else select(column).where(where)
    return list(state.session.scalars(query))


def _before_commit(session: Session) -> None:
    # SQLAlchemy calls this for a savepoint's release too: refreshing there as well would lock people and subtree
    # sums in two rounds in one transaction, and two such transactions deadlock. Once, at the outermost commit.
    if session.info.get(BUSY) or session.in_nested_transaction():
        return
    session.flush()
    touched, moved = session.info.pop(TOUCHED, set()), session.info.pop(MOVED, set())
    families, progress = session.info.pop(WHAT, EVERYTHING)
    if session.info.pop(NEW_PEOPLE, False):
        moved |= _unlined(session)
    if not (touched or moved):
        return
    session.info[BUSY] = True
    try:
        refresh(session, touched, moved, families=families, progress=progress)
    finally:
        session.info[BUSY] = False


def _unlined(session: Session) -> set[int]:
    lined = select(ReportingLine.person_id).where(ReportingLine.depth == 0)
    return set(session.scalars(select(Person.id).where(Person.id.not_in(lined))))


def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # committed (already refreshed), rolled back or closed: forget
        for key in (TOUCHED, MOVED, NEW_PEOPLE, WHAT):
            session.info.pop(key, None)


LISTENERS = {
    "after_flush": _after_flush,
    "do_orm_execute": _before_bulk,
    "before_commit": _before_commit,
    "after_transaction_end": _after_transaction_end,
}
