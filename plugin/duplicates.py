"""Saving a row from a form without showing anyone a database error.

:func:`refuse_duplicate` looks, before the row is written, for another row with
the same values in any of its table's unique constraints and raises
:class:`Duplicate` with a sentence naming the fields. :func:`save_problem`
turns an ``IntegrityError`` that still happens (a race, a missing value, a
check constraint) into a sentence naming the column; neither ever carries
SQL, a driver name or an id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Column, UniqueConstraint, and_, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


class Duplicate(ValueError):
    """Another row already holds these values; ``fields`` names the form fields at fault."""

    def __init__(self, message: str, fields: list[str]) -> None:
        super().__init__(message)
        self.fields = fields


def _unique_column_sets(table: Any) -> list[list[Column]]:
    sets = [list(c.columns) for c in table.constraints if isinstance(c, UniqueConstraint)]
    sets += [[column] for column in table.columns if column.unique]
    sets += [list(index.columns) for index in table.indexes if index.unique]
    return sets


def _field_of(mapper: Any, column: Column) -> str:
    """The relationship a foreign-key column stands for (``person_id`` → ``person``), else the column."""
    for relationship in mapper.relationships:
        if column in relationship.local_columns:
            return relationship.key
    return column.key


def refuse_duplicate(
    session: Session,
    item: Any,
    label: Callable[[str], str],
    sentences: Mapping[str, str] | None = None,
) -> None:
    """Raise :class:`Duplicate` when another row shares ``item``'s values in one of its unique constraints.

    ``label`` gives a field's label; ``sentences`` maps a comma-joined field list (``"programme,person,role"``)
    to a sentence formatted with ``item``'s attributes (``"{person} is already enrolled in {programme}"``).
    """
    mapper = inspect(type(item))
    state = inspect(item)
    pk = [getattr(item, column.key) for column in mapper.primary_key]
    with session.no_autoflush:
        for columns in _unique_column_sets(mapper.local_table):
            values = [_value(item, mapper, column) for column in columns]
            if any(value is None for value in values):
                continue
            query = select(*mapper.primary_key).where(and_(*(c == v for c, v in zip(columns, values, strict=True))))
            if state.persistent and None not in pk:
                query = query.where(and_(*(c != v for c, v in zip(mapper.primary_key, pk, strict=True))))
            if session.execute(query.limit(1)).first() is None:
                continue
            fields = [_field_of(mapper, column) for column in columns]
            sentence = (sentences or {}).get(",".join(fields))
            if sentence:
                raise Duplicate(sentence.format(**{f: _shown(getattr(item, f, "")) for f in fields}), fields)
            named = [f"{label(f).lower()} “{_shown(getattr(item, f, ''))}”" for f in fields]
            joined = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
            raise Duplicate(f"There is already one with {joined}: change {label(fields[-1]).lower()}.", fields)


def _value(item: Any, mapper: Any, column: Column) -> Any:
    value = getattr(item, column.key, None)
    if value is not None:
        return value
    for relationship in mapper.relationships:  # set through the relationship, the id not yet flushed
        if column in relationship.local_columns:
            related = getattr(item, relationship.key, None)
            if related is not None:
                remote = next(iter(relationship.local_remote_pairs))[1]
                return getattr(related, remote.key, None)
    return None


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


_NOT_NULL = re.compile(r'NOT NULL constraint failed: \w+\.(\w+)|null value in column "(\w+)"')


def save_problem(error: IntegrityError, label: Callable[[str], str]) -> str:
    """A sentence for a refused save, naming the field where the database says which one; never SQL."""
    text = str(getattr(error, "orig", error))
    missing = _NOT_NULL.search(text)
    if missing:
        column = missing.group(1) or missing.group(2)
        return f"{label(column.removesuffix('_id'))} is required."
    if "UNIQUE" in text or "duplicate key" in text:
        return "Another entry already has these values: nothing was saved."
    if "FOREIGN KEY" in text or "foreign key" in text:
        return "A related entry no longer exists: reload the page and choose again. Nothing was saved."
    return "These values are not allowed together: nothing was saved."
