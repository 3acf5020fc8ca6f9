"""Compiled pair scoring: one definition of a pair's points, used by every pass over the pool.

``pair_points`` is the single source of truth: candidate generation, the optimality check, the dense
reference matrix and the explanation shown to people all call it, so they can never disagree.
Scores are integers (weight × points, points 0–100), so comparisons between passes are exact.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .pool import F_DEPARTMENT, F_LOCATION, F_OFFSET, F_SENIORITY, F_TEAM, F_TENURE
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


@njit(cache=True, inline="always")
def _popcount(x: np.uint64) -> int:
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@njit(cache=True)
def pair_points(ef, eb, rf, rb, layout, settings, out):
    """Points (0–100) per criterion into ``out``; returns the reason code (0 when the pair is eligible).

    ``ef``/``eb``: the mentee's features and bits; ``rf``/``rb``: the mentor's.
    """
    if settings[S_SAME_TEAM] != 0 and ef[F_TEAM] >= 0 and ef[F_TEAM] == rf[F_TEAM]:
        return 1
    gap = abs(ef[F_OFFSET] - rf[F_OFFSET]) % 1440
    if gap > 720:
        gap = 1440 - gap
    overlap = WORKDAY_MINUTES - gap
    if overlap < 0:
        overlap = 0
    if overlap < settings[S_OVERLAP]:
        return 2
    goals = 0
    wanted = 0
    for w in range(layout[0], layout[1]):
        goals += _popcount(eb[w] & rb[w])
        wanted += _popcount(eb[w])
    shared = 0
    mine = 0
    for w in range(layout[2], layout[3]):
        shared += _popcount(eb[w] & rb[w])
        mine += _popcount(eb[w])
    common = 0
    for w in range(layout[4], layout[5]):
        common += _popcount(eb[w] & rb[w])
    if settings[S_LANGUAGE] != 0 and common == 0:
        return 3
    if settings[S_CROSS_DEPT] != 0 and ef[F_DEPARTMENT] == rf[F_DEPARTMENT]:
        return 4
    distance = rf[F_SENIORITY] - ef[F_SENIORITY]
    if settings[S_MAX_SENIORITY] >= 0 and abs(distance) > settings[S_MAX_SENIORITY]:
        return 5
    out[0] = 0 if wanted == 0 else (100 * goals) // wanted
    if 2 <= distance <= 4:
        out[1] = 100
    elif distance == 1 or distance == 5:
        out[1] = 60
    elif distance > 5:
        out[1] = 30
    else:
        out[1] = 0
    tenure = rf[F_TENURE] - ef[F_TENURE]
    out[2] = 0 if tenure <= 0 else (100 if tenure >= 5 else 20 * tenure)
    out[3] = 100 if ef[F_DEPARTMENT] != rf[F_DEPARTMENT] else 0
    out[4] = (100 * overlap) // WORKDAY_MINUTES
    out[5] = 100 if common > 0 else 0
    out[6] = 0 if mine == 0 else (100 * shared) // mine
    out[7] = 100 if ef[F_LOCATION] >= 0 and ef[F_LOCATION] == rf[F_LOCATION] else 0
    for c in range(N_CRITERIA):
        if settings[c] >= 10 and out[c] == 0:
            return 6
    return 0


@njit(cache=True, inline="always")
def _weighted(points, settings) -> int:
    total = 0
    for c in range(N_CRITERIA):
        total += settings[c] * points[c]
    return total


@njit(cache=True)
def pair_score(ef, eb, rf, rb, layout, settings) -> int:
    """The weighted score of one pair, or -1 when the pair is not eligible."""
    points = np.zeros(N_CRITERIA, dtype=np.int64)
    if pair_points(ef, eb, rf, rb, layout, settings, points) != 0:
        return -1
    return _weighted(points, settings)


@njit(cache=True, parallel=True)
def top_candidates(ef, eb, rf, rb, layout, settings, fptr, fidx, k):
    """For each mentee: its ``k`` best eligible mentors (ties to the lower index), the best score left out
    (-1 if none), and how many mentors are eligible at all."""
    n = ef.shape[0]
    m = rf.shape[0]
    best_j = np.full((n, k), -1, dtype=np.int64)
    best_s = np.full((n, k), -1, dtype=np.int64)
    left_out = np.full(n, -1, dtype=np.int64)
    eligible = np.zeros(n, dtype=np.int64)
    for i in prange(n):
        points = np.zeros(N_CRITERIA, dtype=np.int64)
        p = fptr[i]
        end = fptr[i + 1]
        for j in range(m):
            if p < end and fidx[p] == j:
                p += 1
                continue
            if pair_points(ef[i], eb[i], rf[j], rb[j], layout, settings, points) != 0:
                continue
            s = _weighted(points, settings)
            eligible[i] += 1
            if s <= best_s[i, k - 1]:
                if s > left_out[i]:
                    left_out[i] = s
                continue
            if best_s[i, k - 1] > left_out[i]:
                left_out[i] = best_s[i, k - 1]
            pos = k - 1
            while pos > 0 and best_s[i, pos - 1] < s:
                best_s[i, pos] = best_s[i, pos - 1]
                best_j[i, pos] = best_j[i, pos - 1]
                pos -= 1
            best_s[i, pos] = s
            best_j[i, pos] = j
    return best_j, best_s, left_out, eligible


@njit(cache=True, parallel=True)
def violations(rows, ef, eb, rf, rb, layout, settings, fptr, fidx, scale, u, v, k):
    """The optimality check: for each mentee in ``rows``, up to ``k`` mentors whose edge weight
    ``score * scale + 1`` exceeds ``u[i] + v[j]`` (most violated first), and how many there are."""
    r = rows.shape[0]
    m = rf.shape[0]
    out_j = np.full((r, k), -1, dtype=np.int64)
    out_gap = np.zeros((r, k), dtype=np.int64)
    count = np.zeros(r, dtype=np.int64)
    for t in prange(r):
        i = rows[t]
        points = np.zeros(N_CRITERIA, dtype=np.int64)
        p = fptr[i]
        end = fptr[i + 1]
        for j in range(m):
            if p < end and fidx[p] == j:
                p += 1
                continue
            if pair_points(ef[i], eb[i], rf[j], rb[j], layout, settings, points) != 0:
                continue
            gap = _weighted(points, settings) * scale + 1 - u[i] - v[j]
            if gap <= 0:
                continue
            count[t] += 1
            if gap <= out_gap[t, k - 1]:
                continue
            pos = k - 1
            while pos > 0 and out_gap[t, pos - 1] < gap:
                out_gap[t, pos] = out_gap[t, pos - 1]
                out_j[t, pos] = out_j[t, pos - 1]
                pos -= 1
            out_gap[t, pos] = gap
            out_j[t, pos] = j
    return out_j, count


@njit(cache=True, parallel=True)
def dense_scores(ef, eb, rf, rb, layout, settings, fptr, fidx):
    """The full (mentees × mentors) score matrix, -1 where a pair is not eligible (reference and tests)."""
    n = ef.shape[0]
    m = rf.shape[0]
    out = np.full((n, m), -1, dtype=np.int64)
    for i in prange(n):
        points = np.zeros(N_CRITERIA, dtype=np.int64)
        p = fptr[i]
        end = fptr[i + 1]
        for j in range(m):
            if p < end and fidx[p] == j:
                p += 1
                continue
            if pair_points(ef[i], eb[i], rf[j], rb[j], layout, settings, points) == 0:
                out[i, j] = _weighted(points, settings)
    return out


@njit(cache=True)
def reason_counts(i, ef, eb, rf, rb, layout, settings, fptr, fidx):
    """For one mentee: how many mentors each reason rules out (index 0: eligible; last: reporting line or
    previous pair)."""
    m = rf.shape[0]
    counts = np.zeros(len(REASONS) + 1, dtype=np.int64)
    points = np.zeros(N_CRITERIA, dtype=np.int64)
    p = fptr[i]
    end = fptr[i + 1]
    for j in range(m):
        if p < end and fidx[p] == j:
            p += 1
            counts[len(REASONS)] += 1
            continue
        counts[pair_points(ef[i], eb[i], rf[j], rb[j], layout, settings, points)] += 1
    return counts


@njit(cache=True)
def edge_scores(edge_i, edge_j, ef, eb, rf, rb, layout, settings):
    """Scores of the given (eligible) pairs."""
    out = np.empty(edge_i.shape[0], dtype=np.int64)
    points = np.zeros(N_CRITERIA, dtype=np.int64)
    for e in range(edge_i.shape[0]):
        i = edge_i[e]
        j = edge_j[e]
        pair_points(ef[i], eb[i], rf[j], rb[j], layout, settings, points)
        out[e] = _weighted(points, settings)
    return out
