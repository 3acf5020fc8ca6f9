"""Peer circles: partition participants into groups of 6–8 that mix departments, locations and seniority.

Hard constraints: nobody shares a circle with anyone in their reporting line
(either direction, any depth), and, when the programme asks for it, everyone
in a circle shares at least ``min_overlap_hours`` of working hours.

Partitioning into balanced groups that maximise a mix score is NP-hard, so
this is a deterministic local search, not a proof of optimality:

1. The number of circles is the fewest that keeps every size within
   ``[min_size, max_size]``; sizes differ by at most one. When no such split
   exists (say 9–11 people with circles of 6–8), the last people by id wait
   for the next round, with that reason.
2. Seed: people sorted by department, location and seniority are dealt round
   robin into the circles, skipping a circle that would break a constraint.
   Someone who fits no circle waits (with the reason), and the others are
   split again, so every circle keeps a size in range.
3. Improve: exchange two people of different circles whenever that raises the
   total score and breaks no constraint, until no exchange does.

The same input gives the same circles, in any order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .pool import Member
from .settings import SettingsError
from .solver import Unmatched

WORKDAY_MINUTES = 480
MIX_CRITERIA = ("department", "location", "seniority", "timezone")
DEFAULT_MIX = {"department": 4, "location": 2, "seniority": 3, "timezone": 3}
SENIORITY_BAND = 3  # seniority 0–2, 3–5, 6–8, 9+


@dataclass(frozen=True)
class CircleSettings:
    """Sizes, the hard working-hours overlap, and a weight 0–10 per mix criterion."""

    min_size: int = 6
    max_size: int = 8
    min_overlap_hours: float = 0.0
    weights: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_MIX))

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> CircleSettings:
        """Settings from a programme's ``circles`` JSON; raises :class:`SettingsError` naming the bad field."""
        data = data or {}
        if not isinstance(data, dict):
            raise SettingsError("circles", "expected an object")
        low, high = data.get("min_size", 6), data.get("max_size", 8)
        for name, value in (("min_size", low), ("max_size", high)):
            if isinstance(value, bool) or not isinstance(value, int) or not 2 <= value <= 30:
                raise SettingsError(name, "expected a whole number from 2 to 30")
        if low > high:
            raise SettingsError("min_size", "must not be larger than max_size")
        overlap = data.get("min_overlap_hours", 0)
        if isinstance(overlap, bool) or not isinstance(overlap, int | float) or not 0 <= overlap <= 8:
            raise SettingsError("min_overlap_hours", "expected hours from 0 to 8")
        weights = dict(DEFAULT_MIX)
        for name, value in (data.get("weights") or {}).items():
            if name not in MIX_CRITERIA:
                raise SettingsError(f"weights.{name}", f"unknown criterion; expected one of {', '.join(MIX_CRITERIA)}")
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
                raise SettingsError(f"weights.{name}", "expected a whole number from 0 to 10")
            weights[name] = value
        return cls(low, high, float(overlap), weights)

    def to_json(self) -> dict[str, Any]:
        """The JSON form stored with a run."""
        return {
            "min_size": self.min_size,
            "max_size": self.max_size,
            "min_overlap_hours": self.min_overlap_hours,
            "weights": dict(self.weights),
        }


@dataclass(frozen=True)
class Circle:
    """One circle: member ids (ascending), its score and the points of each mix criterion."""

    members: list[int]
    score: int
    breakdown: dict[str, int]


@dataclass
class CirclePlan:
    """Every circle formed, and who waits for the next round and why."""

    circles: list[Circle]
    left_out: list[Unmatched]
    swaps: int = 0


def circle_sizes(people: int, low: int, high: int) -> list[int]:
    """The sizes of the fewest circles within ``[low, high]`` that hold the most people (at most ``people``)."""
    for total in range(people, low - 1, -1):
        count = -(-total // high)
        if count * low <= total:
            base, extra = divmod(total, count)
            return [base + 1] * extra + [base] * (count - extra)
    return []


def overlap_minutes(first: int, second: int) -> int:
    """Shared working minutes of two UTC offsets (an eight-hour day each)."""
    gap = abs(first - second) % 1440
    return max(0, WORKDAY_MINUTES - min(gap, 1440 - gap))


def form_circles(members: Sequence[Member], settings: CircleSettings | None = None) -> CirclePlan:
    """Partition ``members`` (available ones only) into circles; see the module docstring."""
    settings = settings or CircleSettings()
    absent = [Unmatched(m.id, m.unavailable) for m in members if m.unavailable]
    people = sorted((m for m in members if not m.unavailable), key=lambda m: m.id)
    left: list[Unmatched] = []
    while True:
        sizes = circle_sizes(len(people), settings.min_size, settings.max_size)
        seated = sum(sizes)
        waiting = [
            Unmatched(m.id, f"circles of {settings.min_size}–{settings.max_size} cannot take all {len(people)} people")
            for m in people[seated:]
        ]
        search = _Search(people[:seated], settings)
        groups, unseated = search.seed(sizes)
        if not unseated:
            break
        # Someone fits no circle: they wait, and the rest are split again so every size stays in range.
        left += [
            Unmatched(m.id, "no circle without someone from their reporting line or far time zones") for m in unseated
        ]
        gone = {m.id for m in unseated}
        people = [m for m in people if m.id not in gone]
    swaps = search.improve(groups)
    circles = [search.circle(group) for group in groups if group]
    return CirclePlan(circles, absent + waiting + left, swaps)


class _Search:
    """The seeding and the exchange search over one set of people."""

    def __init__(self, people: list[Member], settings: CircleSettings) -> None:
        self.people = {m.id: m for m in people}
        self.settings = settings
        self.min_overlap = round(settings.min_overlap_hours * 60)

    def compatible(self, person: Member, others: list[int]) -> bool:
        """Whether ``person`` may sit with everyone in ``others``."""
        for other_id in others:
            other = self.people[other_id]
            if other_id in person.managers or person.id in other.managers:
                return False
            if overlap_minutes(person.utc_offset_minutes, other.utc_offset_minutes) < self.min_overlap:
                return False
        return True

    def seed(self, sizes: list[int]) -> tuple[list[list[int]], list[Member]]:
        """Deal people sorted by department, location and seniority round robin into circles."""
        order = sorted(self.people.values(), key=lambda m: (m.department, m.location, m.seniority, m.id))
        groups: list[list[int]] = [[] for _ in sizes]
        unseated = []
        for index, person in enumerate(order):
            for step in range(len(groups)):
                target = (index + step) % len(groups)
                if len(groups[target]) < sizes[target] and self.compatible(person, groups[target]):
                    groups[target].append(person.id)
                    break
            else:
                unseated.append(person)
        return groups, unseated

    def points(self, group: list[int]) -> dict[str, int]:
        """0–100 per mix criterion: how varied the circle is (and how well its working hours overlap)."""
        people = [self.people[i] for i in group]
        spread = max(1, min(len(people) - 1, 4))

        def variety(values: list[Any]) -> int:
            return min(100, 100 * (len(set(values)) - 1) // spread)

        worst = min(
            (overlap_minutes(a.utc_offset_minutes, b.utc_offset_minutes) for a in people for b in people),
            default=WORKDAY_MINUTES,
        )
        return {
            "department": variety([m.department for m in people]),
            "location": variety([m.location for m in people]),
            "seniority": variety([m.seniority // SENIORITY_BAND for m in people]),
            "timezone": 100 * worst // WORKDAY_MINUTES,
        }

    def score(self, group: list[int]) -> int:
        """The weighted points of a circle."""
        points = self.points(group)
        return sum(self.settings.weights.get(name, 0) * value for name, value in points.items())

    def circle(self, group: list[int]) -> Circle:
        """A circle with its breakdown."""
        points = self.points(group)
        breakdown = {name: self.settings.weights.get(name, 0) * value for name, value in points.items()}
        return Circle(sorted(group), sum(breakdown.values()), breakdown)

    def improve(self, groups: list[list[int]], max_passes: int = 50) -> int:
        """Exchange people between circles while the total rises; returns how many exchanges were made."""
        scores = [self.score(g) for g in groups]
        swaps = 0
        for _ in range(max_passes):
            improved = False
            for a in range(len(groups)):
                for b in range(a + 1, len(groups)):
                    for x in list(groups[a]):
                        for y in list(groups[b]):
                            if self._try_swap(groups, scores, a, b, x, y):
                                swaps += 1
                                improved = True
                                break
            if not improved:
                break
        return swaps

    def _try_swap(self, groups: list[list[int]], scores: list[int], a: int, b: int, x: int, y: int) -> bool:
        if x not in groups[a] or y not in groups[b]:
            return False
        rest_a = [i for i in groups[a] if i != x]
        rest_b = [i for i in groups[b] if i != y]
        if not (self.compatible(self.people[y], rest_a) and self.compatible(self.people[x], rest_b)):
            return False
        new_a, new_b = self.score([*rest_a, y]), self.score([*rest_b, x])
        if new_a + new_b <= scores[a] + scores[b]:
            return False
        groups[a], groups[b] = sorted([*rest_a, y]), sorted([*rest_b, x])
        scores[a], scores[b] = new_a, new_b
        return True
