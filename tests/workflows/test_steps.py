"""A new step kind is one module plus its tests: a toy kind, registered here only, is validated with its own
schema part and error paths, described in words, run by ``advance``, previewed by the simulator and carried out
on the database by the runtime, with an effect of its own."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from typing import Any

import pytest
from engine_support import drain, post_event
from jsonschema import Draft202012Validator
from organisation import build
from sqlalchemy import select

from tandem.plugin.models import InstanceHistory, Notification, WorkflowInstance
from tandem.workflows import steps
from tandem.workflows.clock import FrozenClock
from tandem.workflows.definition import DefinitionError, load_definition, schema
from tandem.workflows.describe import describe_steps
from tandem.workflows.effects import Effect, ScheduleTimer, SendNotification, forget, handles
from tandem.workflows.machine import Start, TimerDue, advance
from tandem.workflows.simulate import simulate
from tandem.workflows.state import InstanceState, Participant
from tandem.workflows.store import save_definition
from tandem.workflows.timeline import Entry

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
ADA = Participant(1, "Ada", "Europe/Berlin", "DE")
TOY = """
workflow: toy-nudges
trigger: employee.hired
subject: newcomer
steps:
  - nudge: {to: [newcomer], after: 2 days}
  - notify: {to: [newcomer], template: onboarding/wrap-up}
"""


# ---- the toy kind: everything a step kind module holds ----------------------------------------------


@dataclass(frozen=True)
class Nudged(Effect):
    """The toy's own effect: nudge the people in ``roles``."""

    roles: tuple[str, ...]


def enter(run: Any, options: dict[str, Any]) -> None:
    run.wake("nudge", "nudge", run.calendar().add(run.now, run.step.duration("after")))


def on_timer(run: Any, purpose: str, base: str, facts: Any) -> None:
    run.effects.append(Nudged(run.key("nudged"), tuple(run.step.options["to"])))
    run.enter(run.next_index())


def apply(engine: Any, instance: WorkflowInstance, state: InstanceState, effect: Nudged) -> None:
    for role in effect.roles:
        engine.insert_once(
            Notification,
            recipient_id=state.roles[role]["id"],
            channel="email",
            template="checkin/reminder",
            context={"workflow": "toy-nudges", "names": {}, "sequence": 1},
            idempotency_key=f"wf:{instance.id}:{effect.key}:{role}",
        )


def describe(effect: Nudged, state: InstanceState, at: datetime, subject: Participant) -> list[Entry]:
    return [Entry(at, subject.timezone, f"nudge → {', '.join(effect.roles)}")]


NUDGE = steps.StepKind(
    "nudge",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["to", "after"],
        "x-expected": "a mapping with to and after",
        "properties": {"to": {"$ref": "#/$defs/roles"}, "after": {"$ref": "#/$defs/duration"}},
    },
    enter,
    on_timer=on_timer,
    describe=lambda options: f"nudge {' and '.join(options['to'])}",
)


@pytest.fixture
def nudge():
    steps.register(NUDGE)
    handles(Nudged, apply=apply, describe=describe)
    yield NUDGE
    steps.unregister("nudge")
    forget(Nudged)


# ---- what the registration buys ---------------------------------------------------------------------


def test_a_registered_kind_is_validated_by_its_own_schema_part_with_the_usual_paths(nudge):
    definition = load_definition(TOY)
    assert definition.steps[0].describe() == "nudge newcomer"
    assert describe_steps(definition)[0].text == "nudge newcomer", "a kind without a sentence is told by its words"
    with pytest.raises(DefinitionError) as refused:
        load_definition(TOY.replace("after: 2 days", "after: soon"))
    assert [str(problem) for problem in refused.value.problems] == [
        'steps[0].nudge.after: expected a duration such as "2 weeks" or "3 business days"'
    ]
    with pytest.raises(DefinitionError) as unknown_role:
        load_definition(TOY.replace("to: [newcomer], after", "to: [stranger], after"))
    assert str(unknown_role.value).startswith("steps[0].nudge.to: expected a role the workflow fills")


def test_without_its_registration_the_kind_is_unknown():
    with pytest.raises(DefinitionError) as refused:
        load_definition(TOY)
    assert str(refused.value) == (
        "steps[0]: expected exactly one step kind of: notify, wait, match, check_in, wait_for, branch, goto,"
        " campaign_item, close"
    )


def test_advance_runs_the_kind_its_timer_and_its_effect(nudge):
    definition = load_definition(TOY)
    state, effects = advance(InstanceState(), definition, Start({"newcomer": ADA}), MONDAY)
    assert effects == [ScheduleTimer("v1.nudge", MONDAY + timedelta(days=2))]
    state, effects = advance(state, definition, TimerDue("v1.nudge"), MONDAY + timedelta(days=2))
    assert effects[0] == Nudged("v1.nudged", ("newcomer",))
    assert isinstance(effects[1], SendNotification) and effects[1].template == "onboarding/wrap-up"
    assert state.status == "completed"


def test_the_preview_shows_the_kind_on_its_day(nudge):
    lines = [entry.format(MONDAY) for entry in simulate(load_definition(TOY), ADA, MONDAY, days=7)]
    assert lines[0].startswith("day 2   Wed 2026-11-25 10:30 Europe/Berlin") and lines[0].endswith("nudge → newcomer")
    assert lines[1].endswith("onboarding/wrap-up → Ada (newcomer)")
    assert lines[-1].endswith("workflow completed: all steps done")


def test_the_runtime_carries_out_the_kinds_own_effect_on_the_database(app, nudge):
    org = build(app)
    with app.app_context():
        session = app.appbuilder.session
        save_definition(session, TOY, "hr")
        session.commit()
    clock = FrozenClock(MONDAY)
    post_event(app, "employee.hired", "E4", "hire-toy")
    drain(app, clock)
    clock.advance(timedelta(days=3))
    drain(app, clock)
    with app.app_context():
        session = app.appbuilder.session
        run = session.scalars(select(WorkflowInstance).where(WorkflowInstance.definition.has(name="toy-nudges"))).one()
        nudges = session.scalars(
            select(Notification.recipient_id).where(Notification.idempotency_key.like(f"wf:{run.id}:v1.nudged:%"))
        ).all()
        history = [
            effect["effect"]
            for row in session.scalars(select(InstanceHistory).where(InstanceHistory.instance_id == run.id))
            for effect in row.effects
        ]
        assert (run.status, nudges) == ("completed", [org.people["dev1"]])
        assert history == ["ScheduleTimer", "Nudged", "SendNotification"]


def test_the_shipped_schema_and_the_one_merged_with_every_kind_are_valid_json_schemas(nudge):
    shipped = json.loads((files("tandem.workflows") / "schema" / "definition.schema.json").read_text())
    Draft202012Validator.check_schema(shipped)
    merged = schema()
    Draft202012Validator.check_schema(merged)
    assert {"notify", "check_in", "goto", "close", "nudge"} <= merged["$defs"].keys()
    steps.unregister("nudge")
    assert "nudge" not in schema()["$defs"]
