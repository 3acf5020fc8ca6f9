"""Matching benchmark: the optimal solver against the dense assignment optimum and a greedy baseline.

    .venv/bin/python bench/matching.py            # 10,000 × 2,000 (capacity 5) and 100,000 × 20,000
    .venv/bin/python bench/matching.py --small    # only 10,000 × 2,000

Each (case, method) runs in its own subprocess, so the peak memory printed (ru_maxrss) is that
method's alone. The compiled kernels' start-up counts: each measured time includes a first call on a
tiny pool, which loads the kernels from Numba's on-disk cache (``cache=True``, filled by any earlier
run). The cold compile a fresh installation pays once (into an empty ``NUMBA_CACHE_DIR``) is printed
first, on its own. Beside every figure: the machine's 1-minute load average when that run started and
when it ended (``os.getloadavg``), since the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

SKILLS = [f"skill-{i}" for i in range(60)]
INTERESTS = [f"interest-{i}" for i in range(30)]
LANGUAGES = ["en", "fr", "de", "es", "pt", "it", "nl", "pl", "ja", "hi"]
DEPARTMENTS = [f"dept-{i}" for i in range(25)]
LOCATIONS = [f"site-{i}" for i in range(15)]
OFFSETS = [-480, -300, -240, 0, 60, 120, 330, 480, 540, 600]


def pool(mentees: int, mentors: int, capacity: int, seed: int = 7) -> tuple[list, list]:
    """A random organisation: a manager tree (depth ~7), mentors more senior than mentees."""
    from tandem.workflows.matching.pool import Member

    rng = random.Random(seed)
    total = mentees + mentors
    manager = [-1] + [rng.randrange(max(1, p // 6), p) if p > 6 else 0 for p in range(1, total)]
    chain: list[tuple[int, ...]] = []
    for p in range(total):
        chain.append(() if manager[p] < 0 else (manager[p], *chain[manager[p]]))
    order = list(range(total))
    rng.shuffle(order)
    mentor_ids = set(sorted(order[:mentors]))

    def member(p: int, is_mentor: bool) -> Member:
        return Member(
            id=p,
            department=rng.choice(DEPARTMENTS),
            team=manager[p],
            managers=chain[p],
            seniority=rng.randrange(4, 11) if is_mentor else rng.randrange(0, 6),
            tenure_years=rng.randrange(3, 20) if is_mentor else rng.randrange(0, 5),
            utc_offset_minutes=rng.choice(OFFSETS),
            languages=frozenset(rng.sample(LANGUAGES, rng.randrange(1, 3))),
            topics=frozenset(rng.sample(SKILLS, 6 if is_mentor else 3)),
            interests=frozenset(rng.sample(INTERESTS, 3)),
            location=rng.choice(LOCATIONS),
            capacity=capacity,
        )

    side_e = [member(p, False) for p in range(total) if p not in mentor_ids]
    side_r = [member(p, True) for p in range(total) if p in mentor_ids]
    return side_e, side_r


SETTINGS = {"constraints": {"min_timezone_overlap": 2, "shared_language": True, "max_seniority_distance": 8}}


def run(method: str, mentees: int, mentors: int, capacity: int) -> dict:
    """One measurement (inside the subprocess)."""
    import numpy as np

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))
    import matching_reference as reference

    from tandem.workflows.matching.kernels import top_candidates
    from tandem.workflows.matching.pool import encode, mentor_groups
    from tandem.workflows.matching.settings import MatchSettings
    from tandem.workflows.matching.solver import solve

    settings = MatchSettings.from_json(SETTINGS)
    side_e, side_r = pool(mentees, mentors, capacity)
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    small_e, small_r = pool(50, 10, 2, seed=1)
    if method in ("optimal", "compile"):
        solve(small_e, small_r, settings, k=1)  # k=1 reaches the pricing kernels too
    else:
        reference.score_matrix(encode(small_e, small_r), settings)
    if method == "compile":
        return {"method": method, "seconds": time.perf_counter() - start, "load": [load_before, os.getloadavg()[0]]}
    extra: dict = {}
    if method == "optimal":
        solution = solve(side_e, side_r, settings)
        total, pairs = solution.total, len(solution.pairs)
        extra = solution.stats
    elif method == "dense":
        enc = encode(side_e, side_r)
        scores = reference.score_matrix(enc, settings)
        total, pairs, _ = reference.dense_optimum(scores, enc.capacities)
    else:
        enc = encode(side_e, side_r)
        packed = settings.packed()
        if mentees * mentors <= 50_000_000:
            scores = reference.score_matrix(enc, settings)
            edge_i, edge_j = np.nonzero(scores >= 0)
            edge_s = scores[edge_i, edge_j]
            extra = {"edges": "all eligible"}
        else:
            k = 50
            groups = mentor_groups(enc.mentor_features, enc.mentor_bits)
            mentee_side = (enc.mentee_features, enc.mentee_bits, enc.layout, packed, *enc.forbidden)
            best_j, best_s, _ = top_candidates(*mentee_side, k, *groups.arrays)
            keep = best_j >= 0
            edge_i = np.repeat(np.arange(mentees), k)[keep.ravel()]
            edge_j, edge_s = best_j[keep], best_s[keep]
            extra = {"edges": f"top {k} per mentee"}
        total = reference.greedy(edge_i, edge_j, edge_s, mentees, enc.capacities)
        pairs = -1
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "method": method,
        "seconds": seconds,
        "load": [load_before, os.getloadavg()[0]],
        "cpu": {"user": round(usage.ru_utime, 1), "sys": round(usage.ru_stime, 1)},
        "peak_mib": usage.ru_maxrss / 1024,
        "total": total,
        "pairs": pairs,
        **extra,
    }


def measure(method: str, mentees: int, mentors: int, capacity: int, env: dict | None = None) -> dict:
    """Run one method in a fresh subprocess and read its JSON line."""
    out = subprocess.run(
        [sys.executable, __file__, "--one", method, str(mentees), str(mentors), str(capacity)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Print the table for each case."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="only the 10,000 × 2,000 case")
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        method, *sizes = args.one
        print(json.dumps(run(method, *map(int, sizes))))
        return
    with tempfile.TemporaryDirectory() as empty:
        cold = measure("compile", 50, 10, 2, env={**os.environ, "NUMBA_CACHE_DIR": empty})
    print(
        f"cold compile of the solver's kernels (once per installation): {cold['seconds']:.1f} s"
        f"  (load {cold['load'][0]:.1f}→{cold['load'][1]:.1f})"
    )
    measure("compile", 50, 10, 2)  # make sure the on-disk cache is filled
    cases = [(10_000, 2_000, 5, ("optimal", "dense", "greedy"))]
    if not args.small:
        cases.append((100_000, 20_000, 5, ("optimal", "greedy")))
    for mentees, mentors, capacity, methods in cases:
        print(f"\n{mentees:,} mentees × {mentors:,} mentors (capacity {capacity})")
        results = {m: measure(m, mentees, mentors, capacity) for m in methods}
        best = results["optimal"]
        for name, r in results.items():
            ratio = r["seconds"] / best["seconds"]
            gap = r["total"] - best["total"]
            shown = ("method", "seconds", "load", "peak_mib", "total", "pairs")
            extra = {k: v for k, v in r.items() if k not in shown}
            print(
                f"  {name:<8} {r['seconds']:8.2f} s  (load {r['load'][0]:.1f}→{r['load'][1]:.1f})"
                f"  ({ratio:6.1f}× optimal's time)  peak {r['peak_mib']:7.0f} MiB"
                f"  total {r['total']:>12,}  (vs optimal {gap:+,})  {extra or ''}"
            )


if __name__ == "__main__":
    main()
