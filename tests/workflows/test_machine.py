"""The transition function: pure, idempotent under repeated signals, and faithful to the definition."""

from datetime import UTC, datetime, timedelta

from tandem.workflows.definition import load_definition
from tandem.workflows.effects import (
    ClosePairings,
    Note,
    OpenCheckIn,
    RequestMatch,
    ScheduleTimer,
    SendNotification,
)
from tandem.workflows.machine import Happened, Start, TimerDue, advance
from tandem.workflows.state import InstanceState, Participant

DEFINITION = load_definition(
    """
workflow: buddy-test
subject: newcomer
steps:
  - match: {role: buddy, within: 3 business days}
  - notify: {to: [newcomer, buddy], template: onboarding/introduction}
  - check_in:
      between: [newcomer, buddy]
      every: 1 week
      times: 2
      remind_after: 2 business days
      escalate_to: hr
      escalate_after: 4 business days
  - branch: {by: answer.rating, cases: [{below: 3, goto: follow-up}], otherwise: bye}
  - id: follow-up
    notify: {to: [hr], template: mentoring/low-rating}
  - id: bye
    notify: {to: [newcomer], template: onboarding/wrap-up}
"""
)
ADA = Participant(1, "Ada", "Europe/Berlin", "DE")
WEN = Participant(2, "Wen", "Asia/Singapore", "SG")
MONDAY = datetime(2026, 11, 23, 10, tzinfo=UTC)


def started():
    state, effects = advance(InstanceState(), DEFINITION, Start({"newcomer": ADA}), MONDAY)
    return state, effects


def matched():
    state, _ = started()
    return advance(state, DEFINITION, Happened("match.found", {"role": "buddy", "person": vars(WEN)}), MONDAY)


def of(kind, effects):
    return [effect for effect in effects if isinstance(effect, kind)]


def timer_named(effects, fragment):
    return next(effect for effect in of(ScheduleTimer, effects) if fragment in effect.key)


def test_starting_asks_for_a_match_and_waits_with_a_deadline():
    state, effects = started()
    assert [effect.role for effect in of(RequestMatch, effects)] == ["buddy"]
    deadline = timer_named(effects, "match-deadline")
    assert deadline.due_at.date().isoformat() == "2026-11-26"  # three business days after Monday
    assert state.step == 0


def test_a_match_introduces_both_in_their_own_working_hours_and_schedules_the_first_prompt():
    state, effects = matched()
    introductions = {effect.person_id: effect.not_before for effect in of(SendNotification, effects)}
    assert introductions[ADA.id] == MONDAY  # 11:00 in Berlin
    assert introductions[WEN.id] == datetime(2026, 11, 24, 1, tzinfo=UTC)  # 18:00 in Singapore → Tue 09:00
    prompt = timer_named(effects, "prompt.1")
    assert prompt.due_at == datetime(2026, 11, 30, 8, tzinfo=UTC)  # next Monday 09:00 in Berlin
    assert state.roles["buddy"]["name"] == "Wen"


def test_advance_never_changes_the_state_it_was_given():
    state, _ = started()
    before = state.to_json()
    advance(state, DEFINITION, Happened("match.found", {"role": "buddy", "person": vars(WEN)}), MONDAY)
    assert state.to_json() == before


def test_the_same_timer_delivered_twice_has_an_effect_once():
    state, effects = matched()
    prompt = timer_named(effects, "prompt.1")
    state, first = advance(state, DEFINITION, TimerDue(prompt.key), prompt.due_at)
    state, second = advance(state, DEFINITION, TimerDue(prompt.key), prompt.due_at)
    assert len(of(OpenCheckIn, first)) == 1
    assert [type(effect) for effect in second] == [Note], "only a history note saying it was already handled"


def test_a_pair_that_answers_gets_no_reminder():
    state, effects = matched()
    prompt = timer_named(effects, "prompt.1")
    state, effects = advance(state, DEFINITION, TimerDue(prompt.key), prompt.due_at)
    remind = timer_named(effects, "remind.1")
    for person in (ADA, WEN):
        answer = {"sequence": 1, "person_id": person.id, "rating": 5}
        state, _ = advance(state, DEFINITION, Happened("checkin.completed", answer), prompt.due_at)
    state, effects = advance(state, DEFINITION, TimerDue(remind.key), remind.due_at)
    assert of(SendNotification, effects) == []


def test_a_quiet_pair_is_reminded_and_then_escalated_to_hr():
    state, effects = matched()
    prompt = timer_named(effects, "prompt.1")
    state, effects = advance(state, DEFINITION, TimerDue(prompt.key), prompt.due_at)
    remind, escalate = timer_named(effects, "remind.1"), timer_named(effects, "escalate.1")
    state, reminders = advance(state, DEFINITION, TimerDue(remind.key), remind.due_at)
    assert {(e.template, e.person_id) for e in of(SendNotification, reminders)} == {
        ("checkin/reminder", ADA.id),
        ("checkin/reminder", WEN.id),
    }
    state, escalation = advance(state, DEFINITION, TimerDue(escalate.key), escalate.due_at)
    assert [(e.template, e.role) for e in of(SendNotification, escalation)] == [("checkin/escalation", "hr")]


def run_check_ins(rating):
    state, effects = matched()
    for sequence in (1, 2):
        prompt = timer_named(effects, f"prompt.{sequence}")
        state, effects = advance(state, DEFINITION, TimerDue(prompt.key), prompt.due_at)
        answer = {"sequence": sequence, "person_id": ADA.id, "rating": rating}
        state, _ = advance(state, DEFINITION, Happened("checkin.completed", answer), prompt.due_at)
    end = timer_named(effects, "end")
    return advance(state, DEFINITION, TimerDue(end.key), end.due_at)


def test_a_low_last_rating_branches_to_a_follow_up_with_hr():
    state, effects = run_check_ins(rating=2)
    assert [e.template for e in of(SendNotification, effects)] == ["mentoring/low-rating", "onboarding/wrap-up"]
    assert state.status == "completed"


def test_a_good_last_rating_goes_straight_to_the_wrap_up():
    _, effects = run_check_ins(rating=5)
    assert [e.template for e in of(SendNotification, effects)] == ["onboarding/wrap-up"]


def test_someone_leaving_cancels_the_instance_and_closes_its_pairings():
    state, _ = matched()
    state, effects = advance(state, DEFINITION, Happened("employee.left", {"person_id": WEN.id}), MONDAY)
    assert state.status == "cancelled"
    assert of(ClosePairings, effects)
    assert advance(state, DEFINITION, Happened("match.found", {"role": "buddy", "person": vars(ADA)}), MONDAY)[1] == []


def test_leave_pauses_prompts_and_return_reschedules_them():
    state, effects = matched()
    prompt = timer_named(effects, "prompt.1")
    state, _ = advance(state, DEFINITION, Happened("employee.leave_started", {"person_id": ADA.id}), MONDAY)
    state, during = advance(state, DEFINITION, TimerDue(prompt.key), prompt.due_at)
    assert during == [] and state.status == "paused"
    back = prompt.due_at + timedelta(days=10)
    state, effects = advance(state, DEFINITION, Happened("employee.leave_ended", {"person_id": ADA.id}), back)
    [resumed] = of(ScheduleTimer, effects)
    state, effects = advance(state, DEFINITION, TimerDue(resumed.key), resumed.due_at)
    assert len(of(OpenCheckIn, effects)) == 1
