"""Who an invitation reaches: people chosen by department, location, hire date, manager subtree or a pasted list.

:func:`parse_audience` reads HR's form (a bad value raises :class:`Refused` naming
the field); :func:`preview` lists who is in before anything is written: the people
who would be enrolled, those already in the programme, and the lines of a pasted
list that match nobody.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import String, any_, func, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from ..errors import Refused
from ..models import Enrolment, Person, Programme
from ..portable import id_set, is_postgres
from ..scoping import reporting_subtree
from .fields import form_date

MAX_LIST = 5_000  # identifiers in one pasted list
MAX_LIST_CHARS = 400_000
SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Audience:
    """HR's choice of people; empty fields do not narrow. ``identifiers``: e-mail addresses or employee ids."""

    department: str = ""
    location: str = ""
    hired_from: date | None = None
    hired_until: date | None = None
    manager_id: int | None = None
    identifiers: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing narrows the choice (HR must choose someone, not everyone by accident)."""
        return not (
            self.department
            or self.location
            or self.hired_from
            or self.hired_until
            or self.manager_id
            or self.identifiers
        )

    def describe(self) -> str:
        """The audience in words: ``everyone in Engineering, in Berlin, hired since Mon 02 Nov 2026``."""
        parts = []
        if self.department:
            parts.append(f"in {self.department}")
        if self.location:
            parts.append(f"based in {self.location}")
        if self.hired_from:
            parts.append(f"hired on or after {self.hired_from:%d %b %Y}")
        if self.hired_until:
            parts.append(f"hired on or before {self.hired_until:%d %b %Y}")
        if self.manager_id:
            parts.append("in the chosen manager's team")
        if self.identifiers:
            parts.append(f"on the list of {len(self.identifiers)}")
        return "everyone " + ", ".join(parts) if parts else "nobody yet"

    def as_json(self) -> dict[str, object]:
        """The audience as stored in the programme's ``enrolment_rules`` (to prefill the next invitation)."""
        return {
            "department": self.department,
            "location": self.location,
            "hired_from": self.hired_from.isoformat() if self.hired_from else "",
            "hired_until": self.hired_until.isoformat() if self.hired_until else "",
        }


@dataclass
class Preview:
    """Who an audience reaches: ``people`` to enrol, ``already`` enrolled, ``unknown`` list lines."""

    audience: Audience
    people: list[Person] = field(default_factory=list)
    already: list[Person] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def text_set(session: Session, values: list[str]) -> Callable[[Any], Any]:
    """A test ``column ∈ values`` sent as ONE parameter (an array, or JSON on SQLite), like ``portable.id_set``."""
    if is_postgres(session):
        return lambda column: column == any_(literal(list(values), ARRAY(String)))
    text = json.dumps(list(values))
    return lambda column: column.in_(select(func.json_each(literal(text)).table_valued("value").c.value))


def parse_audience(session: Session, form: Mapping[str, str]) -> Audience:
    """The audience HR chose in the invite form; raises :class:`Refused` naming the field at fault."""
    hired_from = form_date(form, "hired_from", "Hired from")
    hired_until = form_date(form, "hired_until", "Hired until")
    if hired_from and hired_until and hired_until < hired_from:
        raise Refused("Hired until: the end comes before the start", "hired_until")
    manager_id = None
    manager = (form.get("manager") or "").strip()
    if manager:
        if not manager.isdigit() or session.get(Person, int(manager)) is None:
            raise Refused("Manager: choose a person from the list", "manager")
        manager_id = int(manager)
    text = form.get("identifiers") or ""
    if len(text) > MAX_LIST_CHARS:
        raise Refused(f"List: at most {MAX_LIST_CHARS:,} characters in one list", "identifiers")
    identifiers = tuple(dict.fromkeys(item for item in SEPARATORS.split(text) if item))
    if len(identifiers) > MAX_LIST:
        raise Refused(f"List: at most {MAX_LIST:,} e-mail addresses or employee ids at once", "identifiers")
    department = (form.get("department") or "").strip()
    location = (form.get("location") or "").strip()
    return Audience(department, location, hired_from, hired_until, manager_id, identifiers)


def choices(session: Session) -> dict[str, list[str]]:
    """The departments and locations of the directory's current people, sorted (for the form's select boxes)."""
    current = Person.status != "left"
    departments = session.scalars(select(Person.department).where(current, Person.department != "").distinct())
    locations = session.scalars(select(Person.location).where(current, Person.location != "").distinct())
    return {"departments": sorted(departments), "locations": sorted(locations)}


def _matching(session: Session, audience: Audience) -> tuple[list[Person], list[str]]:
    query = select(Person).where(Person.status != "left")
    if audience.department:
        query = query.where(Person.department == audience.department)
    if audience.location:
        query = query.where(Person.location == audience.location)
    if audience.hired_from:
        query = query.where(Person.hire_date >= audience.hired_from)
    if audience.hired_until:
        query = query.where(Person.hire_date <= audience.hired_until)
    if audience.manager_id:
        query = query.where(Person.id.in_(reporting_subtree(audience.manager_id)), Person.id != audience.manager_id)
    unknown: list[str] = []
    if audience.identifiers:
        listed = text_set(session, [item.lower() for item in audience.identifiers])
        found = session.execute(
            select(Person.id, func.lower(Person.email), func.lower(Person.employee_id)).where(
                or_(listed(func.lower(Person.email)), listed(func.lower(Person.employee_id)))
            )
        ).all()
        known = {email for _, email, _ in found} | {employee for _, _, employee in found}
        unknown = [item for item in audience.identifiers if item.lower() not in known]
        query = query.where(id_set(session, [person_id for person_id, _, _ in found])(Person.id))
    return list(session.scalars(query.order_by(Person.full_name, Person.id))), unknown


def preview(session: Session, programme: Programme, audience: Audience) -> Preview:
    """Who ``audience`` reaches in ``programme``: new people, people already enrolled, list lines matching nobody.

    People who have left are never in; someone on leave is (they are told when they are back).
    """
    if audience.is_empty:
        raise Refused("Choose who to invite: a department, a location, hire dates, a manager or a list", "department")
    people, unknown = _matching(session, audience)
    enrolled = set(
        session.scalars(
            select(Enrolment.person_id).where(Enrolment.programme_id == programme.id, Enrolment.status != "withdrawn")
        )
    )
    result = Preview(audience, unknown=unknown)
    for person in people:
        (result.already if person.id in enrolled else result.people).append(person)
    return result
