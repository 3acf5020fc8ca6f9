"""Peer circles: a programme's participants split into groups of ``min_size``–``max_size`` with the best mix.

A circle scores, per criterion, weight × points (0–100):

- ``department``, ``location``, ``seniority``: how mixed the circle is — the share of its members that
  bring a value nobody else in the circle has (``100 × (distinct − 1) / (size − 1)``; seniority counts
  bands of ``seniority_band`` levels);
- ``timezone``: the working hours everyone in the circle shares (the least overlap of any two members,
  as a share of an 8-hour day).

Hard constraints: never a person together with anyone in their reporting line (manager or report, any
depth, from :attr:`Member.managers`), and every two members share at least ``min_overlap_hours`` of
working hours. A plan maximises the sum of circle scores.

Sizes: with ``n`` people the number of circles is ``c = ceil(n / max_size)`` and the people are spread
as evenly as possible (sizes differ by at most one), which keeps every size in range whenever
``c × min_size ≤ n``. When no ``c`` fits (for 6–8: n = 9–11 or under 6), ``floor(n / min_size)`` circles
of ``max_size`` are formed and the rest are left out, named, with the reason; so are people whom the
hard constraints fit into no circle (the sizes are then planned again without them).

Finding the best partition is NP-hard (it contains graph partitioning), so this is a local search:
a greedy seed (people in time-zone order, most constrained first, filling one circle at a time, making
room by moving one person when someone fits nowhere), then moves and
pairwise swaps between circles, each taken only if it raises the total score and keeps every hard
constraint and size, until no improving move or swap is left. Everything is ordered by person id and
circle index, so the same participants in any order always give the same plan.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .pool import Member
from .settings import SettingsError
from .solver import Unmatched

CIRCLE_CRITERIA: tuple[str, ...] = ("department", "location", "seniority", "timezone")
DEFAULT_CIRCLE_WEIGHTS: dict[str, int] = {"department": 4, "location": 2, "seniority": 3, "timezone": 5}
WORKDAY_MINUTES = 480
MAX_PASSES = 200


@dataclass(frozen=True)
class CircleSettings:
    """Sizes, weights per criterion (0–10) and the hard working-hours overlap of a programme's circles."""

    min_size: int = 6
    max_size: int = 8
    weights: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_CIRCLE_WEIGHTS))
    min_overlap_hours: float = 0.0
    seniority_band: int = 3

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> CircleSettings:
        """Settings from a programme's JSON; raises :class:`SettingsError` naming the bad field."""
        data = data or {}
        if not isinstance(data, dict):
            raise SettingsError("circle_settings", "expected an object")
        known = {"min_size", "max_size", "weights", "min_overlap_hours", "seniority_band"}
        for name in data:
            if name not in known:
                raise SettingsError(name, f"unknown setting; expected one of {', '.join(sorted(known))}")
        sizes = {}
        for name, default in (("min_size", 6), ("max_size", 8), ("seniority_band", 3)):
            value = data.get(name, default)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
                raise SettingsError(name, "expected a whole number from 1 to 100")
            sizes[name] = value
        if sizes["min_size"] < 2:
            raise SettingsError("min_size", "a circle needs at least 2 people")
        if sizes["max_size"] < sizes["min_size"]:
            raise SettingsError("max_size", "must be at least min_size")
        weights = dict(DEFAULT_CIRCLE_WEIGHTS)
        raw = data.get("weights") or {}
        if not isinstance(raw, dict):
            raise SettingsError("weights", "expected an object of criterion: weight")
        for name, value in raw.items():
            if name not in CIRCLE_CRITERIA:
                raise SettingsError(
                    f"weights.{name}", f"unknown criterion; expected one of {', '.join(CIRCLE_CRITERIA)}"
                )
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
                raise SettingsError(f"weights.{name}", "expected a whole number from 0 to 10")
            weights[name] = value
        overlap = data.get("min_overlap_hours", 0)
        if isinstance(overlap, bool) or not isinstance(overlap, int | float) or not 0 <= overlap <= 8:
            raise SettingsError("min_overlap_hours", "expected hours from 0 to 8")
        return cls(sizes["min_size"], sizes["max_size"], weights, float(overlap), sizes["seniority_band"])


@dataclass(frozen=True)
class Circle:
    """One circle: member ids (ascending), its score and the score by criterion."""

    members: list[int]
    score: int
    breakdown: dict[str, int]


@dataclass
class CirclePlan:
    """All circles, the people left out with the reason, and the search's figures."""

    circles: list[Circle]
    left_out: list[Unmatched]
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """The plan's score: the sum of its circles' scores."""
        return sum(c.score for c in self.circles)


def plan_sizes(n: int, min_size: int, max_size: int, count: int | None = None) -> list[int]:
    """Circle sizes for ``n`` people in ``count`` circles (default: as few as fit), as even as possible;
    their sum is below ``n`` only when no split fits."""
    if n < min_size:
        return []
    fewest = math.ceil(n / max_size)
    if fewest * min_size > n:
        return [max_size] * (n // min_size)
    count = fewest if count is None else count
    base, extra = divmod(n, count)
    return [base + 1] * extra + [base] * (count - extra)


def circle_counts(n: int, min_size: int, max_size: int) -> range:
    """Every number of circles whose sizes can all be in range for ``n`` people (empty if none)."""
    return range(math.ceil(n / max_size), n // min_size + 1)


class _Pool:
    """The participants as arrays: category codes, a conflict matrix and pairwise working-hours overlap."""

    def __init__(self, people: Sequence[Member], settings: CircleSettings) -> None:
        self.people = people
        self.settings = settings
        index = {p.id: i for i, p in enumerate(people)}
        n = len(people)
        self.conflict = np.zeros((n, n), dtype=bool)
        for i, p in enumerate(people):
            for boss in p.managers:
                if boss in index:
                    self.conflict[i, index[boss]] = self.conflict[index[boss], i] = True
        offsets = np.array([p.utc_offset_minutes for p in people], dtype=np.int64)
        self.offset = offsets.tolist()
        gap = np.abs(offsets[:, None] - offsets[None, :]) % 1440
        gap = np.minimum(gap, 1440 - gap)
        self.overlap = np.maximum(0, WORKDAY_MINUTES - gap)
        self.conflict |= self.overlap < round(settings.min_overlap_hours * 60)
        np.fill_diagonal(self.conflict, False)
        self.department = [p.department for p in people]
        self.location = [p.location for p in people]
        self.band = [p.seniority // settings.seniority_band for p in people]
        self.weights = [settings.weights.get(name, 0) for name in CIRCLE_CRITERIA]
        self.overlap_list = self.overlap.tolist()

    def breakdown(self, members: Sequence[int]) -> list[int]:
        """Weighted points per criterion of a circle (member indices)."""
        size = len(members)
        if size < 2:
            return [0, 0, 0, 0]
        mix = [
            100 * (len({self.department[i] for i in members}) - 1) // (size - 1),
            100 * (len({self.location[i] for i in members}) - 1) // (size - 1),
            100 * (len({self.band[i] for i in members}) - 1) // (size - 1),
        ]
        rows = self.overlap_list
        shared = min(rows[a][b] for x, a in enumerate(members) for b in members[x + 1 :])
        points = [*mix, 100 * shared // WORKDAY_MINUTES]
        return [w * p for w, p in zip(self.weights, points, strict=True)]

    def score(self, members: Sequence[int]) -> int:
        """A circle's score (member indices)."""
        return sum(self.breakdown(members))

    def fits(self, person: int, members: Sequence[int]) -> bool:
        """Whether ``person`` may join ``members`` under the hard constraints."""
        row = self.conflict[person]
        return not any(row[i] for i in members)


def _seed(pool: _Pool, order: list[int], sizes: list[int]) -> tuple[list[list[int]], list[int]]:
    """Greedy: people by time zone (most constrained first within one), filling one circle at a time."""
    circles: list[list[int]] = [[] for _ in sizes]
    unplaced: list[int] = []
    for person in order:
        best, best_gain = -1, -1
        for c, members in enumerate(circles):
            if len(members) >= sizes[c] or not pool.fits(person, members):
                continue
            # fill one circle at a time (people come in time-zone order), then where they add most
            gain = pool.score([*members, person]) - pool.score(members) if members else 0
            key = (len(members), gain)
            if best < 0 or key > best_gain:
                best, best_gain = c, key
        if best >= 0:
            circles[best].append(person)
        elif not _eject(pool, circles, sizes, person):
            unplaced.append(person)
    return circles, unplaced


def _eject(pool: _Pool, circles: list[list[int]], sizes: list[int], person: int) -> bool:
    """Make room for ``person``: move someone from a circle ``person`` would fit without them into another
    circle with room that they fit (first such pair by circle index and person). False if there is none."""
    for c, members in enumerate(circles):
        for y in members:
            rest = [p for p in members if p != y]
            if not pool.fits(person, rest):
                continue
            for d, others in enumerate(circles):
                if d != c and len(others) < sizes[d] and pool.fits(y, others):
                    circles[c] = [*rest, person]
                    others.append(y)
                    return True
    return False


def _improve(pool: _Pool, circles: list[list[int]], min_size: int, max_size: int) -> tuple[int, int]:
    """Moves and pairwise swaps that raise the total, until none is left; returns (passes, improvements)."""
    scores = [pool.score(c) for c in circles]
    improvements = passes = 0
    while passes < MAX_PASSES:
        passes += 1
        improved = False
        for a in range(len(circles)):
            for b in range(len(circles)):
                if a == b:
                    continue
                for x in list(circles[a]):
                    if x not in circles[a]:
                        continue
                    rest_a = [p for p in circles[a] if p != x]
                    # move x from a to b
                    if len(circles[a]) > min_size and len(circles[b]) < max_size and pool.fits(x, circles[b]):
                        new_a, new_b = pool.score(rest_a), pool.score([*circles[b], x])
                        if new_a + new_b > scores[a] + scores[b]:
                            circles[a], circles[b] = rest_a, sorted([*circles[b], x])
                            scores[a], scores[b] = new_a, new_b
                            improvements += 1
                            improved = True
                            continue
                    if a > b:
                        continue
                    # swap x (in a) with y (in b)
                    for y in list(circles[b]):
                        rest_b = [p for p in circles[b] if p != y]
                        if not pool.fits(x, rest_b) or not pool.fits(y, rest_a):
                            continue
                        new_a, new_b = pool.score([*rest_a, y]), pool.score([*rest_b, x])
                        if new_a + new_b > scores[a] + scores[b]:
                            circles[a], circles[b] = sorted([*rest_a, y]), sorted([*rest_b, x])
                            scores[a], scores[b] = new_a, new_b
                            improvements += 1
                            improved = True
                            break
        if not improved:
            break
    return passes, improvements


def form_circles(members: Sequence[Member], settings: CircleSettings | None = None) -> CirclePlan:
    """Partition the available participants into peer circles with the best mix (see the module docstring)."""
    settings = settings or CircleSettings()
    left_out = [Unmatched(m.id, m.unavailable) for m in sorted(members, key=lambda m: m.id) if m.unavailable]
    people = sorted((m for m in members if not m.unavailable), key=lambda m: m.id)
    pool = _Pool(people, settings)
    active = list(range(len(people)))
    excluded: dict[int, str] = {}
    while True:
        degree = pool.conflict[np.ix_(active, active)].sum(axis=1)
        order = [
            active[t]
            for t in sorted(range(len(active)), key=lambda t: (pool.offset[active[t]], -int(degree[t]), active[t]))
        ]
        # as few circles as fit; more (smaller) circles only when the hard constraints leave someone out
        counts = circle_counts(len(active), settings.min_size, settings.max_size) or [None]
        best: tuple[list[int], list[list[int]], list[int]] | None = None
        for count in counts:
            sizes = plan_sizes(len(active), settings.min_size, settings.max_size, count)
            circles, unplaced = _seed(pool, order, sizes)
            if best is None or len(unplaced) < len(best[2]):
                best = sizes, circles, unplaced
            if len(unplaced) <= len(active) - sum(sizes):
                break
        sizes, circles, unplaced = best
        if len(unplaced) <= len(active) - sum(sizes):
            break
        # the hard constraints left these people no room: plan the sizes again without them
        for person in unplaced:
            excluded[person] = (
                "no room in any circle without someone from their reporting line"
                " or with fewer shared working hours than the minimum"
            )
        active = [p for p in active if p not in excluded]
    seed_total = sum(pool.score(c) for c in circles)
    passes, improvements = _improve(pool, circles, settings.min_size, settings.max_size)
    for person in unplaced:
        excluded[person] = (
            f"{len(active)} people cannot all be split into circles of {settings.min_size}–{settings.max_size}"
        )
    if len(active) < settings.min_size and active:
        for person in active:
            excluded[person] = f"only {len(active)} participant(s): a circle needs at least {settings.min_size}"
    result = []
    for members_ in sorted(sorted(c) for c in circles if c):
        breakdown = pool.breakdown(members_)
        result.append(
            Circle(
                [people[i].id for i in members_],
                sum(breakdown),
                dict(zip(CIRCLE_CRITERIA, breakdown, strict=True)),
            )
        )
    left_out += [Unmatched(people[i].id, reason) for i, reason in sorted(excluded.items())]
    left_out.sort(key=lambda u: u.mentee)
    stats = {"seed_score": seed_total, "passes": passes, "improvements": improvements}
    return CirclePlan(result, left_out, stats)
