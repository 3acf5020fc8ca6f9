"""Match scores on one scale: points out of 100 with reasons in words, however the score was stored."""

from __future__ import annotations

from tandem.plugin.matchmaking.explain import circle_weights, explain, pairing_weights
from tandem.workflows.matching.settings import CRITERIA

ONBOARDING = {"weights": {"location": 6}, "constraints": {"in_person": True}}


def test_a_solver_score_is_its_share_of_the_most_the_weights_allow():
    weights = pairing_weights(ONBOARDING)
    full = {criterion: weight * 100 for criterion, weight in weights.items()}
    assert explain(sum(full.values()), full, weights).points == 100
    half = {criterion: points / 2 for criterion, points in full.items()}
    explained = explain(sum(half.values()), half, weights)
    assert explained.points == 50
    assert sum(reason.points for reason in explained.reasons) in (49, 50, 51)  # each rounded on its own


def test_an_onboarding_and_a_cohort_pairing_read_on_the_same_scale():
    onboarding = explain(
        2300,
        {"seniority": 400.0, "tenure": 200.0, "department": 300.0, "languages": 600.0, "location": 800.0},
        pairing_weights(ONBOARDING),
    )
    cohort = explain(
        0.82,
        {
            "goals_vs_skills": 0.30,
            "seniority_gap": 0.20,
            "different_department": 0.15,
            "time_zone_overlap": 0.12,
            "shared_languages": 0.05,
        },
    )
    assert 0 < onboarding.points <= 100 and cohort.points == 82
    assert [str(reason) for reason in cohort.reasons][:2] == [
        "mentee's goals met by mentor's skills: 30 points",
        "seniority gap: 20 points",
    ]
    assert str(onboarding.reasons[0]) == "same location (in person): 22 points"
    assert str(onboarding) == f"{onboarding.points} of 100"


def test_reasons_leave_out_criteria_that_earned_nothing_and_name_every_criterion_in_words():
    weights = pairing_weights(None)
    breakdown = {criterion: (100 * weights[criterion] if criterion == "goals" else 0) for criterion in CRITERIA}
    explained = explain(sum(breakdown.values()), breakdown, weights)
    assert [reason.label for reason in explained.reasons] == ["mentee's goals met by mentor's skills"]


def test_the_simple_matchers_points_and_a_circles_score_are_out_of_100_too():
    simple = explain(
        7.0,
        {
            "same location": 2.0,
            "other department": 1.0,
            "same time zone": 1.0,
            "shared language": 1.0,
            "experience": 2.0,
        },
    )
    assert simple.points == 100
    weights = circle_weights({})
    circle = explain(sum(w * 50 for w in weights.values()), {k: w * 50 for k, w in weights.items()}, weights)
    assert circle.points == 50 and "shared working hours" in [reason.label for reason in circle.reasons]


def test_nothing_to_explain_is_none():
    assert explain(None, None) is None
    assert explain(0.5, {}).points == 50 and explain(0.5, {}).reasons == ()
