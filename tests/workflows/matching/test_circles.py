"""Peer circles: sizes, everyone once, no reporting line inside a circle, deterministic, better than the seed."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.workflows.matching.circles import CircleSettings, form_circles, plan_sizes
from tandem.workflows.matching.pool import Member
from tandem.workflows.matching.settings import SettingsError

OFFSETS = [0, 60, 120, -300, 330, 540]


def organisation(seed: int, size: int, offsets: list[int] = OFFSETS) -> list[Member]:
    """People in a random manager forest (earlier people manage later ones)."""
    rng = random.Random(seed)
    managers: list[int | None] = [None if p == 0 or rng.random() < 0.3 else rng.randrange(p) for p in range(size)]
    people = []
    for p in range(size):
        chain, boss = [], managers[p]
        while boss is not None:
            chain.append(100 + boss)
            boss = managers[boss]
        people.append(
            Member(
                id=100 + p,
                department=rng.choice("ABCD"),
                managers=tuple(chain),
                seniority=rng.randrange(0, 11),
                utc_offset_minutes=rng.choice(offsets),
                location=rng.choice(["x", "y", "z"]),
            )
        )
    return people


def overlap_hours(a: int, b: int) -> float:
    gap = abs(a - b) % 1440
    return max(0, 480 - min(gap, 1440 - gap)) / 60


@st.composite
def programmes(draw: st.DrawFn) -> tuple[list[Member], CircleSettings]:
    """A random organisation and random circle settings."""
    people = organisation(draw(st.integers(0, 2**32 - 1)), draw(st.integers(0, 40)))
    low = draw(st.integers(2, 6))
    chosen = CircleSettings.from_json(
        {
            "min_size": low,
            "max_size": low + draw(st.integers(0, 3)),
            "min_overlap_hours": draw(st.sampled_from([0, 3, 6])),
            "weights": {"department": draw(st.integers(0, 10)), "timezone": draw(st.integers(0, 10))},
        }
    )
    return people, chosen


FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FEW
@given(programmes())
def test_every_person_is_in_exactly_one_circle_or_left_out_with_a_reason(programme: tuple) -> None:
    people, chosen = programme
    plan = form_circles(people, chosen)
    placed = [p for circle in plan.circles for p in circle.members]
    left = [u.mentee for u in plan.left_out]
    assert sorted(placed + left) == sorted(p.id for p in people)
    assert all(u.reason for u in plan.left_out)


@FEW
@given(programmes())
def test_circle_sizes_stay_within_the_configured_range(programme: tuple) -> None:
    people, chosen = programme
    plan = form_circles(people, chosen)
    assert all(chosen.min_size <= len(c.members) <= chosen.max_size for c in plan.circles)


@FEW
@given(programmes())
def test_nobody_shares_a_circle_with_their_manager_or_report_or_too_few_working_hours(programme: tuple) -> None:
    people, chosen = programme
    by_id = {p.id: p for p in people}
    for circle in form_circles(people, chosen).circles:
        for a in circle.members:
            for b in circle.members:
                if a != b:
                    assert b not in by_id[a].managers
                    offsets = by_id[a].utc_offset_minutes, by_id[b].utc_offset_minutes
                    assert overlap_hours(*offsets) >= chosen.min_overlap_hours


@FEW
@given(programmes(), st.randoms(use_true_random=False))
def test_the_same_people_in_any_order_give_the_same_circles(programme: tuple, shuffler: random.Random) -> None:
    people, chosen = programme
    first = form_circles(people, chosen)
    shuffler.shuffle(people)
    again = form_circles(people, chosen)
    assert first.circles == again.circles
    assert first.left_out == again.left_out


@FEW
@given(programmes())
def test_the_search_never_ends_below_its_greedy_seed_and_explains_each_score(programme: tuple) -> None:
    people, chosen = programme
    plan = form_circles(people, chosen)
    assert plan.total >= plan.stats["seed_score"]
    assert all(sum(c.breakdown.values()) == c.score for c in plan.circles)


def test_everyone_is_placed_when_the_sizes_allow_it() -> None:
    for n in [6, 7, 8, 12, 13, 16, 18, 23, 40]:
        plan = form_circles([Member(i, department=f"d{i % 3}") for i in range(n)])
        assert plan.left_out == []
        assert sum(len(c.members) for c in plan.circles) == n
        assert max(len(c.members) for c in plan.circles) - min(len(c.members) for c in plan.circles) <= 1


def test_nine_people_make_one_circle_of_eight_and_the_ninth_is_told_why() -> None:
    assert plan_sizes(9, 6, 8) == [8]
    plan = form_circles([Member(i) for i in range(9)])
    assert [len(c.members) for c in plan.circles] == [8]
    assert plan.left_out[0].reason == "9 people cannot all be split into circles of 6–8"


def test_too_few_participants_form_no_circle() -> None:
    plan = form_circles([Member(i) for i in range(4)])
    assert plan.circles == []
    assert {u.reason for u in plan.left_out} == {"only 4 participant(s): a circle needs at least 6"}


def test_the_search_mixes_departments_the_seed_left_together() -> None:
    people = [Member(i, department="AB"[i // 6], location="xy"[i // 6]) for i in range(12)]
    plan = form_circles(people, CircleSettings.from_json({"weights": {"timezone": 0, "seniority": 0}}))
    for circle in plan.circles:
        assert circle.breakdown["department"] == 4 * 100 // 5
    assert plan.total > 0


def test_a_manager_and_their_whole_subtree_are_kept_apart() -> None:
    boss = Member(1)
    middle = Member(2, managers=(1,))
    below = [Member(10 + i, managers=(2, 1)) for i in range(5)]
    others = [Member(20 + i) for i in range(5)]
    plan = form_circles([boss, middle, *below, *others], CircleSettings.from_json({"min_size": 2, "max_size": 6}))
    for circle in plan.circles:
        assert not ({1, 2} <= set(circle.members))
        if 1 in circle.members or 2 in circle.members:
            assert not set(circle.members) & {10, 11, 12, 13, 14}


def test_people_on_leave_are_left_out_with_their_reason() -> None:
    plan = form_circles([Member(i) for i in range(6)] + [Member(99, unavailable="on leave")])
    assert [(u.mentee, u.reason) for u in plan.left_out] == [(99, "on leave")]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"min_size": 1}, "min_size"),
        ({"min_size": 6, "max_size": 5}, "max_size"),
        ({"weights": {"charisma": 3}}, "weights.charisma"),
        ({"weights": {"department": 11}}, "weights.department"),
        ({"min_overlap_hours": 9}, "min_overlap_hours"),
        ({"size": 6}, "size"),
    ],
)
def test_bad_circle_settings_are_refused_naming_the_field(data: dict, field: str) -> None:
    with pytest.raises(SettingsError) as error:
        CircleSettings.from_json(data)
    assert error.value.field == field


def test_sizes_are_as_even_as_possible_with_as_few_circles_as_fit() -> None:
    assert plan_sizes(20, 6, 8) == [7, 7, 6]
    assert plan_sizes(16, 6, 8) == [8, 8]
    assert plan_sizes(17, 6, 8) == [8, 8]  # no split of 17 fits 6–8: one person waits
    assert plan_sizes(5, 6, 8) == []
