"""The whole-pool solver: maximum total score subject to capacities, with a certificate of optimality.

Method (all exact integer arithmetic):

1. Candidate edges: each mentee's ``k`` best eligible mentors (a compiled pass over all pairs that skips
   whole groups of mentors, and single mentors, whose upper bound cannot enter the best ``k + 1``).
2. Min-cost flow (OR-Tools ``SimpleMinCostFlow``) over source → mentee (1) → mentor (cost −W) →
   sink (capacity), plus mentee → sink at cost 0 for "stays unmatched". The edge weight is
   ``W = score × (n + 1) + 1``: the total score comes first and, among equal totals, more pairs.
3. Certificate: from the flow, the least dual prices ``v`` of mentors and ``u`` of mentees are
   computed by longest-path relaxation on the candidate graph (complementary slackness). The
   restricted solution is optimal for the *whole* pool iff ``W_ij ≤ u_i + v_j`` for every eligible
   pair (LP duality; the bipartite b-matching polytope is integral). A second compiled pass checks
   every pair of every mentee whose best left-out score could break that bound; violating edges are
   added (with near misses) and the flow solved again until no pair violates it; when only a few
   rows' new edges violate the prices, the previous flow is repaired by shortest paths instead
   (:mod:`augment`). So the result is proven optimal, not assumed: ``Solution.certified`` is only
   ever true, or the solver raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from . import augment, kernels
from .pool import Encoded, Member, encode, mentor_groups
from .settings import CRITERIA, MatchSettings

DEFAULT_K = 20
NEAR_MISS = 20
"""Score points below the violation bound within which a pricing round also adds pairs."""
WARM_ROWS = 32
"""A round whose new edges violate the prices of at most this many rows repairs the previous flow
(:mod:`augment`) instead of solving from scratch: a few shortest paths cost far less than a whole solve,
while many rows' paths cost more."""


@dataclass(frozen=True)
class Assignment:
    """A proposed pair: the mentee's and mentor's ids, the score and its breakdown by criterion."""

    mentee: int
    mentor: int
    score: int
    breakdown: dict[str, int]


@dataclass(frozen=True)
class Unmatched:
    """A mentee left without a mentor, and why."""

    mentee: int
    reason: str


@dataclass
class Solution:
    """The result of one run: pairs, unmatched people, the total score and how it was proven."""

    pairs: list[Assignment]
    unmatched: list[Unmatched]
    total: int
    certified: bool = True
    stats: dict[str, int] = field(default_factory=dict)


class SolverError(RuntimeError):
    """The flow solver did not reach an optimum (a bug, never a data problem)."""


def solve(
    mentees: Sequence[Member],
    mentors: Sequence[Member],
    settings: MatchSettings | None = None,
    previous: Iterable[tuple[int, int]] = (),
    k: int = DEFAULT_K,
) -> Solution:
    """Match the whole pool optimally; unavailable people are left out with their reason."""
    settings = settings or MatchSettings()
    absent = [Unmatched(m.id, m.unavailable) for m in mentees if m.unavailable]
    mentees = sorted((m for m in mentees if not m.unavailable), key=lambda m: m.id)
    mentors = sorted((m for m in mentors if not m.unavailable), key=lambda m: m.id)
    if not mentees:
        return Solution([], absent, 0)
    if not mentors:
        return Solution([], absent + [Unmatched(m.id, "no eligible mentor: no mentor available") for m in mentees], 0)
    enc = encode(mentees, mentors, previous)
    solution = solve_encoded(enc, settings, k=k)
    ids_e = [m.id for m in mentees]
    ids_r = [m.id for m in mentors]
    solution.pairs = [Assignment(ids_e[a.mentee], ids_r[a.mentor], a.score, a.breakdown) for a in solution.pairs]
    solution.unmatched = absent + [Unmatched(ids_e[u.mentee], u.reason) for u in solution.unmatched]
    return solution


def breakdowns(enc: Encoded, settings: MatchSettings, rows: np.ndarray, cols: np.ndarray) -> list[dict[str, int]]:
    """The weighted points of each criterion for each pair (mentee row, mentor row)."""
    packed = settings.packed()
    points = kernels.pair_points_many(
        np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), *enc.sides, packed
    )
    active = [(c, name) for c, name in enumerate(CRITERIA) if packed[c]]
    weighted = (points * packed[: len(CRITERIA)]).tolist()
    return [{name: row[c] for c, name in active} for row in weighted]


def solve_encoded(enc: Encoded, settings: MatchSettings, k: int = DEFAULT_K) -> Solution:
    """:func:`solve` on encoded arrays; pairs and unmatched refer to row indices."""
    packed = settings.packed()
    n, m = len(enc.mentee_features), len(enc.mentor_features)
    scale = n + 1
    k = max(1, min(k, m))
    groups = mentor_groups(enc.mentor_features, enc.mentor_bits)
    group_of = np.repeat(np.arange(len(groups.ptr) - 1), np.diff(groups.ptr))
    mentees = (enc.mentee_features, enc.mentee_bits, enc.layout, packed, *enc.forbidden)
    best_j, best_s, left_out = kernels.top_candidates(*mentees, k, *groups.arrays)
    keep = best_j >= 0
    rows = np.repeat(np.arange(n, dtype=np.int64), k)[keep.ravel()]
    edge_i, edge_j, edge_s = rows, best_j[keep], best_s[keep]
    rounds = checked = added = warm = 0
    mate = mate_w = u = v = reset = None
    while True:
        rounds += 1
        weight = edge_s * scale + 1
        if (
            reset is not None
            and len(reset) <= WARM_ROWS
            and _repair(n, m, enc.capacities, edge_i, edge_j, weight, mate, mate_w, u, v, reset)
        ):
            warm += 1
        else:
            mate, mate_w = _flow(n, m, enc.capacities, edge_i, edge_j, weight)
        u, v = _duals(n, m, enc.capacities, edge_i, edge_j, weight, mate, mate_w)
        suspect = np.flatnonzero((left_out >= 0) & (left_out * scale + 1 > u))
        checked += len(suspect)
        if len(suspect) == 0:
            break
        by_price = np.lexsort((v[groups.perm], group_of))  # within each group, cheapest first
        # each check also gathers near misses (within NEAR_MISS points), so few rounds follow
        margin = NEAR_MISS * scale
        more_j, more_s, count = kernels.violations(
            suspect, *mentees, scale, u, v, k, left_out, margin, *groups.arrays, by_price
        )
        if not count.any():
            break
        hit = more_j >= 0
        new_i, new_j, new_s = np.repeat(suspect, k)[hit.ravel()], more_j[hit], more_s[hit]
        # a true violation is never a candidate already (the prices are feasible on every candidate
        # edge), but a near miss may be: keep only the pairs not yet in the flow
        hot = new_s * scale + 1 > u[new_i] + v[new_j]
        known = ~hot
        known[known] = np.isin(new_i[known] * m + new_j[known], edge_i * m + edge_j)
        new_i, new_j, new_s = new_i[~known], new_j[~known], new_s[~known]
        reset = np.unique(new_i[hot[~known]])
        edge_i = np.concatenate([edge_i, new_i])
        edge_j = np.concatenate([edge_j, new_j])
        edge_s = np.concatenate([edge_s, new_s])
        added += len(new_i)
    matched = np.flatnonzero(mate >= 0)
    scores = (mate_w[matched] - 1) // scale
    explained = breakdowns(enc, settings, matched, mate[matched])
    pairs = [
        Assignment(int(i), int(mate[i]), int(score), why)
        for i, score, why in zip(matched, scores, explained, strict=True)
    ]
    total = int(scores.sum())
    unmatched = [Unmatched(int(i), _reason(enc, packed, int(i))) for i in np.flatnonzero(mate < 0)]
    stats = {
        "rounds": rounds,
        "rounds_warm": warm,
        "candidate_edges": len(edge_i),
        "rows_checked": int(checked),
        "edges_added": added,
    }
    return Solution(pairs, unmatched, total, True, stats)


def _flow(
    n: int, m: int, capacities: np.ndarray, edge_i: np.ndarray, edge_j: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Min-cost flow over the candidate edges; returns each mentee's mentor row (-1) and edge weight."""
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, n + m + 1
    mentee_nodes = np.arange(1, n + 1, dtype=np.int64)
    mentor_nodes = np.arange(n + 1, n + m + 1, dtype=np.int64)
    tails = np.concatenate([np.zeros(n, dtype=np.int64), edge_i + 1, mentee_nodes, mentor_nodes])
    heads = np.concatenate([mentee_nodes, edge_j + n + 1, np.full(n, sink, dtype=np.int64), np.full(m, sink)])
    caps = np.concatenate([np.ones(n, dtype=np.int64), np.ones(len(edge_i), dtype=np.int64), np.ones(n), capacities])
    costs = np.concatenate([np.zeros(n, dtype=np.int64), -weight, np.zeros(n + m, dtype=np.int64)])
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64), costs.astype(np.int64)
    )
    flow.set_nodes_supplies(np.array([source, sink], dtype=np.int32), np.array([n, -n], dtype=np.int64))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise SolverError(f"min-cost flow ended with status {status}")
    used = flow.flows(np.arange(n, n + len(edge_i), dtype=np.int32)) > 0
    mate = np.full(n, -1, dtype=np.int64)
    mate_w = np.zeros(n, dtype=np.int64)
    mate[edge_i[used]] = edge_j[used]
    mate_w[edge_i[used]] = weight[used]
    return mate, mate_w


def _repair(
    n: int,
    m: int,
    capacities: np.ndarray,
    edge_i: np.ndarray,
    edge_j: np.ndarray,
    weight: np.ndarray,
    mate: np.ndarray,
    mate_w: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    reset: np.ndarray,
) -> bool:
    """Warm start: re-optimise the previous flow (``mate``, ``mate_w``, updated in place) for the edges added
    since, from the previous prices ``u``, ``v``, freeing the ``reset`` rows whose new edges violate them;
    False if it could not (then solve from scratch)."""
    order = np.argsort(edge_i, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(edge_i, minlength=n))
    trial, trial_w = mate.copy(), mate_w.copy()
    if not augment.repair(n, m, capacities, ptr, edge_j[order], weight[order], trial, trial_w, u, v, reset):
        return False
    mate[:], mate_w[:] = trial, trial_w
    return True


def _duals(
    n: int,
    m: int,
    capacities: np.ndarray,
    edge_i: np.ndarray,
    edge_j: np.ndarray,
    weight: np.ndarray,
    mate: np.ndarray,
    mate_w: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Least dual prices satisfying complementary slackness with the flow (see module docstring)."""
    matched_edge = mate[edge_i] == edge_j
    free = mate[edge_i] < 0
    v = np.zeros(m, dtype=np.int64)
    if free.any():
        np.maximum.at(v, edge_j[free], weight[free])
    linked = ~free & ~matched_edge
    src = mate[edge_i[linked]]
    dst = edge_j[linked]
    delta = weight[linked] - mate_w[edge_i[linked]]
    if not kernels.least_prices(m, src, dst, delta, v):
        raise SolverError("dual prices did not converge: the flow is not optimal")
    u = np.where(mate >= 0, mate_w - v[np.maximum(mate, 0)], 0)
    load = np.bincount(mate[mate >= 0], minlength=m)
    if (u < 0).any() or (v[load < capacities] != 0).any():
        raise SolverError("complementary slackness fails: the flow is not optimal")
    return u, v


def _reason(enc: Encoded, packed: np.ndarray, i: int) -> str:
    """Why mentee row ``i`` stayed unmatched."""
    counts = kernels.reason_counts(i, *enc.sides, packed, *enc.forbidden)
    if counts[0]:
        return f"capacity exhausted: all {int(counts[0])} eligible mentor(s) are full"
    names = [*kernels.REASONS, "reporting line or previous pair"]
    parts = [f"{names[r]} ({int(counts[r])})" for r in range(1, len(names)) if counts[r]]
    return "no eligible mentor: " + ", ".join(parts) if parts else "no eligible mentor"
