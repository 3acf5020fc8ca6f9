"""The staff menu shows only to people in the staff directory.

An admin or HR login that is nobody in the directory holds every permission,
so FAB alone would list "My mentoring", "Inbox" or "Notification
preferences" for it, and each would answer "your login is not linked". This
wraps FAB's ``is_menu_visible`` template filter: the entries about oneself
(and the "Me" menu itself) show only when the signed-in user has a directory
entry. Permissions are unchanged; the pages still refuse such a login clearly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, g, has_request_context

from ..roles import SELF_SERVICE_MENU
from ..scoping import current_user, person_for_user

# Menu entries that only make sense for someone in the directory (their view class names and labels).
ABOUT_ONESELF = {SELF_SERVICE_MENU, "Notification preferences"}


def has_directory_entry() -> bool:
    """Whether the signed-in user is a person in the staff directory (cached per request)."""
    if not has_request_context():
        return False
    if "tandem_has_person" not in g:
        user = current_user()
        linked = user is not None and getattr(user, "is_authenticated", False)
        g.tandem_has_person = bool(linked and person_for_user(user) is not None)
    return g.tandem_has_person


def staff_menu_filter(fab_filter: Callable[[Any], bool], about_oneself: set[str]) -> Callable[[Any], bool]:
    """FAB's menu filter, hiding ``about_oneself`` entries (by name or label) from users with no directory entry."""

    def is_menu_visible(item: Any) -> bool:
        if (item.name in about_oneself or getattr(item, "label", None) in about_oneself) and not has_directory_entry():
            return False
        return fab_filter(item)

    is_menu_visible.tandem_staff_menu = True  # type: ignore[attr-defined]
    return is_menu_visible


def install_staff_menu(app: Flask, labels: list[str]) -> None:
    """Wrap FAB's ``is_menu_visible`` filter once; ``labels`` are the self-service menu entries' names."""
    fab_filter = app.jinja_env.filters.get("is_menu_visible")
    if fab_filter is None or getattr(fab_filter, "tandem_staff_menu", False):
        return
    app.jinja_env.filters["is_menu_visible"] = staff_menu_filter(fab_filter, ABOUT_ONESELF | set(labels))
