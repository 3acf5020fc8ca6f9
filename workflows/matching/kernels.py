"""Compiled pair scoring: one definition of a pair's points (:func:`points_of`), used by every pass over the pool.

``points_of`` is the single source of truth: candidate generation, the optimality check, the dense
reference matrix and the explanation shown to people all call it, so they can never disagree.
Scores are integers (weight × points, points 0–100), so comparisons between passes are exact.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .pool import (
    F_DEPARTMENT,
    F_INTERESTS,
    F_LOCATION,
    F_OFFSET,
    F_SENIORITY,
    F_TEAM,
    F_TENURE,
    F_TOPICS,
    G_DEPARTMENT,
    G_LOCATION,
    G_OFFSET,
    G_SENIORITY,
    G_TENURE,
    MIXED,
)
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
def _overlap(a, b):
    """Minutes of a working day two UTC offsets (minutes) share."""
    gap = abs(a - b)
    while gap >= 1440:
        gap -= 1440
    if gap > 720:
        gap = 1440 - gap
    overlap = WORKDAY_MINUTES - gap
    return overlap if overlap > 0 else 0


@njit(cache=True, inline="always")
def _seniority_points(distance):
    """Points for the mentor's seniority minus the mentee's."""
    if 2 <= distance <= 4:
        return 100
    if distance == 1 or distance == 5:
        return 60
    if distance > 5:
        return 30
    return 0


@njit(cache=True, inline="always")
def _tenure_points(gap):
    """Points for the mentor's tenure minus the mentee's (years)."""
    return 0 if gap <= 0 else (100 if gap >= 5 else 20 * gap)


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
    overlap = _overlap(me[F_OFFSET], rf[j, F_OFFSET])
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
    p1 = _seniority_points(distance)
    p2 = _tenure_points(rf[j, F_TENURE] - me[F_TENURE])
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


@njit(cache=True, inline="always")
def group_bound(me, eb, i, gf, gb, g, layout, st):
    """The most any mentor of group ``g`` can score with the mentee, as ``(bound, goal_points)``; bound -1
    when the group's shared offset or seniority, or its languages, rule every mentor out.

    The same criteria as :func:`points_of`, each at the best the group allows: offset and seniority are
    the group's own, tenure its highest, department and location 100 unless all share the mentee's
    (resp. none can), goals, languages and interests from the union of the group's bits; all points rise
    with those, so no mentor of the group scores more. ``goal_points`` is the goals criterion's share, so a
    caller can swap in one mentor's exact goals.
    """
    overlap = _overlap(me[F_OFFSET], gf[g, G_OFFSET])
    if overlap < st[9]:
        return -1, 0
    common = 0
    for w in range(layout[4], layout[5]):
        common += _popcount(eb[i, w] & gb[g, w])
    if st[10] != 0 and common == 0:
        return -1, 0
    same_department = gf[g, G_DEPARTMENT] != MIXED and gf[g, G_DEPARTMENT] == me[F_DEPARTMENT]
    if st[11] != 0 and same_department:
        return -1, 0
    distance = gf[g, G_SENIORITY] - me[F_SENIORITY]
    if st[12] >= 0 and abs(distance) > st[12]:
        return -1, 0
    goals = 0
    for w in range(layout[0], layout[1]):
        goals += _popcount(eb[i, w] & gb[g, w])
    shared = 0
    for w in range(layout[2], layout[3]):
        shared += _popcount(eb[i, w] & gb[g, w])
    p0 = RATIO[min(me[F_TOPICS], 255), min(goals, 255)]
    p1 = _seniority_points(distance)
    p2 = _tenure_points(gf[g, G_TENURE] - me[F_TENURE])
    p3 = 0 if same_department else 100
    p4 = (100 * overlap) // WORKDAY_MINUTES
    p5 = 100 if common > 0 else 0
    p6 = RATIO[min(me[F_INTERESTS], 255), min(shared, 255)]
    located = me[F_LOCATION] >= 0 and (gf[g, G_LOCATION] == MIXED or gf[g, G_LOCATION] == me[F_LOCATION])
    p7 = 100 if located else 0
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
        return -1, 0
    bound = st[0] * p0 + st[1] * p1 + st[2] * p2 + st[3] * p3 + st[4] * p4 + st[5] * p5 + st[6] * p6 + st[7] * p7
    return bound, st[0] * p0


@njit(cache=True, inline="always")
def goal_points(me, eb, i, rb, q, layout, st):
    """The goals criterion's weighted points of one pair (the part of :func:`points_of` that bounds use)."""
    goals = 0
    for w in range(layout[0], layout[1]):
        goals += _popcount(eb[i, w] & rb[q, w])
    return st[0] * RATIO[min(me[F_TOPICS], 255), min(goals, 255)]


@njit(cache=True, inline="always")
def is_forbidden(fptr, fidx, i, j):
    """Whether mentor row ``j`` is on mentee ``i``'s forbidden list (reporting line, previous pair)."""
    for f in range(fptr[i], fptr[i + 1]):  # noqa: SIM110 - a plain loop, which Numba compiles
        if fidx[f] == j:
            return True
    return False


@njit(cache=True, inline="always")
def _group_order(me, eb, i, gf, gb, layout, st, bounds, goal_part, order):
    """Each group's bound for mentee ``i`` (into ``bounds``/``goal_part``) and the groups that can hold
    an eligible mentor, best bound first (into ``order``); returns how many."""
    count = 0
    for g in range(gf.shape[0]):
        b, gp = group_bound(me, eb, i, gf, gb, g, layout, st)
        bounds[g] = b
        goal_part[g] = gp
        if b < 0:
            continue
        pos = count
        while pos > 0 and bounds[order[pos - 1]] < b:
            order[pos] = order[pos - 1]
            pos -= 1
        order[pos] = g
        count += 1
    return count


@njit(cache=True, parallel=True)
def top_candidates(ef, eb, layout, settings, fptr, fidx, k, perm, gptr, rf, rb, gf, gb):
    """For each mentee: its ``k`` best eligible mentors (by score, ties to the lower mentor row) and the
    best score left out (-1 if none).

    Mentors come grouped (:class:`pool.MentorGroups`: ``perm``, ``gptr``, their rows ``rf``/``rb`` in group
    order, and per group ``gf``/``gb``). Groups are visited best bound first; a group, or a mentor by its
    group's bound with its own goals, is skipped once it cannot beat the ``k + 1``-th best found, so the
    result is exactly that of scoring every pair.
    """
    n = ef.shape[0]
    groups = gf.shape[0]
    st = hoist(settings)
    keep = k + 1
    best_j = np.full((n, k), -1, dtype=np.int64)
    best_s = np.full((n, k), -1, dtype=np.int64)
    left_out = np.full(n, -1, dtype=np.int64)
    for i in prange(n):
        me = mentee_row(ef, i)
        bounds = np.empty(groups, dtype=np.int64)
        goal_part = np.empty(groups, dtype=np.int64)
        order = np.empty(groups, dtype=np.int64)
        top_s = np.full(keep, -1, dtype=np.int64)
        top_j = np.full(keep, -1, dtype=np.int64)
        live = _group_order(me, eb, i, gf, gb, layout, st, bounds, goal_part, order)
        for t in range(live):
            g = order[t]
            floor = top_s[keep - 1]
            if bounds[g] < floor:
                break
            rest = bounds[g] - goal_part[g]
            for q in range(gptr[g], gptr[g + 1]):
                floor = top_s[keep - 1]
                if rest + goal_points(me, eb, i, rb, q, layout, st) < floor:
                    continue
                s = score_of(points_of(me, eb, i, rf, rb, q, layout, st), st)
                if s < 0 or s < floor:
                    continue
                j = perm[q]
                if s == floor and j > top_j[keep - 1] >= 0:
                    continue
                if is_forbidden(fptr, fidx, i, j):
                    continue
                pos = keep - 1
                while pos > 0 and (top_s[pos - 1] < s or (top_s[pos - 1] == s and top_j[pos - 1] > j)):
                    top_s[pos] = top_s[pos - 1]
                    top_j[pos] = top_j[pos - 1]
                    pos -= 1
                top_s[pos] = s
                top_j[pos] = j
        best_s[i] = top_s[:k]
        best_j[i] = top_j[:k]
        left_out[i] = top_s[k]
    return best_j, best_s, left_out


@njit(cache=True, parallel=True)
def violations(
    rows, ef, eb, layout, settings, fptr, fidx, scale, u, v, k, bound, margin, perm, gptr, rf, rb, gf, gb, by_price
):
    """The optimality check: for each mentee in ``rows``, up to ``k`` mentors whose edge weight
    ``score * scale + 1`` exceeds ``u[i] + v[j] - margin`` (most violated first), their scores, and how many
    exceed ``u[i] + v[j]`` itself (the true violations; ``margin`` only gathers near misses early).

    ``bound[i]`` is an upper bound on the score of any pair of mentee ``i`` that can still violate (its
    best score outside the candidates). Mentors come grouped as in :func:`top_candidates`, and
    ``by_price`` lists each group's positions by ascending price ``v``. A pair violates only if
    ``v[j] < b * scale + 1 - u[i]`` with ``b`` the lesser of that bound and the group's bound, so each
    group's scan stops at the first mentor priced at or above that, and a mentor whose group bound with
    its own goals cannot violate is not scored.
    """
    r = rows.shape[0]
    groups = gf.shape[0]
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
        cap = bound[i]
        for g in range(groups):
            b, gp = group_bound(me, eb, i, gf, gb, g, layout, st)
            if b < 0:
                continue
            rest = b - gp
            if b > cap:
                b = cap
            limit = b * scale + 1 - ui + margin
            for x in range(gptr[g], gptr[g + 1]):
                q = by_price[x]
                j = perm[q]
                vj = v[j]
                if vj >= limit:
                    break
                most = rest + goal_points(me, eb, i, rb, q, layout, st)
                if most > cap:
                    most = cap
                if most * scale + 1 - ui - vj + margin <= 0:
                    continue
                s = score_of(points_of(me, eb, i, rf, rb, q, layout, st), st)
                if s < 0:
                    continue
                gap = s * scale + 1 - ui - vj + margin
                if gap <= 0:
                    continue
                if is_forbidden(fptr, fidx, i, j):
                    continue
                if gap > margin:
                    hits += 1
                if gap < floor or (gap == floor and j > top_j[k - 1]):
                    continue
                pos = k - 1
                while pos > 0 and (top_g[pos - 1] < gap or (top_g[pos - 1] == gap and top_j[pos - 1] > j)):
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
