"""Compiled pair scoring: one definition of a pair's points (:func:`points_of`), used by every pass over the pool.

``points_of`` is the single source of truth: candidate generation, the optimality check, the dense
reference matrix and the explanation shown to people all call it, so they can never disagree.
Scores are integers (weight × points, points 0–100), so comparisons between passes are exact.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .pool import F_DEPARTMENT, F_INTERESTS, F_LOCATION, F_OFFSET, F_SENIORITY, F_TEAM, F_TENURE, F_TOPICS
from .settings import CRITERIA

N_CRITERIA = len(CRITERIA)
S_SAME_TEAM, S_OVERLAP, S_LANGUAGE, S_CROSS_DEPT, S_MAX_SENIORITY = range(N_CRITERIA, N_CRITERIA + 5)

# index of the reason a pair is ineligible (0 = eligible); names in REASONS
REASONS = (
    "",
    "same team",
    "time-zone overlap below the minimum",
    "no shared language",
    "same department",
    "seniority distance above the maximum",
    "a must-match criterion scores zero",
)
WORKDAY_MINUTES = 480
RATIO = np.array([[0 if w == 0 else min(100, (100 * g) // w) for g in range(256)] for w in range(256)], dtype=np.int64)
"""``RATIO[wanted, got]``: the percentage of what one wanted that the other has (no division per pair)."""


@njit(cache=True, inline="always")
def _popcount(x: np.uint64) -> int:
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@njit(cache=True, inline="always")
def hoist(settings):
    """The settings vector as a tuple of values, so compiled loops keep them in registers."""
    return (
        settings[0],
        settings[1],
        settings[2],
        settings[3],
        settings[4],
        settings[5],
        settings[6],
        settings[7],
        settings[S_SAME_TEAM],
        settings[S_OVERLAP],
        settings[S_LANGUAGE],
        settings[S_CROSS_DEPT],
        settings[S_MAX_SENIORITY],
    )


@njit(cache=True, inline="always")
def mentee_row(ef, i):
    """One mentee's features as a tuple of values."""
    return (ef[i, 0], ef[i, 1], ef[i, 2], ef[i, 3], ef[i, 4], ef[i, 5], ef[i, 6], ef[i, 7])


@njit(cache=True, inline="always")
def points_of(me, eb, i, rf, rb, j, layout, st):
    """The single definition of a pair's points: ``(reason, p_goals, …, p_location)``.

    ``me``: the mentee's feature tuple (:func:`mentee_row`), ``eb`` its bits (row ``i``); ``rf``/``rb``: the
    mentors' features and bits (row ``j``); ``st``: :func:`hoist`-ed settings. ``reason`` is 0 when the
    pair is eligible, otherwise an index into ``REASONS`` and all points are 0.
    """
    if st[8] != 0 and me[F_TEAM] >= 0 and me[F_TEAM] == rf[j, F_TEAM]:
        return (1, 0, 0, 0, 0, 0, 0, 0, 0)
    gap = abs(me[F_OFFSET] - rf[j, F_OFFSET])
    while gap >= 1440:
        gap -= 1440
    if gap > 720:
        gap = 1440 - gap
    overlap = WORKDAY_MINUTES - gap
    if overlap < 0:
        overlap = 0
    if overlap < st[9]:
        return (2, 0, 0, 0, 0, 0, 0, 0, 0)
    common = 0
    for w in range(layout[4], layout[5]):
        common += _popcount(eb[i, w] & rb[j, w])
    if st[10] != 0 and common == 0:
        return (3, 0, 0, 0, 0, 0, 0, 0, 0)
    if st[11] != 0 and me[F_DEPARTMENT] == rf[j, F_DEPARTMENT]:
        return (4, 0, 0, 0, 0, 0, 0, 0, 0)
    distance = rf[j, F_SENIORITY] - me[F_SENIORITY]
    if st[12] >= 0 and abs(distance) > st[12]:
        return (5, 0, 0, 0, 0, 0, 0, 0, 0)
    goals = 0
    for w in range(layout[0], layout[1]):
        goals += _popcount(eb[i, w] & rb[j, w])
    shared = 0
    for w in range(layout[2], layout[3]):
        shared += _popcount(eb[i, w] & rb[j, w])
    p0 = RATIO[min(me[F_TOPICS], 255), min(goals, 255)]
    if 2 <= distance <= 4:
        p1 = 100
    elif distance == 1 or distance == 5:
        p1 = 60
    elif distance > 5:
        p1 = 30
    else:
        p1 = 0
    tenure = rf[j, F_TENURE] - me[F_TENURE]
    p2 = 0 if tenure <= 0 else (100 if tenure >= 5 else 20 * tenure)
    p3 = 100 if me[F_DEPARTMENT] != rf[j, F_DEPARTMENT] else 0
    p4 = (100 * overlap) // WORKDAY_MINUTES
    p5 = 100 if common > 0 else 0
    p6 = RATIO[min(me[F_INTERESTS], 255), min(shared, 255)]
    p7 = 100 if me[F_LOCATION] >= 0 and me[F_LOCATION] == rf[j, F_LOCATION] else 0
    if (
        (st[0] >= 10 and p0 == 0)
        or (st[1] >= 10 and p1 == 0)
        or (st[2] >= 10 and p2 == 0)
        or (st[3] >= 10 and p3 == 0)
        or (st[4] >= 10 and p4 == 0)
        or (st[5] >= 10 and p5 == 0)
        or (st[6] >= 10 and p6 == 0)
        or (st[7] >= 10 and p7 == 0)
    ):
        return (6, 0, 0, 0, 0, 0, 0, 0, 0)
    return (0, p0, p1, p2, p3, p4, p5, p6, p7)


@njit(cache=True, inline="always")
def score_of(pts, st):
    """The weighted score of a :func:`points_of` result, -1 when the pair is not eligible."""
    if pts[0] != 0:
        return -1
    return (
        st[0] * pts[1]
        + st[1] * pts[2]
        + st[2] * pts[3]
        + st[3] * pts[4]
        + st[4] * pts[5]
        + st[5] * pts[6]
        + st[6] * pts[7]
        + st[7] * pts[8]
    )


@njit(cache=True, parallel=True)
def top_candidates(ef, eb, rf, rb, layout, settings, fptr, fidx, k):
    """For each mentee: its ``k`` best eligible mentors (ties to the lower index), the best score left out
    (-1 if none), and how many mentors are eligible at all."""
    n = ef.shape[0]
    m = rf.shape[0]
    st = hoist(settings)
    best_j = np.full((n, k), -1, dtype=np.int64)
    best_s = np.full((n, k), -1, dtype=np.int64)
    left_out = np.full(n, -1, dtype=np.int64)
    eligible = np.zeros(n, dtype=np.int64)
    for i in prange(n):
        me = mentee_row(ef, i)
        top_s = np.full(k, -1, dtype=np.int64)
        top_j = np.full(k, -1, dtype=np.int64)
        floor = -1
        out = -1
        count = 0
        p = fptr[i]
        end = fptr[i + 1]
        for j in range(m):
            if p < end and fidx[p] == j:
                p += 1
                continue
            s = score_of(points_of(me, eb, i, rf, rb, j, layout, st), st)
            if s < 0:
                continue
            count += 1
            if s <= floor:
                if s > out:
                    out = s
                continue
            if top_s[k - 1] > out:
                out = top_s[k - 1]
            pos = k - 1
            while pos > 0 and top_s[pos - 1] < s:
                top_s[pos] = top_s[pos - 1]
                top_j[pos] = top_j[pos - 1]
                pos -= 1
            top_s[pos] = s
            top_j[pos] = j
            floor = top_s[k - 1]
        best_s[i] = top_s
        best_j[i] = top_j
        left_out[i] = out
        eligible[i] = count
    return best_j, best_s, left_out, eligible


@njit(cache=True, parallel=True)
def violations(rows, ef, eb, rf, rb, layout, settings, fptr, fidx, scale, u, v, k, by_price, bound, margin):
    """The optimality check: for each mentee in ``rows``, up to ``k`` mentors whose edge weight
    ``score * scale + 1`` exceeds ``u[i] + v[j] - margin`` (most violated first), their scores, and how many
    exceed ``u[i] + v[j]`` itself (the true violations; ``margin`` only gathers near misses early).

    ``by_price`` lists the mentors by ascending price ``v``; ``bound[i]`` is an upper bound on the score of
    any pair of mentee ``i`` that can still violate (its best score outside the candidates). A pair
    violates only if ``v[j] < bound * scale + 1 - u[i]``, so each row stops at the first mentor priced
    at or above that: rows priced out by the market are skipped almost entirely.
    """
    r = rows.shape[0]
    m = rf.shape[0]
    st = hoist(settings)
    out_j = np.full((r, k), -1, dtype=np.int64)
    out_s = np.full((r, k), -1, dtype=np.int64)
    count = np.zeros(r, dtype=np.int64)
    for t in prange(r):
        i = rows[t]
        me = mentee_row(ef, i)
        top_g = np.zeros(k, dtype=np.int64)
        top_j = np.full(k, -1, dtype=np.int64)
        top_s = np.full(k, -1, dtype=np.int64)
        floor = 0
        hits = 0
        ui = u[i]
        limit = bound[i] * scale + 1 - ui + margin
        p = fptr[i]
        end = fptr[i + 1]
        for q in range(m):
            j = by_price[q]
            if v[j] >= limit:
                break
            s = score_of(points_of(me, eb, i, rf, rb, j, layout, st), st)
            if s < 0:
                continue
            gap = s * scale + 1 - ui - v[j] + margin
            if gap <= 0:
                continue
            banned = False
            for f in range(p, end):
                if fidx[f] == j:
                    banned = True
            if banned:
                continue
            if gap > margin:
                hits += 1
            if gap <= floor:
                continue
            pos = k - 1
            while pos > 0 and top_g[pos - 1] < gap:
                top_g[pos] = top_g[pos - 1]
                top_j[pos] = top_j[pos - 1]
                top_s[pos] = top_s[pos - 1]
                pos -= 1
            top_g[pos] = gap
            top_j[pos] = j
            top_s[pos] = s
            floor = top_g[k - 1]
        out_j[t] = top_j
        out_s[t] = top_s
        count[t] = hits
    return out_j, out_s, count


@njit(cache=True)
def least_prices(m, src, dst, delta, v):
    """Longest-path relaxation (Bellman–Ford) of mentor prices: ``v[dst] >= v[src] + delta`` for every
    arc, starting from ``v`` and raising it as little as possible; returns False if it does not settle
    within ``m + 2`` sweeps (a positive cycle: the flow was not optimal)."""
    for _ in range(m + 2):
        changed = False
        for e in range(src.shape[0]):
            want = v[src[e]] + delta[e]
            if want > v[dst[e]]:
                v[dst[e]] = want
                changed = True
        if not changed:
            return True
    return False


@njit(cache=True, parallel=True)
def dense_scores(ef, eb, rf, rb, layout, settings, fptr, fidx):
    """The full (mentees × mentors) score matrix, -1 where a pair is not eligible (reference and tests)."""
    n = ef.shape[0]
    m = rf.shape[0]
    st = hoist(settings)
    out = np.full((n, m), -1, dtype=np.int64)
    for i in prange(n):
        me = mentee_row(ef, i)
        p = fptr[i]
        end = fptr[i + 1]
        for j in range(m):
            if p < end and fidx[p] == j:
                p += 1
                continue
            out[i, j] = score_of(points_of(me, eb, i, rf, rb, j, layout, st), st)
    return out


@njit(cache=True)
def reason_counts(i, ef, eb, rf, rb, layout, settings, fptr, fidx):
    """For one mentee: how many mentors each reason rules out (index 0: eligible; last: reporting line or
    previous pair)."""
    m = rf.shape[0]
    st = hoist(settings)
    me = mentee_row(ef, i)
    counts = np.zeros(len(REASONS) + 1, dtype=np.int64)
    p = fptr[i]
    end = fptr[i + 1]
    for j in range(m):
        if p < end and fidx[p] == j:
            p += 1
            counts[len(REASONS)] += 1
            continue
        counts[points_of(me, eb, i, rf, rb, j, layout, st)[0]] += 1
    return counts


@njit(cache=True)
def edge_scores(edge_i, edge_j, ef, eb, rf, rb, layout, settings):
    """Scores of the given pairs (-1 for a pair that is not eligible)."""
    st = hoist(settings)
    out = np.empty(edge_i.shape[0], dtype=np.int64)
    for e in range(edge_i.shape[0]):
        i = edge_i[e]
        out[e] = score_of(points_of(mentee_row(ef, i), eb, i, rf, rb, edge_j[e], layout, st), st)
    return out


@njit(cache=True)
def pair_points_many(edge_i, edge_j, ef, eb, rf, rb, layout, settings):
    """Points per criterion of the given pairs, one row per pair."""
    st = hoist(settings)
    out = np.zeros((edge_i.shape[0], N_CRITERIA), dtype=np.int64)
    for e in range(edge_i.shape[0]):
        i = edge_i[e]
        pts = points_of(mentee_row(ef, i), eb, i, rf, rb, edge_j[e], layout, st)
        for c in range(N_CRITERIA):
            out[e, c] = pts[c + 1]
    return out
