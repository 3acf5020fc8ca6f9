"""Row scoping: which people's records the signed-in user may see.

HR (and FAB's admin role) see everyone; a manager sees their whole reporting
subtree, at any depth, themselves included; everyone else sees only themself.
The same filter serves the admin views and the REST API, and reads the user
through ``appbuilder.sm.current_user`` so it works for browser sessions, JWT
and API keys alike.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_appbuilder.models.filters import BaseFilter
from sqlalchemy import Select, false, func, or_, select

from .models import Person, Programme
from .roles import HR_ROLE, MANAGER_ROLE


def reporting_subtree(root_id: int) -> Select:
    """A SELECT of the ids of ``root_id`` and everyone below them, at any depth.

    ``UNION`` (not ``UNION ALL``) keeps the recursion finite even if bad data
    ever forms a cycle.
    """
    tree = select(Person.id).where(Person.id == root_id).cte("subtree", recursive=True)
    tree = tree.union(select(Person.id).where(Person.manager_id == tree.c.id))
    return select(tree.c.id)


def person_for_user(user: Any) -> Person | None:
    """The directory entry of a FAB user: linked explicitly, else by e-mail address."""
    if user is None or not getattr(user, "id", None):
        return None
    session = current_app.appbuilder.session
    person = session.scalars(select(Person).where(Person.user_id == user.id)).first()
    if person is None and getattr(user, "email", None):
        person = session.scalars(
            select(Person).where(Person.user_id.is_(None), func.lower(Person.email) == user.email.lower())
        ).first()
    return person


def current_user() -> Any:
    """The signed-in user, whichever way they signed in (session, JWT, API key)."""
    return current_app.appbuilder.sm.current_user


def current_username() -> str:
    """The signed-in user's login name, or "" (for "created by" and "saved by" columns)."""
    return getattr(current_user(), "username", "") or ""


def sees_everyone(user: Any) -> bool:
    """True for HR and for FAB's admin role."""
    admin = current_app.appbuilder.sm.auth_role_admin
    names = {role.name for role in getattr(user, "roles", None) or []}
    return bool(names & {HR_ROLE, admin})


def visible_people(user: Any) -> Select | None:
    """The ids of the people ``user`` may see, or ``None`` when that is everyone."""
    if user is None:
        return select(Person.id).where(false())
    if sees_everyone(user):
        return None
    person = person_for_user(user)
    if person is None:
        return select(Person.id).where(false())
    if MANAGER_ROLE in {role.name for role in user.roles}:
        return reporting_subtree(person.id)
    return select(Person.id).where(Person.id == person.id)


class PeopleScopeFilter(BaseFilter):
    """FAB base filter: keep rows whose person columns point at someone visible.

    The filter value is the tuple of person-id columns to check; a row is kept
    when any of them is visible (a pairing is visible to both of its people).
    """

    name = "Visible to me"
    arg_name = "tandem_scope"

    def apply(self, query: Any, value: tuple[str, ...]) -> Any:
        """Restrict ``query`` to rows about visible people."""
        people = visible_people(current_user())
        if people is None:
            return query
        columns = [getattr(self.model, column) for column in value]
        return query.filter(or_(*(column.in_(people) for column in columns)))


class PublishedProgrammeFilter(BaseFilter):
    """FAB base filter: only HR sees draft programmes (and their content)."""

    name = "Published"
    arg_name = "tandem_published"

    def apply(self, query: Any, value: str) -> Any:
        """Hide drafts from everyone but HR; ``value`` is the path to the programme status."""
        if sees_everyone(current_user()):
            return query
        if value == "status":
            return query.filter(Programme.status != "draft")
        return query.filter(getattr(self.model, value).in_(select(Programme.id).where(Programme.status != "draft")))


def scoped(*person_columns: str) -> list[list[Any]]:
    """``base_filters`` for a view or API over a model with person-id columns."""
    return [[person_columns[0], PeopleScopeFilter, tuple(person_columns)]]
