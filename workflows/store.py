"""Saving and finding definition versions. Saving a changed definition makes a new version."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandem.plugin.models import Programme, WorkflowDefinition

from .builtin import builtin_definitions
from .definition import Definition, load_definition


def save_definition(session: Session, text: str, author: str = "") -> tuple[WorkflowDefinition, bool]:
    """Validate ``text`` and store it as the next version, unless it equals the latest.

    Raises :class:`~tandem.workflows.definition.DefinitionError` (nothing stored) when invalid.
    Returns the stored row and whether it is new.
    """
    definition = load_definition(text)
    latest = latest_version(session, definition.name)
    if latest is not None and latest.source.strip() == text.strip():
        return latest, False
    row = WorkflowDefinition(
        name=definition.name,
        version=(latest.version + 1) if latest else 1,
        title=definition.title,
        trigger=definition.trigger,
        source=text,
        created_by=author,
    )
    session.add(row)
    session.flush()
    return row, True


def latest_version(session: Session, name: str) -> WorkflowDefinition | None:
    """The newest version of definition ``name``."""
    return session.scalars(
        select(WorkflowDefinition).where(WorkflowDefinition.name == name).order_by(WorkflowDefinition.version.desc())
    ).first()


def latest_versions(session: Session) -> list[WorkflowDefinition]:
    """The newest version of every definition, by name."""
    newest = (
        select(WorkflowDefinition.name, func.max(WorkflowDefinition.version).label("version"))
        .group_by(WorkflowDefinition.name)
        .subquery()
    )
    return list(
        session.scalars(
            select(WorkflowDefinition)
            .join(newest, (newest.c.name == WorkflowDefinition.name) & (newest.c.version == WorkflowDefinition.version))
            .order_by(WorkflowDefinition.name)
        )
    )


def definition_for(session: Session, programme: Programme) -> WorkflowDefinition | None:
    """The newest version of the workflow ``programme`` runs.

    That is the definition the programme names (HR chooses it from the list on
    the programme's form); a programme naming none runs the definition whose
    ``programme:`` key names the programme's slug, if there is one.
    """
    if programme.workflow:
        return latest_version(session, programme.workflow)
    return next((row for row in latest_versions(session) if parsed(row).programme == programme.slug), None)


def default_programme(session: Session, row: WorkflowDefinition) -> Programme | None:
    """The programme a definition runs for an event that names no programme (``employee.hired``).

    That is the programme its ``programme:`` key names, while that programme still runs this
    definition; None when the key is absent, names no programme, or the programme now runs another.
    """
    slug = parsed(row).programme
    programme = session.scalars(select(Programme).where(Programme.slug == slug)).first() if slug else None
    if programme is None or programme.workflow not in (None, "", row.name):
        return None
    return programme


@lru_cache(maxsize=256)
def _parse(source: str) -> Definition:
    return load_definition(source)


def parsed(row: WorkflowDefinition) -> Definition:
    """The validated definition of a stored version (cached by its text, which never changes)."""
    return _parse(row.source)


#: Parsed versions by ``(id, created_at)``: a stored version never changes, and the pair tells apart two
#: databases (a test's, another deployment's) whose rows share an id. Per process, bounded.
_VERSIONS: dict[tuple[int, Any], Definition] = {}
_VERSIONS_MAX = 512


def parsed_versions(session: Session, versions: set[tuple[int, Any]]) -> dict[int, Definition]:
    """The parsed definitions of ``versions`` (``(id, created_at)`` pairs), by id.

    Parsed once per version and process; the sources of versions not seen yet are read with one query.
    """
    missing = [version for version in versions if version not in _VERSIONS]
    if missing:
        if len(_VERSIONS) + len(missing) > _VERSIONS_MAX:
            _VERSIONS.clear()
        table = WorkflowDefinition.__table__
        rows = session.execute(
            select(table.c.id, table.c.created_at, table.c.source).where(table.c.id.in_([i for i, _ in missing]))
        )
        for version_id, created_at, source in rows:
            _VERSIONS[(version_id, created_at)] = _parse(source)
    return {version[0]: _VERSIONS[version] for version in versions}


def load_builtins(session: Session) -> list[str]:
    """Store every shipped definition that is new or changed; returns their names."""
    return [
        row.name
        for row, created in (save_definition(session, d.source, "tandem") for d in builtin_definitions())
        if created
    ]
