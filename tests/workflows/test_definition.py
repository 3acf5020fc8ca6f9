"""Definitions are validated against the shipped schema; every error names its path."""

from datetime import time

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.workflows.builtin import builtin_definitions
from tandem.workflows.definition import DefinitionError, load_definition

ONBOARDING = """
workflow: onboarding-test
trigger: employee.hired
subject: newcomer
steps:
  - match: {role: buddy, within: 3 business days}
  - notify: {to: [newcomer, buddy], template: onboarding/introduction}
  - check_in:
      between: [newcomer, buddy]
      every: 1 week
      times: 6
      remind_after: 2 business days
      escalate_to: hr
      escalate_after: 5 business days
  - notify: {to: [newcomer], template: onboarding/wrap-up}
"""


def problems(text):
    with pytest.raises(DefinitionError) as error:
        load_definition(text)
    return [str(problem) for problem in error.value.problems]


def test_a_valid_definition_loads_with_its_steps_and_roles():
    definition = load_definition(ONBOARDING)
    assert [step.kind for step in definition.steps] == ["match", "notify", "check_in", "notify"]
    assert definition.roles() == {"newcomer", "buddy", "hr", "manager"}
    assert definition.trigger == "employee.hired"


def test_a_bad_duration_is_reported_at_its_path_with_what_was_expected():
    assert problems(ONBOARDING.replace("every: 1 week", "every: weekly")) == [
        'steps[2].check_in.every: expected a duration such as "2 weeks" or "3 business days"'
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("times: 6", "times: 0"), "steps[2].check_in.times: expected a whole number from 1 to 104"),
        (("to: [newcomer]", "to: [ceo]"), "steps[3].notify.to: expected a role the workflow fills"),
        (("template: onboarding/wrap-up", "templat: x"), "steps[3].notify: unexpected key templat"),
        (("trigger: employee.hired", "trigger: employee.promoted"), "trigger: expected a known event type"),
        (("- match:", "- matchmaking:"), "steps[0]: expected exactly one step kind of"),
    ],
)
def test_each_mistake_names_its_path(change, expected):
    found = problems(ONBOARDING.replace(*change))
    assert any(problem.startswith(expected) for problem in found), found


def test_a_goto_to_a_missing_step_is_refused():
    text = ONBOARDING + "  - branch: {by: answer.rating, cases: [{below: 3, goto: nowhere}]}\n"
    assert problems(text) == ["steps[4].branch: expected a goto target among the step ids; 'nowhere' is not one"]


DIGEST = """
workflow: digest-test
subject: manager
steps:
  - id: digest
    notify: {to: [manager], template: manager/digest}
  - wait: {until_next: "monday 09:00", after: 13 days}
  - goto: digest
"""


def test_a_wait_until_next_weekday_and_a_goto_loop_load():
    definition = load_definition(DIGEST)
    assert [step.kind for step in definition.steps] == ["notify", "wait", "goto"]
    assert definition.steps[1].weekday_clock("until_next") == (0, time(9, 0))
    assert definition.steps[2].describe() == "goto digest"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('"monday 09:00"', '"moonday 09:00"'),
            'steps[1].wait.until_next: expected a weekday and a local time such as "monday 09:00"',
        ),
        (('"monday 09:00"', '"monday 9am"'), "steps[1].wait.until_next: expected a weekday and a local time"),
        (("after: 13 days", "after: a fortnight"), "steps[1].wait.after: expected a duration"),
        (('until_next: "monday 09:00", after', "after"), "steps[1].wait: expected a mapping with exactly one of"),
        (('{until_next: "monday 09:00"', '{for: 1 week, until_next: "monday 09:00"'), "steps[1].wait: expected"),
        (("goto: digest", "goto: nowhere"), "steps[2].goto: expected a goto target among the step ids"),
        (("goto: digest", "goto: {step: digest}"), 'steps[2].goto: expected a step id such as "first-check-in"'),
    ],
)
def test_a_bad_weekly_wait_or_goto_names_its_path(change, expected):
    found = problems(DIGEST.replace(*change))
    assert any(problem.startswith(expected) for problem in found), found


def test_broken_yaml_is_reported_with_its_line():
    assert problems("workflow: x\nsteps: [\n")[0].startswith("line 3, column 1: not valid YAML")


def test_every_builtin_definition_is_valid():
    names = {definition.name for definition in builtin_definitions()}
    assert names == {"onboarding-buddy", "mentoring-cohort", "peer-circle", "career-advice-campaign", "manager-digest"}


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 200)
    | st.text(max_size=12)
    | st.sampled_from(["1 week", "hr", "newcomer"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["workflow", "steps", "notify", "to", "template", "check_in", "every", "times", "id", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(yaml_values)
def test_validation_raises_only_its_own_error_with_a_path(document):
    try:
        load_definition(yaml.safe_dump(document))
    except DefinitionError as error:
        assert error.problems
        assert all(str(problem) for problem in error.problems)
