"""A simulated timeline shows what production would do, day by day, in the person's own time zone."""

import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tandem.workflows.builtin import builtin_definitions
from tandem.workflows.definition import load_definition
from tandem.workflows.simulate import MAX_STEPS, simulate
from tandem.workflows.state import Participant

ONBOARDING = next(d for d in builtin_definitions() if d.name == "onboarding-buddy")
ADA = Participant(1, "Ada", "Europe/Berlin", "DE")
START = datetime(2026, 11, 20, 13, tzinfo=UTC)


def test_the_onboarding_timeline_has_the_match_the_introduction_and_six_weekly_check_ins_at_nine():
    lines = [entry.format(START) for entry in simulate(ONBOARDING, ADA, START, days=60)]
    assert "match: find a buddy" in lines[0]
    assert any("onboarding/introduction → Ada (newcomer)" in line for line in lines)
    prompts = [line for line in lines if "checkin/prompt → Ada" in line]
    assert len(prompts) == 6
    assert all(" 09:00 Europe/Berlin" in line for line in prompts)
    assert any("onboarding/wrap-up" in line for line in lines)


def test_a_quiet_simulation_shows_reminders_escalations_and_misses():
    texts = [entry.text for entry in simulate(ONBOARDING, ADA, START, days=60, quiet=True)]
    assert any(text.startswith("checkin/reminder") for text in texts)
    assert any(text == "checkin/escalation → hr" for text in texts)
    assert sum(text.endswith("missed") for text in texts) == 6


DIGEST = next(d for d in builtin_definitions() if d.name == "manager-digest")


def digests(manager):
    """The local send times of a manager's digests from Wednesday 14 October 2026, over eight weeks."""
    start = datetime(2026, 10, 14, 10, tzinfo=UTC)
    entries = [entry for entry in simulate(DIGEST, manager, start, days=56) if entry.text.startswith("manager/digest")]
    return [entry.at.astimezone(ZoneInfo(manager.timezone)) for entry in entries]


def test_managers_in_berlin_and_new_york_get_their_digest_every_other_monday_at_nine_local_across_dst():
    # Berlin leaves summer time on 25 October, New York on 1 November: both lie between the first two digests.
    for manager in (Participant(1, "Bea", "Europe/Berlin", "DE"), Participant(2, "Ned", "America/New_York", "US")):
        sent = digests(manager)
        assert [moment.date().isoformat() for moment in sent] == [
            "2026-10-19",
            "2026-11-02",
            "2026-11-16",
            "2026-11-30",
        ]
        assert all(moment.strftime("%a %H:%M") == "Mon 09:00" for moment in sent)
        offsets = {moment.utcoffset() for moment in sent}
        assert len(offsets) == 2  # the same wall-clock time, a different UTC hour after the change


def test_a_workflow_looping_every_second_stops_quickly_after_the_step_limit_and_says_so():
    spin = load_definition("workflow: spin\nsteps:\n  - id: top\n    wait: {for: 1 second}\n  - goto: top\n")
    started = time.monotonic()
    timeline = simulate(spin, ADA, START, days=60)
    assert time.monotonic() - started < 3
    assert timeline[-1].text.startswith(f"preview stopped after {MAX_STEPS:,} steps")


def test_every_shipped_workflow_fits_the_step_limit_for_two_years():
    for definition in builtin_definitions():
        for quiet in (False, True):
            timeline = simulate(definition, ADA, START, days=730, quiet=quiet)
            assert not any(entry.text.startswith("preview stopped") for entry in timeline), definition.name


def test_a_preview_starting_near_the_end_of_the_calendar_says_so_instead_of_overflowing():
    timeline = simulate(ONBOARDING, ADA, datetime(9999, 12, 1, 9, tzinfo=UTC), days=730)
    assert timeline[-1].text == "preview stopped: its dates would run past the year 9999"
