"""``tandem init``: bring a database and the security tables up to date."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from .database import current_revision, migrate
from .roles import sync_roles


@dataclass
class InitReport:
    """What ``tandem init`` did."""

    revision_before: str | None
    revision_after: str | None
    role_permissions: dict[str, int]


def initialise(app: Flask) -> InitReport:
    """Migrate Tandem's tables, register every view's permissions and sync the roles.

    Idempotent: running it again changes nothing that is already current.
    Needs an app context.
    """
    appbuilder = app.appbuilder
    engine = appbuilder.session.get_bind()
    before = current_revision(engine)
    migrate(engine)
    appbuilder.add_permissions(update_perms=True)
    counts = sync_roles(appbuilder.sm)
    return InitReport(before, current_revision(engine), counts)
