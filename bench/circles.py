"""Peer-circle benchmark: the local search against random partitions of the same sizes.

    .venv/bin/python bench/circles.py

For each programme size: the plan's total score and time (the first call, Numba-free pure Python),
the greedy seed's score, and the mean and best of 20 random partitions with the plan's circle sizes,
with how many of those random circles break a hard constraint (reporting line or shared hours).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from matching import DEPARTMENTS, LOCATIONS

OFFSETS = [-300, -240, 0, 60, 120, 330]
RANDOM_RUNS = 20


def people(n: int, seed: int = 11) -> list:
    """A programme's participants drawn from a random organisation (manager chains of depth ~4)."""
    from tandem.workflows.matching.pool import Member

    rng = random.Random(seed)
    manager = [-1] + [rng.randrange(0, p) if rng.random() < 0.7 else -1 for p in range(1, n)]
    chain: list[tuple[int, ...]] = []
    for p in range(n):
        chain.append(() if manager[p] < 0 else (manager[p], *chain[manager[p]]))
    return [
        Member(
            id=p,
            department=rng.choice(DEPARTMENTS[:8]),
            managers=chain[p],
            seniority=rng.randrange(0, 11),
            utc_offset_minutes=rng.choice(OFFSETS),
            location=rng.choice(LOCATIONS[:6]),
        )
        for p in range(n)
    ]


def main() -> None:
    """Print one line per programme size."""
    from tandem.workflows.matching.circles import CircleSettings, _Pool, form_circles

    settings = CircleSettings.from_json({"min_overlap_hours": 3})
    print(
        "programme  circles  search score (time)     seed score   random mean / best (× search)"
        "   random circles breaking a hard constraint"
    )
    for n in (48, 120, 240):
        members = people(n)
        start = time.perf_counter()
        plan = form_circles(members, settings)
        seconds = time.perf_counter() - start
        pool = _Pool(sorted(members, key=lambda m: m.id), settings)
        sizes = [len(c.members) for c in plan.circles]
        rng = random.Random(5)
        totals, broken, formed = [], 0, 0
        for _ in range(RANDOM_RUNS):
            order = list(range(n))
            rng.shuffle(order)
            total, at = 0, 0
            for size in sizes:
                circle = order[at : at + size]
                at += size
                total += pool.score(circle)
                formed += 1
                broken += any(pool.conflict[a, b] for a in circle for b in circle)
            totals.append(total)
        mean, best = statistics.mean(totals), max(totals)
        print(
            f"{n:>9}  {len(plan.circles):>7}  {plan.total:>7,} ({seconds:5.2f} s)  {plan.stats['seed_score']:>11,}"
            f"   {mean:>8,.0f} / {best:>6,} ({mean / plan.total:.2f}× / {best / plan.total:.2f}×)"
            f"   {broken}/{formed}  left out: {len(plan.left_out)}"
        )


if __name__ == "__main__":
    main()
