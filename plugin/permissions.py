"""A user's permissions read once per request instead of once per check.

FAB's security manager asks the database one ``EXISTS`` question for every
permission it checks: on an admin page that is one per menu entry and one per
action button, about 40 of a page's 55 statements. :class:`TandemSecurityManager`
answers the same questions from the set of (permission, resource) pairs of the
user's roles, read with one statement the first time a request asks. Nothing is
kept beyond the request: a role HR takes away (or a permission ``tandem init``
removes) counts from the next request on, exactly as with FAB's own checks.

Built-in roles (``FAB_ROLES``, matched by regular expression) are checked as FAB
checks them. The standalone intranet uses this manager
(``FAB_SECURITY_MANAGER_CLASS``); a host app may use it, or subclass it, too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import g, has_request_context, request
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import Permission, PermissionView, ViewMenu, assoc_permissionview_role
from sqlalchemy import select

Granted = frozenset[tuple[str, str]]
_KEY = "_tandem_permissions"


def _this_request_cache() -> dict[frozenset[int] | None, Granted] | None:
    """The permission sets read during the current request (None outside a request: nothing is kept)."""
    if not has_request_context():
        return None
    current = request._get_current_object()  # type: ignore[attr-defined]
    held = g.get(_KEY)
    if held is None or held[0] is not current:  # an app context can outlive one request (tests, CLI)
        held = (current, {})
        setattr(g, _KEY, held)
    return held[1]


class TandemSecurityManager(SecurityManager):
    """FAB's SQLAlchemy security manager, reading a user's permissions once per request."""

    def _granted(self, role_ids: Iterable[int]) -> Granted:
        """Every (permission, resource) pair the database roles ``role_ids`` grant, read once per request."""
        key = frozenset(role_ids)
        cache = _this_request_cache()
        if cache is not None and key in cache:
            return cache[key]
        rows = self.session.execute(
            select(Permission.name, ViewMenu.name)
            .join(PermissionView, PermissionView.permission_id == Permission.id)
            .join(ViewMenu, PermissionView.view_menu_id == ViewMenu.id)
            .join(assoc_permissionview_role, assoc_permissionview_role.c.permission_view_id == PermissionView.id)
            .where(assoc_permissionview_role.c.role_id.in_(key))
        )
        granted: Granted = frozenset((permission, view) for permission, view in rows)
        if cache is not None:
            cache[key] = granted
        return granted

    def _database_role_ids(self, roles: Iterable[Any]) -> list[int]:
        return [role.id for role in roles if role.name not in self.builtin_roles]

    def _has_view_access(self, user: object, permission_name: str, view_name: str) -> bool:
        roles = self.get_user_roles(user)
        if any(
            role.name in self.builtin_roles and self._has_access_builtin_roles(role, permission_name, view_name)
            for role in roles
        ):
            return True
        role_ids = self._database_role_ids(roles)
        return bool(role_ids) and (permission_name, view_name) in self._granted(role_ids)

    def _get_user_permission_view_menus(
        self, user: object, permission_name: str, view_menus_name: list[str]
    ) -> set[str]:
        roles = [self.get_public_role()] if user is None else self.get_user_roles(user)
        result = {
            name
            for role in roles
            if role is not None and role.name in self.builtin_roles
            for name in view_menus_name
            if self._has_access_builtin_roles(role, permission_name, name)
        }
        role_ids = self._database_role_ids(role for role in roles if role is not None)
        if role_ids:
            result.update(view for permission, view in self._granted(role_ids) if permission == permission_name)
        return result

    def is_item_public(self, permission_name: str, view_name: str) -> bool:
        """Whether the public role (visitors not signed in) has ``permission_name`` on ``view_name``."""
        return (permission_name, view_name) in self._public_granted()

    def _public_granted(self) -> Granted:
        cache = _this_request_cache()
        if cache is not None and None in cache:
            return cache[None]
        role = self.get_public_role()
        granted = self._granted([role.id]) if role is not None else frozenset()
        if cache is not None:
            cache[None] = granted
        return granted
