"""The one privacy rule of every report: no group smaller than the threshold is shown.

A group (a team, a programme filtered to a department, a month) whose number of
*people* is below ``min_group_size`` is replaced by :class:`Suppressed`, which
prints as "fewer than 5". Every number derived from that group (rates,
averages, counts) is suppressed with it.

Differencing: when a set of sibling groups is shown together with their total,
one suppressed group could be recovered as total minus the others. So when
exactly one sibling is suppressed, the next smallest sibling is suppressed too
(secondary suppression, as statistical offices do), and the total itself is only
shown when it is large enough on its own.
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
) -> list[dict[str, Any]]:
    """Sibling rows with small groups suppressed, plus a second one when only one would be.

    ``size_key`` names the number of people in each row's group; ``keep`` the
    labels that stay visible (a team's name, a month).
    """
    keep = tuple(keep)
    small = {index for index, row in enumerate(rows) if row[size_key] < threshold}
    if len(small) == 1 and len(rows) > 1:
        others = sorted((row[size_key], index) for index, row in enumerate(rows) if index not in small)
        small.add(others[0][1])
    return [hide_row(row, size_key, keep, threshold) if index in small else dict(row) for index, row in enumerate(rows)]


def suppress_one(
    row: dict[str, Any], size_key: str, threshold: int, keep: Iterable[str] = ("label",)
) -> dict[str, Any]:
    """A single group (a total, a programme) suppressed when it is too small."""
    if row[size_key] < threshold:
        return hide_row(row, size_key, keep, threshold)
    return dict(row)


def rate(part: int, whole: int) -> float | None:
    """``part / whole``, or None when there is nothing to divide by."""
    return part / whole if whole else None


def with_rates(rows: Iterable[Mapping[str, Any]], **rates: tuple[str, str]) -> list[dict[str, Any]]:
    """Each row as a dict with ``name = rate(row[part], row[whole])`` added for every ``name=(part, whole)``."""
    return [{**row, **{name: rate(row[part], row[whole]) for name, (part, whole) in rates.items()}} for row in rows]
