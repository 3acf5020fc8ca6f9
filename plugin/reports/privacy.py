"""The one privacy rule of every report: every number a viewer can see sums at least N people other than the viewer.

A group (a team, a programme filtered to a department, a month) whose number of
*people* is below ``min_group_size`` is replaced by :class:`Suppressed`, which
prints as "fewer than 5". Every number derived from that group (rates,
averages, counts) is suppressed with it. A viewer counted in a group knows
their own values, so they are not counted towards its size: a manager who gave
a rating sees the subtree's average only when N other people gave one too.

Differencing: a manager can read their whole subtree, every team in it (the
drill-down ``?team=``), the CSV, the API and the digest, and subtract any of
these numbers from the others. :func:`partition_hidden` therefore decides what
a partition table (the teams under one manager, with their total) may show, so
that everything published, across every drill-down, is a sum of whole
*blocks*: groups of at least ``min_group_size`` people. Whatever a reader
derives from published numbers (differences, sums of differences) is then a
sum of whole blocks too, so it never isolates a group smaller than the
threshold. The blocks are built bottom-up over the reporting tree:

- a team that is too small is hidden, and joins its manager's own group (the
  manager themself and the direct reports who lead nobody), which is then
  hidden as well;
- if that pooled group is still smaller than the threshold, it is merged with
  the smallest shown team, which is hidden too (complementary suppression);
- a team hidden in its manager's table shows no total in its own drill-down,
  and its own pooled group is hidden there as well (the merge reached into it).

The other sections (check-ins by month, rating, quiet pairs, campaigns) sum
only the people a row counts (who had a check-in due, who gave a rating), so
they are published for the viewer's whole subtree only, never per drill-down,
and each row needs ``min_group_size`` people besides the viewer.

The attacker test in ``tests/plugin/reports/test_differencing.py`` gathers every
number a manager can obtain and checks, by linear algebra, that no group below
the threshold is determined.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Suppressed:
    """A value hidden because its group is smaller than ``threshold`` people."""

    threshold: int

    def __str__(self) -> str:
        return f"fewer than {self.threshold}"

    def __json__(self) -> str:
        return str(self)


def is_hidden(value: Any) -> bool:
    """True for a suppressed value."""
    return isinstance(value, Suppressed)


def shown(value: Any) -> Any:
    """A value as a page, an API or a CSV prints it: suppressed values as "fewer than N"."""
    if isinstance(value, Suppressed):
        return str(value)
    if isinstance(value, float):
        return round(value, 3)
    return value


def hide_row(row: Mapping[str, Any], size_key: str, keep: Iterable[str], threshold: int) -> dict[str, Any]:
    """``row`` with every value but the ``keep`` labels replaced by :class:`Suppressed`."""
    kept = set(keep)
    return {key: (value if key in kept else Suppressed(threshold)) for key, value in row.items()}


def suppress_groups(
    rows: list[dict[str, Any]],
    size_key: str,
    threshold: int,
    keep: Iterable[str] = ("label",),
    viewer_counts: list[int] | None = None,
) -> list[dict[str, Any]]:
    """Sibling rows with small groups suppressed, plus a second one when only one would be.

    ``size_key`` names the number of people in each row's group; ``keep`` the
    labels that stay visible (a team's name, a month). ``viewer_counts`` says, per
    row, whether the viewer is one of those people (1) or not (0): the viewer knows
    their own values, so a row must count ``threshold`` people besides them.
    """
    keep = tuple(keep)
    others = [row[size_key] - (viewer_counts[index] if viewer_counts else 0) for index, row in enumerate(rows)]
    small = {index for index, size in enumerate(others) if size < threshold}
    if len(small) == 1 and len(rows) > 1:
        small.add(min((size, index) for index, size in enumerate(others) if index not in small)[1])
    return [hide_row(row, size_key, keep, threshold) if index in small else dict(row) for index, row in enumerate(rows)]


def partition_hidden(sizes: list[int], pooled: int | None, threshold: int, total_hidden: bool = False) -> set[int]:
    """Which parts of a partition table to hide (indices into ``sizes``), see the module docstring.

    ``sizes`` are the people in each part: teams, and at index ``pooled`` (if any)
    the manager's own group of people who lead no team. ``total_hidden`` says the
    table's total is hidden because its manager's own table hides this team.
    """
    hidden = {index for index, size in enumerate(sizes) if size < threshold}
    if pooled is not None and hidden - {pooled}:
        hidden.add(pooled)  # small teams are pooled with the manager's own group
    pending = sum(sizes[index] for index in hidden)
    if 0 < pending < threshold:
        shown_teams = [(size, index) for index, size in enumerate(sizes) if index not in hidden]
        if shown_teams:
            hidden.add(min(shown_teams)[1])
    if total_hidden and pooled is not None:
        hidden.add(pooled)
    return hidden


def rate(part: int, whole: int) -> float | None:
    """``part / whole``, or None when there is nothing to divide by."""
    return part / whole if whole else None


def with_rates(rows: Iterable[Mapping[str, Any]], **rates: tuple[str, str]) -> list[dict[str, Any]]:
    """Each row as a dict with ``name = rate(row[part], row[whole])`` added for every ``name=(part, whole)``."""
    return [{**row, **{name: rate(row[part], row[whole]) for name, (part, whole) in rates.items()}} for row in rows]
