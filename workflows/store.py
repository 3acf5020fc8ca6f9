"""Saving and finding definition versions. Saving a changed definition makes a new version."""

from __future__ import annotations

from functools import lru_cache

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


def load_builtins(session: Session) -> list[str]:
    """Store every shipped definition that is new or changed; returns their names."""
    return [
        row.name
        for row, created in (save_definition(session, d.source, "tandem") for d in builtin_definitions())
        if created
    ]
