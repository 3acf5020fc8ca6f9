"""The whole-pool solver against the dense assignment optimum, and the rules it must never break."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matching_reference import dense_optimum, score_matrix

from tandem.workflows.matching.pool import Member, encode
from tandem.workflows.matching.settings import CRITERIA, MatchSettings, SettingsError
from tandem.workflows.matching.solver import solve

LANGUAGES = ["en", "fr", "de"]
TOPICS = [f"t{i}" for i in range(8)]
OFFSETS = [0, 60, -300, 330, 540]


def organisation(rng: random.Random, size: int) -> list[int | None]:
    """A manager for each person (a forest; earlier people manage later ones)."""
    return [None if p == 0 or rng.random() < 0.2 else rng.randrange(p) for p in range(size)]


def chain(managers: list[int | None], p: int) -> tuple[int, ...]:
    up, boss = [], managers[p]
    while boss is not None:
        up.append(boss)
        boss = managers[boss]
    return tuple(up)


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Member], list[Member], MatchSettings, list[tuple[int, int]], int]:
    """A random pool, random settings, random previous pairs and a random candidate count k."""
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(1, 14))
    m = draw(st.integers(1, 6))
    rng = random.Random(seed)
    managers = organisation(rng, n + m)

    def member(p: int, capacity: int) -> Member:
        return Member(
            id=p,
            department=rng.choice("ABC"),
            team=managers[p],
            managers=chain(managers, p),
            seniority=rng.randrange(0, 11),
            tenure_years=rng.randrange(0, 10),
            utc_offset_minutes=rng.choice(OFFSETS),
            languages=frozenset(rng.sample(LANGUAGES, rng.randrange(0, 3))),
            topics=frozenset(rng.sample(TOPICS, rng.randrange(0, 4))),
            interests=frozenset(rng.sample(TOPICS, rng.randrange(0, 3))),
            location=rng.choice(["", "x", "y"]),
            capacity=capacity,
        )

    people = list(range(n + m))
    rng.shuffle(people)
    mentees = [member(p, 1) for p in people[:n]]
    mentors = [member(p, rng.randrange(0, 4)) for p in people[n:]]
    weights = {name: draw(st.integers(0, 10)) for name in CRITERIA}
    constraints = {
        "not_same_team": draw(st.booleans()),
        "min_timezone_overlap": draw(st.sampled_from([0, 2, 5])),
        "shared_language": draw(st.booleans()),
        "cross_department": draw(st.booleans()),
        "max_seniority_distance": draw(st.sampled_from([None, 2, 5])),
        "in_person": draw(st.booleans()),
    }
    chosen = MatchSettings.from_json({"weights": weights, "constraints": constraints})
    previous = [(e.id, r.id) for e in mentees for r in mentors if rng.random() < 0.1]
    return mentees, mentors, chosen, previous, draw(st.integers(1, 4))


def overlap_hours(a: int, b: int) -> float:
    gap = abs(a - b) % 1440
    return max(0, 480 - min(gap, 1440 - gap)) / 60


SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(instances())
def test_the_total_equals_the_dense_linear_sum_assignment_optimum(instance: tuple) -> None:
    mentees, mentors, chosen, previous, k = instance
    solution = solve(mentees, mentors, chosen, previous, k=k)
    enc = encode(sorted(mentees, key=lambda p: p.id), sorted(mentors, key=lambda p: p.id), previous)
    total, pairs, _ = dense_optimum(score_matrix(enc, chosen), enc.capacities)
    assert (solution.total, len(solution.pairs)) == (total, pairs)
    assert solution.certified


@SLOW
@given(instances())
def test_no_pair_breaks_a_hard_constraint_or_a_capacity(instance: tuple) -> None:
    mentees, mentors, chosen, previous, k = instance
    solution = solve(mentees, mentors, chosen, previous, k=k)
    by_id = {p.id: p for p in [*mentees, *mentors]}
    load: dict[int, int] = {}
    for pair in solution.pairs:
        mentee, mentor = by_id[pair.mentee], by_id[pair.mentor]
        load[mentor.id] = load.get(mentor.id, 0) + 1
        assert mentor.id not in mentee.managers and mentee.id not in mentor.managers
        assert (mentee.id, mentor.id) not in previous
        if chosen.not_same_team and mentee.team is not None:
            assert mentee.team != mentor.team
        assert overlap_hours(mentee.utc_offset_minutes, mentor.utc_offset_minutes) >= chosen.min_timezone_overlap
        if chosen.shared_language:
            assert mentee.languages & mentor.languages
        if chosen.cross_department:
            assert mentee.department != mentor.department
        if chosen.max_seniority_distance is not None:
            assert abs(mentee.seniority - mentor.seniority) <= chosen.max_seniority_distance
        for name, weight in chosen.weights.items():
            if weight == 10:
                assert pair.breakdown[name] > 0, name
        assert sum(pair.breakdown.values()) == pair.score
    assert all(load[mentor.id] <= mentor.capacity for mentor in mentors if mentor.id in load)
    matched = {pair.mentee for pair in solution.pairs}
    assert len(matched) == len(solution.pairs)
    assert matched | {u.mentee for u in solution.unmatched} == {m.id for m in mentees}


@settings(max_examples=40, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_the_same_pool_in_any_order_gives_the_same_proposals(instance: tuple, shuffler: random.Random) -> None:
    mentees, mentors, chosen, previous, k = instance
    first = solve(mentees, mentors, chosen, previous, k=k)
    shuffler.shuffle(mentees)
    shuffler.shuffle(mentors)
    again = solve(mentees, mentors, chosen, previous, k=k)
    assert first.pairs == again.pairs
    assert first.unmatched == again.unmatched


def test_an_unmatched_mentee_is_told_which_constraint_ruled_everyone_out() -> None:
    mentee = Member(1, languages=frozenset({"fi"}))
    mentors = [Member(10, languages=frozenset({"en"}), capacity=2), Member(11, languages=frozenset({"de"}))]
    solution = solve([mentee], mentors, MatchSettings.from_json({"constraints": {"shared_language": True}}))
    assert solution.pairs == []
    assert solution.unmatched[0].reason == "no eligible mentor: no shared language (2)"


def test_a_mentee_loses_out_when_every_eligible_mentor_is_full() -> None:
    mentees = [Member(1, topics=frozenset({"sql"})), Member(2)]
    mentor = Member(10, topics=frozenset({"sql"}), capacity=1)
    solution = solve(mentees, [mentor])
    assert [(p.mentee, p.mentor) for p in solution.pairs] == [(1, 10)]
    assert solution.unmatched[0].mentee == 2
    assert solution.unmatched[0].reason == "capacity exhausted: all 1 eligible mentor(s) are full"


def test_a_manager_is_never_proposed_to_anyone_in_their_reporting_line() -> None:
    boss = Member(1, capacity=5, seniority=8)
    report = Member(2, managers=(1,), team=1)
    grand_report = Member(3, managers=(2, 1), team=2)
    outsider = Member(4, capacity=5, seniority=1)
    solution = solve([report, grand_report], [boss, outsider])
    assert {p.mentor for p in solution.pairs} == {4}


def test_people_on_leave_or_opted_out_stay_out_with_their_reason() -> None:
    solution = solve([Member(1, unavailable="on leave")], [Member(10)])
    assert solution.unmatched[0].reason == "on leave"


def test_weight_ten_makes_a_criterion_a_must() -> None:
    mentee = Member(1, topics=frozenset({"go"}))
    mentors = [Member(10, topics=frozenset({"go"})), Member(11, topics=frozenset({"rust"}), capacity=3)]
    chosen = MatchSettings.from_json({"weights": {"goals": 10}})
    solution = solve([mentee, Member(2, topics=frozenset({"python"}))], mentors, chosen)
    assert [(p.mentee, p.mentor) for p in solution.pairs] == [(1, 10)]
    assert "must-match" in solution.unmatched[0].reason


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"weights": {"goals": 11}}, "weights.goals"),
        ({"weights": {"charisma": 3}}, "weights.charisma"),
        ({"constraints": {"min_timezone_overlap": 9}}, "constraints.min_timezone_overlap"),
        ({"constraints": {"shared_language": "yes"}}, "constraints.shared_language"),
        ({"constraints": {"max_seniority_distance": -1}}, "constraints.max_seniority_distance"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(data: dict, field: str) -> None:
    with pytest.raises(SettingsError) as error:
        MatchSettings.from_json(data)
    assert error.value.field == field


def test_the_certificate_adds_edges_the_top_k_left_out() -> None:
    rng = np.random.default_rng(3)
    mentees = [Member(i, topics=frozenset({f"t{rng.integers(4)}"})) for i in range(40)]
    mentors = [Member(100 + j, topics=frozenset({f"t{j % 4}"}), capacity=2) for j in range(12)]
    solution = solve(mentees, mentors, k=1)
    enc = encode(mentees, mentors)
    assert solution.total == dense_optimum(score_matrix(enc, MatchSettings()), enc.capacities)[0]
    assert solution.stats["rounds"] >= 1


def crowded_pool(seed: int) -> tuple[list[Member], list[Member]]:
    """60 mentees after 20 mentors with few places: one candidate each leaves most of the market to pricing."""
    rng = random.Random(seed)

    def person(p: int, low: int, high: int, capacity: int = 1) -> Member:
        return Member(
            p,
            topics=frozenset(rng.sample(TOPICS[:6], 3 if capacity > 1 else 2)),
            seniority=rng.randrange(low, high),
            utc_offset_minutes=rng.choice(OFFSETS[:3]),
            department=rng.choice("AB"),
            capacity=capacity,
        )

    return [person(i, 0, 5) for i in range(60)], [person(100 + j, 3, 9, rng.randrange(1, 4)) for j in range(20)]


@pytest.mark.parametrize("seed", range(12))
def test_a_round_that_repairs_the_previous_flow_still_reaches_the_dense_optimum(seed: int) -> None:
    mentees, mentors = crowded_pool(seed)
    solution = solve(mentees, mentors, k=1)
    enc = encode(mentees, mentors)
    total, pairs, _ = dense_optimum(score_matrix(enc, MatchSettings()), enc.capacities)
    assert solution.stats["rounds_warm"] >= 1
    assert (solution.total, len(solution.pairs)) == (total, pairs)
