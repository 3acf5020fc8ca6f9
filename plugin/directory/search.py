"""Finding a person by name, e-mail, team or employee id, and telling namesakes apart.

Used by every person picker: HR's forms (a select box whose options carry
:func:`person_label`), and the one JSON search endpoint
(:mod:`tandem.plugin.views.person_search`) behind the invite form's manager
picker and the workflow editor's "Preview for" box, which :func:`find_person`
then resolves. Results are scoped to the people the viewer may see and sorted
by name, then e-mail (an exact employee id or e-mail first).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, case, func, or_, select
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
    left are not offered. The person whose employee id or e-mail is exactly ``text`` comes first
    (``E1`` before ``E10``…), then by name and e-mail; at most ``limit``. One query.
    """
    whole = text.strip()[:MAX_QUERY]
    words = whole.lower().split()
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
    exact = case((or_(Person.employee_id == whole, func.lower(Person.email) == whole.lower()), 0), else_=1)
    return list(session.scalars(query.order_by(exact, Person.full_name, Person.email).limit(limit)))


def find_person(session: Session, text: str, visible: Select | None = None) -> Person:
    """The one person ``text`` names: a picker's label, an employee id, an exact e-mail or name, or a lone match.

    Raises :class:`LookupError` saying what to type when none or several match.
    """
    text = text.strip()[:MAX_QUERY]
    candidates = search_people(session, text.split(" — ")[0], visible, limit=50)
    for test in (
        lambda p: person_label(p) == text,
        lambda p: p.employee_id == text,
        lambda p: p.email.lower() == text.lower(),
        lambda p: p.full_name.lower() == text.lower(),
    ):
        chosen = [p for p in candidates if test(p)]
        if len(chosen) == 1:
            return chosen[0]
        if len(chosen) > 1:
            candidates = chosen
            break
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise LookupError(f"nobody in the directory matches “{text}”: try part of a name, an e-mail or a team")
    names = "; ".join(person_label(p) for p in candidates[:5])
    raise LookupError(f"{len(candidates)} people match “{text}” ({names}): choose one from the list")


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
