"""Starting the fortnightly manager digest (built-in workflow ``manager-digest``) for every manager.

A manager is anyone active with at least one active direct report. Starting is
idempotent: a manager who already has a running digest is skipped, so
``tandem digest start`` can run after every directory import.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from tandem.workflows.clock import Clock
from tandem.workflows.runtime import WorkflowRunner
from tandem.workflows.store import latest_versions

from ..models import Person, WorkflowDefinition, WorkflowInstance

WORKFLOW = "manager-digest"


def managers_without_digest(session: Session, definition: WorkflowDefinition) -> list[Person]:
    """Active people with active direct reports and no running digest."""
    report = aliased(Person)
    running = (
        select(WorkflowInstance.id)
        .join(WorkflowDefinition, WorkflowDefinition.id == WorkflowInstance.definition_id)
        .where(
            WorkflowDefinition.name == definition.name,
            WorkflowInstance.subject_id == Person.id,
            WorkflowInstance.status.in_(("running", "paused")),
        )
    )
    has_reports = select(report.id).where(report.manager_id == Person.id, report.status != "left")
    query = select(Person).where(Person.status != "left", exists(has_reports), ~exists(running)).order_by(Person.id)
    return list(session.scalars(query))


def start_digests(session: Session, clock: Clock) -> int:
    """Start the digest for each manager who has none running; returns how many started (caller commits)."""
    definition = next((row for row in latest_versions(session) if row.name == WORKFLOW), None)
    if definition is None:
        raise LookupError(f"the {WORKFLOW} workflow is not loaded: run `tandem init`")
    engine = WorkflowRunner(session, clock)
    started = 0
    for person in managers_without_digest(session, definition):
        engine.start(definition, person)
        started += 1
    return started
