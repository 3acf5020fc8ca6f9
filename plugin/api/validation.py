"""Checking a REST body against the model before the database sees it, each problem under its field's name.

The rules come from the model itself, so they cannot drift from what the
database enforces: a column's type and length, ``NOT NULL`` without a default,
``IN (…)`` and ``>=``/``<=`` check constraints, and for a relationship that the
value is the id of an existing row. A few fields add the directory's own rules
(e-mail, time zone, country) and the slug pattern. Values that would only fail
at ``INSERT`` time (an empty ``status``, an unknown ``person``, an object where
an id belongs, an integer past 64 bits) become ``{"field": ["sentence"]}``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, String, Text, inspect, select
from sqlalchemy.orm import Session

from ..directory.columns import PARSERS, CellError

MAX_ID = 2**63 - 1
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
_IN = re.compile(r"^\s*(\w+)\s+IN\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_BOUND = re.compile(r"(\w+)\s*(>=|<=)\s*(-?\d+)")
# Person attributes whose text the directory import already knows how to check.
DIRECTORY_RULES = {"email": "email", "timezone": "timezone", "country": "country"}


def _allowed_values(table: Any) -> dict[str, list[str]]:
    """``column -> allowed values`` from the table's ``column IN ('a', 'b')`` check constraints."""
    found = {}
    for constraint in table.constraints:
        text = str(getattr(constraint, "sqltext", ""))
        match = _IN.match(text)
        if match:
            found[match.group(1)] = re.findall(r"'([^']*)'", match.group(2))
    return found


def _bounds(table: Any) -> dict[str, tuple[int | None, int | None]]:
    """``column -> (lowest, highest)`` from simple ``column >= n`` / ``column <= n`` check constraints."""
    found: dict[str, tuple[int | None, int | None]] = {}
    for constraint in table.constraints:
        text = str(getattr(constraint, "sqltext", ""))
        if " OR " in text.upper():
            continue
        for column, op, number in _BOUND.findall(text):
            low, high = found.get(column, (None, None))
            found[column] = (int(number), high) if op == ">=" else (low, int(number))
    return found


def _an_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def _json_kind(column: Any) -> type | None:
    default = column.default.arg if column.default is not None else None
    if callable(default):
        default = default(None) if default not in (dict, list) else default()
    return type(default) if isinstance(default, dict | list) else None


def _column_problem(column: Any, value: Any, allowed: list[str] | None, bounds: tuple[Any, Any] | None) -> str | None:
    """What is wrong with ``value`` for ``column``, or None."""
    if value is None:
        return None if column.nullable else "may not be empty"
    kind = column.type
    if isinstance(kind, Boolean):
        return None if isinstance(value, bool) else "expected true or false"
    if isinstance(kind, Integer):
        if not isinstance(value, int) or isinstance(value, bool) or abs(value) > MAX_ID:
            return "expected a whole number"
    elif isinstance(kind, Float):
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            return "expected a number"
    elif isinstance(kind, String | Text) and not isinstance(kind, Date | DateTime):
        if not isinstance(value, str):
            return "expected text"
        if kind.length and len(value) > kind.length:
            return f"expected at most {kind.length} characters"
        if "\x00" in value:
            return "may not contain a NUL character"
    elif isinstance(kind, JSON):
        expected = _json_kind(column)
        if expected is dict and not isinstance(value, dict):
            return "expected an object"
        if expected is list and not isinstance(value, list):
            return "expected a list"
    if allowed is not None and value not in allowed:
        return f"expected one of: {', '.join(allowed)}"
    if bounds is not None and isinstance(value, int | float):
        low, high = bounds
        if (low is not None and value < low) or (high is not None and value > high):
            return f"expected a number from {low if low is not None else '…'} to {high if high is not None else '…'}"
    return None


def problems(session: Session, model: type, body: Any, fields: Iterable[str], creating: bool) -> dict[str, list[str]]:
    """Every problem with ``body`` for ``model``'s writable ``fields``; empty when the database will take it."""
    if not isinstance(body, dict):
        return {"body": ["expected a JSON object"]}
    mapper = inspect(model)
    table = mapper.local_table
    allowed, bounds = _allowed_values(table), _bounds(table)
    found: dict[str, list[str]] = {}
    fields = list(fields)
    for name in fields:
        if name not in body:
            if creating and _required(mapper, name):
                found[name] = ["is required"]
            continue
        value = body[name]
        if name in mapper.relationships:
            problem = _relationship_problem(session, mapper.relationships[name], value)
        else:
            column = mapper.columns[name]
            problem = _column_problem(column, value, allowed.get(column.name), bounds.get(column.name))
            if problem is None and isinstance(value, str):
                problem = _text_problem(model, name, value, creating or name in body)
        if problem:
            found[name] = [problem]
    return found


def _required(mapper: Any, name: str) -> bool:
    if name in mapper.relationships:
        return not all(column.nullable for column in mapper.relationships[name].local_columns)
    column = mapper.columns[name]
    return not column.nullable and column.default is None and column.server_default is None


def _relationship_problem(session: Session, relationship: Any, value: Any) -> str | None:
    target = relationship.mapper.class_
    noun = target.__name__.lower()
    if value is None:
        nullable = all(column.nullable for column in relationship.local_columns)
        return None if nullable else f"expected the id of a {noun}"
    if not _an_id(value):
        return f"expected the id of a {noun} (a whole number)"
    if session.get(target, value) is None:
        return f"no {noun} with id {value}"
    return None


def _text_problem(model: type, name: str, value: str, present: bool) -> str | None:
    """Rules for particular text fields: names not blank, slugs, and the directory's own checks."""
    if name == "slug" and not SLUG.match(value):
        return 'expected lower-case letters, digits and dashes, such as "new-hires-2026"'
    if name in ("name", "full_name", "employee_id") and not value.strip():
        return "may not be empty"
    if model.__name__ == "Person" and name in DIRECTORY_RULES:
        try:
            PARSERS[DIRECTORY_RULES[name]](value.strip())
        except CellError as error:
            return str(error)
    return None


def unique_problems(
    session: Session, model: type, body: dict[str, Any], fields: Iterable[str], editing: int | None
) -> dict[str, list[str]]:
    """Values of unique columns another row already has (``editing`` is the row being changed)."""
    mapper = inspect(model)
    key = mapper.primary_key[0]
    found = {}
    for name in fields:
        if name in body and name in mapper.columns and mapper.columns[name].unique and body[name] is not None:
            query = select(key).where(mapper.columns[name] == body[name])
            if editing is not None:
                query = query.where(key != editing)
            if session.scalar(query.limit(1)) is not None:
                found[name] = [f"another {model.__name__.lower()} already has this {name.replace('_', ' ')}"]
    return found
