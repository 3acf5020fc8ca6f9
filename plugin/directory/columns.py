"""The directory CSV's columns and how one cell becomes a value."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from tandem.workflows.channels.addresses import AddressError, normalise

from ..models import PERSON_STATUSES

COLUMNS = (
    "employee_id",
    "name",
    "email",
    "department",
    "title",
    "location",
    "country",
    "timezone",
    "manager_id",
    "hire_date",
    "status",
    "seniority",
    "remote",
    "skills",
    "interests",
    "languages",
)
REQUIRED_COLUMNS = ("employee_id", "name", "email", "timezone")

# CSV column -> Person attribute, where the names differ.
ATTRIBUTE = {"name": "full_name", "manager_id": "manager_employee_id"}

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0", ""}


class CellError(ValueError):
    """A cell whose text is not a valid value for its column."""


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def _text(limit: int) -> Callable[[str], str]:
    def parse(cell: str) -> str:
        if len(cell) > limit:
            raise CellError(f"longer than {limit} characters")
        return cell

    return parse


def _required(limit: int) -> Callable[[str], str]:
    def parse(cell: str) -> str:
        if not cell:
            raise CellError("required")
        return _text(limit)(cell)

    return parse


def _email(cell: str) -> str:
    """An address a mail server can take (Unicode local parts and IDNA domains included), normalised."""
    if not cell:
        raise CellError("required")
    try:
        return normalise(cell)
    except AddressError as error:
        raise CellError(f"{cell!r} is not an e-mail address a mail server can take: {error}") from None


def _timezone(cell: str) -> str:
    if not cell:
        raise CellError("required")
    if cell not in _timezones():
        raise CellError(f"{cell!r} is not an IANA time zone such as Europe/Berlin")
    return cell


def _country(cell: str) -> str:
    if cell and not _COUNTRY.match(cell.upper()):
        raise CellError(f"{cell!r} is not a two-letter ISO country code")
    return cell.upper()


def _date(cell: str) -> date | None:
    if not cell:
        return None
    try:
        return date.fromisoformat(cell)
    except ValueError:
        raise CellError(f"{cell!r} is not an ISO date such as 2024-03-01") from None


def _status(cell: str) -> str:
    if not cell:
        return "active"
    if cell not in PERSON_STATUSES:
        raise CellError(f"{cell!r} is not one of {', '.join(PERSON_STATUSES)}")
    return cell


def _seniority(cell: str) -> int:
    if not cell:
        return 0
    if not cell.isdigit() or int(cell) > 10:
        raise CellError(f"{cell!r} is not a whole number from 0 to 10")
    return int(cell)


def _remote(cell: str) -> bool:
    if cell.lower() in _TRUE:
        return True
    if cell.lower() in _FALSE:
        return False
    raise CellError(f"{cell!r} is not yes or no")


def _list(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(";") if item.strip()]


def _manager(cell: str) -> str | None:
    return cell or None


PARSERS: dict[str, Callable[[str], Any]] = {
    "employee_id": _required(64),
    "name": _required(200),
    "email": _email,
    "department": _text(120),
    "title": _text(200),
    "location": _text(120),
    "country": _country,
    "timezone": _timezone,
    "manager_id": _manager,
    "hire_date": _date,
    "status": _status,
    "seniority": _seniority,
    "remote": _remote,
    "skills": _list,
    "interests": _list,
    "languages": _list,
}


def attribute(column: str) -> str:
    """The attribute a CSV column fills."""
    return ATTRIBUTE.get(column, column)
