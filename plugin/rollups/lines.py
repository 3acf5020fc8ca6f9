"""Reporting lines: everyone's managers at every depth, kept as rows (a closure table).

Written from ``Person.manager_id`` by walking each person's chain upwards.
A chain longer than :data:`MAX_DEPTH` (only possible with a cycle, which the
directory import refuses) stops there instead of looping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Select, and_, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from ..models import Person, ReportingLine
from ..portable import id_set

MAX_DEPTH = 64
LINES = ReportingLine.__table__


def lines_of(members: Callable[[Any], Any] | None = None) -> Select:
    """``(ancestor_id, person_id, depth)`` for the people ``members`` admits (everyone when None)."""
    start = select(Person.id.label("person_id"), Person.id.label("ancestor_id"), literal(0).label("depth"))
    if members is not None:
        start = start.where(members(Person.id))
    up = start.cte("up", recursive=True)
    up = up.union_all(
        select(up.c.person_id, Person.manager_id, up.c.depth + 1)
        .join(Person, Person.id == up.c.ancestor_id)
        .where(Person.manager_id.is_not(None), up.c.depth < MAX_DEPTH)
    )
    return select(up.c.ancestor_id, up.c.person_id, func.min(up.c.depth)).group_by(up.c.ancestor_id, up.c.person_id)


def below(session: Session, ids: Iterable[int]) -> set[int]:
    """Everyone the stored lines put under any of ``ids``, at any depth (``ids`` themselves excluded)."""
    ids = set(ids)
    managers = id_set(session, sorted(ids))
    found = session.scalars(select(LINES.c.person_id).where(managers(LINES.c.ancestor_id), LINES.c.depth > 0))
    return set(found) - ids


def managers_of(session: Session, members: Callable[[Any], Any], lock: bool = False) -> dict[int, list[int]]:
    """The stored managers (depth 1 or more) of the people ``members`` admits, per person; with ``lock``,
    in the same statement their person rows are locked in id order (``FOR NO KEY UPDATE``, PostgreSQL)."""
    found: dict[int, list[int]] = {}
    if lock:
        query = (
            select(Person.id, LINES.c.ancestor_id)
            .outerjoin(LINES, and_(LINES.c.person_id == Person.id, LINES.c.depth > 0))
            .where(members(Person.id))
            .order_by(Person.id)
            .with_for_update(of=Person, key_share=True)
        )
    else:
        query = select(LINES.c.person_id, LINES.c.ancestor_id).where(members(LINES.c.person_id), LINES.c.depth > 0)
    for person_id, ancestor_id in session.execute(query):
        if ancestor_id is not None:
            found.setdefault(person_id, []).append(ancestor_id)
    return found


def rewrite(session: Session, members: Callable[[Any], Any] | None = None) -> None:
    """Replace the stored lines of the people ``members`` admits (everyone when None) by their current ones."""
    removal = delete(LINES)
    if members is not None:
        removal = removal.where(members(LINES.c.person_id))
    session.execute(removal)
    session.execute(insert(LINES).from_select(["ancestor_id", "person_id", "depth"], lines_of(members)))
