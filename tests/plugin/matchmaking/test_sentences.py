"""Why two people were matched, in words: from the solver's own breakdown, for either reader, in any script."""

from __future__ import annotations

from datetime import date, time

import pytest
from names import PEOPLE

from tandem.plugin.matchmaking.sentences import Side, circle_sentences, language_name, sentences
from tandem.plugin.models import Person, Profile, effective
from tandem.workflows.matching.settings import DEFAULT_WEIGHTS

# What the solver stores: weight × points per criterion (goals fully met, a language, 6 of 8 hours).
BREAKDOWN = {
    "goals": DEFAULT_WEIGHTS["goals"] * 100,
    "languages": DEFAULT_WEIGHTS["languages"] * 100,
    "timezone": DEFAULT_WEIGHTS["timezone"] * 75,
    "interests": 0,
}


def side(name: str, help_with=(), learn=(), languages=("es", "en"), seniority=0, hired=date(2020, 1, 1)) -> Side:
    person = Person(full_name=name, seniority=seniority, hire_date=hired, skills=[], interests=[], languages=[])
    profile = Profile(help_with=list(help_with), want_to_learn=list(learn), languages=list(languages))
    facts = effective(person, profile)
    return Side(person, facts, tuple(learn))


def test_the_mentee_reads_the_reasons_as_the_solver_weighed_them():
    mentee = side("Carmen García", learn=["platform engineering"], languages=["es"])
    mentor = side("Esther Okafor", help_with=["Platform engineering", "hiring"], languages=["es", "en"])
    said = sentences(BREAKDOWN, DEFAULT_WEIGHTS, mentee, mentor, "mentee")
    assert said == [
        "Esther Okafor can help with platform engineering, which you want to learn.",
        "You both speak Spanish.",
        "6 hours of shared working time.",
    ]


def test_the_mentor_and_a_neutral_reader_get_the_same_reasons_in_their_own_voice():
    mentee = side("Carmen García", learn=["platform engineering"], languages=["es"])
    mentor = side("Esther Okafor", help_with=["platform engineering"], languages=["es"])
    assert sentences(BREAKDOWN, DEFAULT_WEIGHTS, mentee, mentor, "mentor")[0] == (
        "You can help with platform engineering, which Carmen García wants to learn."
    )
    neutral = sentences(BREAKDOWN, DEFAULT_WEIGHTS, mentee, mentor, None)
    assert neutral[1] == "Carmen García and Esther Okafor both speak Spanish."


def test_criteria_without_points_say_nothing_and_hours_follow_the_points():
    mentee, mentor = side("A"), side("B")
    said = sentences({"timezone": DEFAULT_WEIGHTS["timezone"] * 12, "location": 0}, DEFAULT_WEIGHTS, mentee, mentor)
    assert said == ["1 hour of shared working time."]


def test_seniority_and_tenure_name_the_gap():
    mentee = side("Ana", seniority=1, hired=date(2024, 1, 1))
    mentor = side("Bea", seniority=4, hired=date(2014, 1, 1))
    said = sentences(
        {"seniority": 400, "tenure": 200}, DEFAULT_WEIGHTS, mentee, mentor, "mentee", today=date(2026, 12, 1)
    )
    assert said == ["Bea is 3 levels more senior than you.", "Bea has been with the company 10 years longer than you."]


@pytest.mark.parametrize("named", PEOPLE, ids=lambda p: p.employee_id)
def test_names_in_every_script_stay_whole_in_the_sentences(named):
    mentee = side("Madonna", learn=["数据分析"], languages=["en"])
    mentor = side(named.name, help_with=["数据分析"], languages=["en"])
    said = sentences(BREAKDOWN, DEFAULT_WEIGHTS, mentee, mentor, "mentee")
    assert said[0] == f"{named.name} can help with 数据分析, which you want to learn."
    assert said[1] == "You both speak English."


def test_older_breakdowns_read_through_the_same_aliases():
    mentee, mentor = side("Ana", languages=["de"]), side("Bea", languages=["de"])
    assert sentences({"shared language": 1}, DEFAULT_WEIGHTS, mentee, mentor, "mentee") == ["You both speak German."]


def test_a_language_that_is_no_code_stays_as_written():
    assert language_name("es") == "Spanish" and language_name("Klingon") == "Klingon"


def test_circles_say_what_they_mix():
    assert circle_sentences({"department": 300, "timezone": 500, "location": 0}) == [
        "Your circle shares working hours.",
        "Your circle brings together different departments.",
    ]


def test_working_hours_default_to_a_nine_to_five_day():
    facts = effective(Person(full_name="X", skills=[], interests=[], languages=[]), None)
    assert (facts.work_start, facts.work_end) == (time(9), time(17))
