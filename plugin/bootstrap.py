"""``tandem init``: bring a database and the security tables up to date."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from tandem.workflows.store import load_builtins

from . import rollups
from .content import load_builtin_campaigns
from .database import current_revision, migrate
from .roles import sync_roles


@dataclass
class InitReport:
    """What ``tandem init`` did."""

    revision_before: str | None
    revision_after: str | None
    role_permissions: dict[str, int]
    workflows_saved: list[str]


def initialise(app: Flask) -> InitReport:
    """Migrate Tandem's tables, register permissions, sync the roles and load the built-in workflows.

    Idempotent: running it again changes nothing that is already current.
    Needs an app context.
    """
    appbuilder = app.appbuilder
    engine = appbuilder.session.get_bind()
    before = current_revision(engine)
    migrate(engine)
    appbuilder.add_permissions(update_perms=True)
    counts = sync_roles(appbuilder.sm)
    saved = load_builtins(appbuilder.session)
    load_builtin_campaigns(appbuilder.session)  # the shipped campaign items, where their programme exists
    if not rollups.is_current(appbuilder.session):  # new tables, or statistics defined differently
        rollups.rebuild(appbuilder.session)
    appbuilder.session.commit()
    return InitReport(before, current_revision(engine), counts, saved)
