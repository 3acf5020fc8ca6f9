"""``wait: {until_next: "monday 09:00"}``: the manager digest lands every other Monday at 09:00 local time,
in Berlin and in New York, across the daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from tandem.workflows.builtin import builtin_definitions
from tandem.workflows.calendar import WorkCalendar
from tandem.workflows.definition import DefinitionError, load_definition
from tandem.workflows.simulate import simulate
from tandem.workflows.state import Participant

WEDNESDAY = datetime(2026, 10, 7, 14, 0, tzinfo=UTC)  # both zones still on summer time


def digest_times(timezone: str) -> list[datetime]:
    digest = next(d for d in builtin_definitions() if d.name == "manager-digest")
    manager = Participant(1, "Manager", timezone, "")
    entries = simulate(digest, manager, WEDNESDAY, days=70)
    return [entry.at.astimezone(ZoneInfo(timezone)) for entry in entries if "manager/digest" in entry.text]


@pytest.mark.parametrize("timezone", ["Europe/Berlin", "America/New_York"])
def test_the_digest_arrives_every_other_monday_at_nine_local_time_across_the_clock_change(timezone):
    sent = digest_times(timezone)
    assert len(sent) == 5
    assert all(moment.weekday() == 0 and (moment.hour, moment.minute) == (9, 0) for moment in sent)
    assert [later - earlier for earlier, later in pairwise(sent)] == [timedelta(weeks=2)] * 4
    offsets = {moment.utcoffset() for moment in sent}
    assert len(offsets) == 2  # some before and some after the change, still 09:00 on the wall clock


def test_the_next_monday_morning_is_strictly_later_even_at_monday_nine():
    calendar = WorkCalendar("Europe/Berlin")
    monday_nine = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert calendar.next_weekday_at(monday_nine, 0, monday_nine.astimezone(calendar.zone).time()) == monday_nine + (
        timedelta(weeks=1)
    )


def problems_of(steps: str) -> str:
    with pytest.raises(DefinitionError) as error:
        load_definition(f"workflow: w\nsubject: person\nsteps:\n{steps}")
    return str(error.value)


def test_a_wait_with_two_kinds_or_a_bad_weekday_names_the_step():
    assert "steps[0].wait: expected exactly one of for, until or until_next" in problems_of(
        '  - wait: {for: 2 days, until_next: "monday 09:00"}\n'
    )
    assert 'steps[0].wait.until_next: expected a weekday and a time such as "monday 09:00"' in problems_of(
        '  - wait: {until_next: "moonday 09:00"}\n'
    )
    assert "steps[0].wait" in problems_of("  - wait: {after: 3 days}\n")
