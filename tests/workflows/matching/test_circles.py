"""Peer-circle partitioning: sizes in range, everyone once, no reporting line inside, deterministic, better mixed."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.workflows.matching.circles import CircleSettings, _Search, circle_sizes, form_circles
from tandem.workflows.matching.pool import Member
from tandem.workflows.matching.settings import SettingsError

DEPARTMENTS = ("Engineering", "Sales", "Finance", "People", "Legal")


def people(count: int, seed: int, bosses: int = 3) -> list[Member]:
    """``count`` people; the first ``bosses`` manage a handful of the others."""
    rng = random.Random(seed)
    out = []
    for number in range(1, count + 1):
        boss = rng.randint(1, bosses) if bosses and number > bosses and rng.random() < 0.4 else None
        out.append(
            Member(
                id=number,
                department=rng.choice(DEPARTMENTS),
                location=rng.choice(("Berlin", "Lisbon", "London")),
                seniority=rng.randint(0, 10),
                utc_offset_minutes=rng.choice((0, 60, 60, 120)),
                managers=(boss,) if boss else (),
            )
        )
    return out


@given(st.integers(0, 60), st.integers(0, 10_000))
@settings(max_examples=40, deadline=None)
def test_everyone_sits_once_in_a_circle_of_six_to_eight_and_never_with_their_manager(count, seed):
    group = people(count, seed)
    plan = form_circles(group)
    seated = [i for circle in plan.circles for i in circle.members]
    assert len(seated) == len(set(seated))
    assert sorted(seated + [u.mentee for u in plan.left_out]) == [m.id for m in group]
    assert all(6 <= len(circle.members) <= 8 for circle in plan.circles)
    boss_of = {m.id: set(m.managers) for m in group}
    for circle in plan.circles:
        assert not any(boss_of[i] & set(circle.members) for i in circle.members)
    assert all(u.reason for u in plan.left_out)
    if count >= 6 and not any(m.managers for m in group):
        assert len(seated) >= count - 5  # without a reporting line only the sizes leave anyone out


def test_nine_people_make_one_circle_of_eight_and_the_ninth_is_told_why():
    plan = form_circles(people(9, 1, bosses=0))
    assert [len(c.members) for c in plan.circles] == [8]
    assert [u.reason for u in plan.left_out] == ["circles of 6–8 cannot take all 9 people"]


def test_sizes_are_as_even_as_possible():
    assert circle_sizes(20, 6, 8) == [7, 7, 6]
    assert circle_sizes(5, 6, 8) == []
    assert circle_sizes(16, 6, 8) == [8, 8]


def test_the_same_people_in_any_order_give_the_same_circles():
    group = people(40, 7)
    shuffled = list(group)
    random.Random(3).shuffle(shuffled)
    assert [c.members for c in form_circles(group).circles] == [c.members for c in form_circles(shuffled).circles]


def test_exchanges_mix_circles_better_than_the_seed_and_than_a_random_split():
    group = people(48, 11)
    plan = form_circles(group)
    total = sum(c.score for c in plan.circles)
    rng = random.Random(5)
    ids = [m.id for m in group]
    rng.shuffle(ids)
    search = _Search(group, CircleSettings())
    random_total = sum(search.score(ids[i : i + 8]) for i in range(0, 48, 8))
    assert plan.swaps > 0
    assert total > random_total


def test_a_working_hours_overlap_keeps_far_time_zones_apart():
    group = [Member(id=i, utc_offset_minutes=0 if i <= 7 else 540, department=str(i % 3)) for i in range(1, 15)]
    plan = form_circles(group, CircleSettings.from_json({"min_overlap_hours": 2}))
    for circle in plan.circles:
        assert len({i <= 7 for i in circle.members}) == 1


def test_bad_settings_name_the_field():
    with pytest.raises(SettingsError, match="max_size"):
        CircleSettings.from_json({"max_size": 1})
    with pytest.raises(SettingsError, match=r"weights\.charisma"):
        CircleSettings.from_json({"weights": {"charisma": 2}})
