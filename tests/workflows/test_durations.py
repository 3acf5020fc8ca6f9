"""Durations are read the way HR writes them, and anything else is refused with the expected form."""

from datetime import timedelta

import pytest

from tandem.workflows.definition import DefinitionError, load_definition
from tandem.workflows.durations import Duration, DurationError, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 weeks", Duration(2, "week")),
        ("1 week", Duration(1, "week")),
        ("3 business days", Duration(3, "day", business=True)),
        ("90 minutes", Duration(90, "minute")),
        (" 30 seconds ", Duration(30, "second")),
    ],
)
def test_durations_parse(text, expected):
    assert parse_duration(text) == expected


def test_a_duration_knows_its_calendar_length_and_prints_back():
    assert parse_duration("2 weeks").delta == timedelta(days=14)
    assert str(parse_duration("3 business days")) == "3 business days"


@pytest.mark.parametrize("text", ["weekly", "2", "two weeks", "3 business hours", "", None, 5])
def test_anything_else_is_refused_with_the_expected_form(text):
    with pytest.raises(DurationError, match=r'such as "2 weeks"|only days can be business days'):
        parse_duration(text)


@pytest.mark.parametrize("text", ["99999999999999999999999 days", "3661 days", "1" + "0" * 5000 + " seconds"])
def test_a_duration_longer_than_ten_years_is_refused_not_an_overflow(text):
    with pytest.raises(DurationError, match="at most 3660 days"):
        parse_duration(text)


def test_ten_years_is_still_a_duration():
    assert parse_duration("522 weeks").delta == timedelta(weeks=522)


def test_a_definition_with_an_endless_wait_names_the_path_of_the_duration():
    with pytest.raises(DefinitionError) as refused:
        load_definition("workflow: forever\nsteps:\n  - wait: {for: 99999999999999999999999 days}\n")
    assert [str(problem) for problem in refused.value.problems] == [
        "steps[0].wait.for: expected a duration of at most 3660 days (about ten years)"
    ]
