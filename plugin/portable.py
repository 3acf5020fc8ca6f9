"""Small portable SQL building blocks (SQLite and PostgreSQL) shared by the reports and their rollups."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Integer, String, any_, bindparam, delete, func, literal, select, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session


def is_postgres(session: Session) -> bool:
    """True when the session talks to PostgreSQL."""
    return session.get_bind().dialect.name == "postgresql"


def month_of(session: Session, column: Any) -> Any:
    """A ``YYYY-MM`` text expression of a timestamp column, in UTC."""
    if is_postgres(session):
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def id_set(session: Session, ids: Sequence[int]) -> Callable[[Any], Any]:
    """A test ``column ∈ ids`` for a set computed once, sent as ONE parameter (an array, or JSON on SQLite).

    Lets a request compute a set once (a manager's subtree) and reuse it in every
    section without re-running its query, and without one bind parameter per id.
    On PostgreSQL ``= ANY(array)`` is hashed (no nested loop over the array).
    """
    if is_postgres(session):
        array = list(ids)
        return lambda column: column == any_(literal(array, ARRAY(Integer)))
    text = json.dumps(list(ids))
    return lambda column: column.in_(select(func.json_each(literal(text)).table_valued("value").c.value))


def id_set_parameter(session: Session, name: str) -> Callable[[Any], Any]:
    """:func:`id_set` for a statement built once and run many times: the set is the bound parameter ``name``,
    given at execution as :func:`id_set_value` makes it."""
    if is_postgres(session):
        return lambda column: column == any_(bindparam(name, type_=ARRAY(Integer)))
    return lambda column: column.in_(
        select(func.json_each(bindparam(name, type_=String)).table_valued("value").c.value)
    )


def id_set_value(session: Session, ids: Sequence[int]) -> Any:
    """The value of an :func:`id_set_parameter`: an array on PostgreSQL, JSON text on SQLite."""
    return list(ids) if is_postgres(session) else json.dumps(list(ids))


def stamp_of(session: Session, column: Any) -> Any:
    """A ``YYYY-MM-DD HH:MM:SS`` text expression of a timestamp, in UTC (text order is time order)."""
    if is_postgres(session):
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24:MI:SS")
    return func.strftime("%Y-%m-%d %H:%M:%S", column)


ROWS_A_STATEMENT = 300  # rows one statement writes (three parameters each): under SQLite's old 999-variable limit


def upsert(session: Session, table: Any, keys: Sequence[str], rows: Sequence[dict[str, Any]], adding: bool) -> None:
    """Insert ``rows`` into ``table``; where a row with the same ``keys`` exists, set its ``value``
    (with ``adding``: add to it).

    A few rows go as ONE multi-row statement (a refresh after one answer); many in statements of
    :data:`ROWS_A_STATEMENT` rows.
    """
    if not rows:
        return
    if is_postgres(session):
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    for start in range(0, len(rows), ROWS_A_STATEMENT):
        statement = insert(table).values(list(rows[start : start + ROWS_A_STATEMENT]))
        value = table.c.value + statement.excluded.value if adding else statement.excluded.value
        session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_={"value": value}))


def delete_pairs(
    session: Session, table: Any, columns: Sequence[Any], pairs: Sequence[tuple[Any, Any]], *where: Any
) -> None:
    """Delete the rows of ``table`` whose ``columns`` are one of ``pairs`` (and match ``where``), few statements."""
    for start in range(0, len(pairs), ROWS_A_STATEMENT):
        chunk = list(pairs[start : start + ROWS_A_STATEMENT])
        session.execute(delete(table).where(tuple_(*columns).in_(chunk), *where))
