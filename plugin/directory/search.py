"""Finding a person by name, e-mail, team or employee id, and telling namesakes apart.

Used by every person picker: HR's forms (a select box whose options carry
:func:`person_label`) and the JSON search endpoint behind the invite form's
manager picker (:mod:`tandem.plugin.views.person_search`). Results are scoped to
the people the viewer may see and sorted by name, then e-mail.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from ..models import Person

MAX_RESULTS = 20
MAX_QUERY = 100


def person_label(person: Person) -> str:
    """``Ana Silva — ana.silva@example.org · Engineering`` (enough to tell two Ana Silvas apart)."""
    details = " · ".join(part for part in (person.email, person.department) if part)
    return f"{person.full_name} — {details}" if details else person.full_name


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_people(session: Session, text: str, visible: Select | None = None, limit: int = MAX_RESULTS) -> list[Person]:
    """People whose name, e-mail, department, title or employee id contains every word of ``text``.

    ``visible`` (ids the viewer may see; ``None`` for everyone) scopes the search; people who
    left are not offered. Sorted by name, then e-mail; at most ``limit``.
    """
    words = text.strip()[:MAX_QUERY].lower().split()
    if not words:
        return []
    query = select(Person).where(Person.status != "left")
    for word in words[:6]:
        pattern = f"%{_escaped(word)}%"
        query = query.where(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (Person.full_name, Person.email, Person.department, Person.title, Person.employee_id)
                )
            )
        )
    if visible is not None:
        query = query.where(Person.id.in_(visible))
    return list(session.scalars(query.order_by(Person.full_name, Person.email).limit(limit)))


def as_json(person: Person) -> dict[str, Any]:
    """A search result as the picker shows it."""
    return {
        "id": person.id,
        "name": person.full_name,
        "email": person.email,
        "department": person.department,
        "title": person.title,
        "label": person_label(person),
    }


def sorted_people(session: Session) -> list[Person]:
    """Everyone still in the directory, by name then e-mail (for select boxes)."""
    return list(session.scalars(select(Person).where(Person.status != "left").order_by(Person.full_name, Person.email)))
