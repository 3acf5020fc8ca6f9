"""Moving running instances to a newer version of their definition, after a preview.

An instance can move when the step it is on still exists at the same position
with the same kind (and, for a check-in, between the same roles): it then
carries on from there under the new version. Anything else stays where it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandem.plugin.models import InstanceHistory, WorkflowDefinition, WorkflowInstance

from .clock import Clock
from .definition import Definition, Step
from .store import latest_version, parsed


@dataclass(frozen=True)
class PlannedMove:
    """What migrating one instance would do."""

    instance_id: int
    subject: str
    from_version: int
    to_version: int
    current_step: str
    possible: bool
    outcome: str


def _same_place(old: Step, new: Step) -> bool:
    if old.kind != new.kind:
        return False
    return old.kind != "check_in" or old.options["between"] == new.options["between"]


def _plan(instance: WorkflowInstance, latest: WorkflowDefinition, new: Definition) -> PlannedMove:
    old = parsed(instance.definition)
    step = old.steps[instance.step] if instance.step < len(old.steps) else None
    here = f"step {instance.step + 1}: {step.describe()}" if step else "finished"
    target = new.steps[instance.step] if step and instance.step < len(new.steps) else None
    possible = step is not None and target is not None and _same_place(step, target)
    if possible:
        outcome = f"continues at {here} under version {latest.version}"
    elif target is None:
        outcome = (
            f"stays on version {instance.definition.version}: version {latest.version} has no step {instance.step + 1}"
        )
    else:
        outcome = f"stays on version {instance.definition.version}: step {instance.step + 1} is now {target.describe()}"
    return PlannedMove(
        instance.id, instance.subject.full_name, instance.definition.version, latest.version, here, possible, outcome
    )


def preview(session: Session, name: str) -> list[PlannedMove]:
    """For each running instance of an older version of ``name``: what migrating would do."""
    latest = latest_version(session, name)
    if latest is None:
        return []
    new = parsed(latest)
    instances = session.scalars(
        select(WorkflowInstance)
        .join(WorkflowDefinition, WorkflowInstance.definition_id == WorkflowDefinition.id)
        .where(
            WorkflowDefinition.name == name,
            WorkflowDefinition.version < latest.version,
            WorkflowInstance.status.in_(("running", "paused")),
        )
        .order_by(WorkflowInstance.id)
    )
    return [_plan(instance, latest, new) for instance in instances]


def migrate(session: Session, name: str, clock: Clock, by: str) -> list[PlannedMove]:
    """Move every instance that can move to the latest version of ``name``; returns the moves made."""
    latest = latest_version(session, name)
    moved = [move for move in preview(session, name) if move.possible]
    for move in moved:
        instance = session.get(WorkflowInstance, move.instance_id)
        instance.definition_id = latest.id
        session.add(
            InstanceHistory(
                instance_id=instance.id,
                at=clock.now(),
                signal=f"migrated v{move.from_version} → v{move.to_version} by {by}",
                status=instance.status,
                step=instance.step,
                effects=[],
            )
        )
    session.flush()
    return moved
