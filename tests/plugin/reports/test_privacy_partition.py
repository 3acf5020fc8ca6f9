"""Which cells of one partition table (teams, the manager's own group, the total) are hidden."""

from __future__ import annotations

from tandem.plugin.reports.privacy import is_hidden, partition_hidden, suppress_groups

K = 5


def test_nothing_is_hidden_when_every_part_is_large_enough() -> None:
    assert partition_hidden([7, 9, 6], pooled=2, threshold=K) == set()


def test_a_small_team_is_pooled_with_the_managers_own_group_and_hidden_with_it() -> None:
    assert partition_hidden([7, 3, 6], pooled=2, threshold=K) == {1, 2}


def test_a_pooled_group_still_too_small_takes_the_smallest_shown_team_with_it() -> None:
    # The manager alone (1) and a team of 2: 3 people, so the team of 6 is hidden too.
    assert partition_hidden([7, 2, 6, 1], pooled=3, threshold=K) == {1, 2, 3}
    # No small team, but the manager's own group is small: hidden with the smallest team.
    assert partition_hidden([9, 6, 2], pooled=2, threshold=K) == {1, 2}


def test_a_team_hidden_one_level_up_hides_its_own_group_in_the_drill_down() -> None:
    assert partition_hidden([7, 9, 6], pooled=2, threshold=K, total_hidden=True) == {2}


def test_a_table_of_small_parts_hides_them_all() -> None:
    assert partition_hidden([2, 1, 1], pooled=2, threshold=K) == {0, 1, 2}
    assert partition_hidden([3], pooled=None, threshold=K) == {0}


def test_a_row_counting_the_viewer_needs_the_threshold_besides_them() -> None:
    rows = [{"label": "2026-10", "people": 5, "due": 9}, {"label": "2026-11", "people": 5, "due": 7}]
    assert [is_hidden(row["due"]) for row in suppress_groups(rows, "people", K)] == [False, False]
    # The viewer had a check-in due in October: four others are too few, and November goes with it.
    hidden = suppress_groups(rows, "people", K, viewer_counts=[1, 0])
    assert [is_hidden(row["due"]) for row in hidden] == [True, True]
    assert [is_hidden(row["due"]) for row in suppress_groups([rows[0]], "people", K, viewer_counts=[0])] == [False]
