"""``notify`` with ``after``: the message waits in the outbox while the run goes on (the 30-day pulse)."""

from datetime import UTC, datetime, timedelta

import pytest

from tandem.workflows.definition import DefinitionError, load_definition
from tandem.workflows.effects import OpenCheckIn, ScheduleTimer, SendNotification
from tandem.workflows.machine import Start, TimerDue, advance
from tandem.workflows.simulate import simulate
from tandem.workflows.state import InstanceState, Participant

SOURCE = """
workflow: pulse-test
subject: newcomer
steps:
  - notify: {to: [newcomer], template: onboarding/introduction}
  - notify: {to: [newcomer], template: feedback/pulse, after: 30 days}
  - check_in: {between: [newcomer], every: 1 week, times: 6}
"""
ADA = Participant(1, "Ada", "Europe/Berlin", "DE")
MONDAY = datetime(2026, 11, 23, 10, tzinfo=UTC)


def test_the_pulse_is_due_thirty_days_on_and_the_check_ins_start_at_once():
    definition = load_definition(SOURCE)
    state, effects = advance(InstanceState(), definition, Start({"newcomer": ADA}), MONDAY)
    sends = {effect.template: effect.not_before for effect in effects if isinstance(effect, SendNotification)}
    assert sends["onboarding/introduction"] == MONDAY
    assert sends["feedback/pulse"] == MONDAY + timedelta(days=30)
    assert definition.steps[state.step].kind == "check_in", "the run did not wait for the pulse"
    first = next(effect for effect in effects if isinstance(effect, ScheduleTimer))
    state, effects = advance(state, definition, TimerDue(first.key), first.due_at)
    assert any(isinstance(effect, OpenCheckIn) for effect in effects)


def test_a_pulse_falling_on_a_weekend_waits_for_the_next_working_morning():
    definition = load_definition(SOURCE.replace("after: 30 days", "after: 33 days"))  # a Saturday
    _, effects = advance(InstanceState(), definition, Start({"newcomer": ADA}), MONDAY)
    pulse = next(e for e in effects if isinstance(e, SendNotification) and e.template == "feedback/pulse")
    assert pulse.not_before.astimezone(UTC).weekday() == 0 and pulse.not_before > MONDAY + timedelta(days=33)


def test_the_preview_shows_the_pulse_at_day_thirty():
    entries = simulate(load_definition(SOURCE), ADA, MONDAY, days=40)
    pulse = next(entry for entry in entries if "feedback/pulse" in entry.text)
    assert pulse.at == MONDAY + timedelta(days=30)
    assert entries.index(pulse) > 3, "listed in time order, after the first check-ins"


def test_after_must_be_a_duration():
    with pytest.raises(DefinitionError) as refused:
        load_definition(SOURCE.replace("after: 30 days", "after: soon"))
    assert "steps[1].notify.after" in str(refused.value)
