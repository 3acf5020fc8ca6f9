"""A simulated timeline shows what production would do, day by day, in the person's own time zone."""

from datetime import UTC, datetime

from tandem.workflows.builtin import builtin_definitions
from tandem.workflows.simulate import simulate
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
