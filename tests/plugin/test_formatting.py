"""Words for people: times, values, rates, event and template names as people read them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from markupsafe import Markup

from tandem.plugin import formatting


def test_a_stored_time_reads_in_the_persons_zone_to_the_minute():
    moment = datetime(2026, 12, 1, 9, 49, 28, 682572)  # SQLite hands back naive UTC
    assert formatting.local_time(moment, "Europe/Berlin") == "Tue 01 Dec 2026, 10:49 CET"
    assert formatting.local_time(moment.replace(tzinfo=UTC), "America/New_York") == "Tue 01 Dec 2026, 04:49 EST"
    assert formatting.local_time(moment, "Not/AZone") == "Tue 01 Dec 2026, 09:49 UTC"
    assert formatting.local_time(None, "UTC") == ""


def test_values_read_as_words_never_as_python():
    assert formatting.plain(None) == "—"
    assert formatting.plain(["find my feet", "career direction"]) == "find my feet, career direction"
    assert formatting.plain({"goals_vs_skills": 0.3}) == "goals vs skills: 0.3"
    assert formatting.plain(True) == "yes"
    assert formatting.plain(date(2026, 12, 1)) == "Tue 01 Dec 2026"
    assert formatting.plain(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), "Asia/Tokyo") == "Tue 01 Dec 2026, 18:00 JST"
    listed = formatting.humane({"<b>": ["a", None]})
    assert isinstance(listed, Markup) and "&lt;b&gt;: a, —" in listed


def test_rates_read_as_percentages():
    assert formatting.percent(0.734) == "73%"
    assert formatting.percent(0.5, digits=1) == "50.0%"
    assert formatting.percent(None) == "—"


def test_engine_names_read_as_what_happened():
    assert formatting.event_words("campaign.acknowledged") == "acknowledged a campaign item"
    assert formatting.trigger_words("employee.hired") == "starts when someone joins the company"
    assert formatting.trigger_words(None) == "started by hand"
    assert formatting.template_label("checkin/prompt") == "Check-in prompt"
    assert formatting.template_label("onboarding/wrap-up") == "Onboarding wrap up"
    assert formatting.step_label(2) == "step 3"
