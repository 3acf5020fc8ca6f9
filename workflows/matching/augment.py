"""Warm start of a flow round: repair the previous optimal flow after candidate edges were added.

The flow network is the solver's: mentee ``i`` sends one unit either to a mentor ``j`` over a candidate
edge (cost ``-W``) or straight to the sink ``T`` (cost 0, "stays unmatched"); mentor ``j`` passes at most
``capacity[j]`` units on to ``T``. Node potentials ``p`` (mentee ``-u``, mentor ``v``, sink 0, from the
previous round's dual prices) make every residual arc's reduced cost ``cost - p[a] + p[b]`` non-negative,
except on the new edges that violate the prices. Each row with such an edge gives back its unit (its old
mentor, or the sink, is left one unit short) and takes the smallest price that keeps its own edges
non-negative; then successive shortest paths (Dijkstra on reduced costs, potentials updated after each)
route every freed unit back, so the flow is optimal for the larger edge set again. Only the rows that
changed and the chains they push are touched, instead of solving all edges from scratch.

The caller never trusts this: the solver recomputes the dual prices from the returned flow, and they only
exist when it is optimal (``solver._duals`` raises otherwise).
"""

from __future__ import annotations

import numpy as np
from numba import njit

UNMATCHED = -1
FREED = -2


@njit(cache=True)
def _push(heap, pos, key, size, node, dist):
    """Insert ``node`` or lower its key in the indexed binary heap; returns the new size."""
    at = pos[node]
    if at < 0:
        at = size
        size += 1
        heap[at] = node
        pos[node] = at
    key[node] = dist
    while at > 0:
        up = (at - 1) >> 1
        other = heap[up]
        if key[other] <= dist:
            break
        heap[at] = other
        pos[other] = at
        at = up
    heap[at] = node
    pos[node] = at
    return size


@njit(cache=True)
def _pop(heap, pos, key, size):
    """Remove the node with the smallest key (the caller reads ``heap[0]`` first); returns the new size."""
    top = heap[0]
    pos[top] = -1
    size -= 1
    if size == 0:
        return 0
    last = heap[size]
    at = 0
    while True:
        child = 2 * at + 1
        if child >= size:
            break
        if child + 1 < size and key[heap[child + 1]] < key[heap[child]]:
            child += 1
        if key[heap[child]] >= key[last]:
            break
        heap[at] = heap[child]
        pos[heap[at]] = at
        at = child
    heap[at] = last
    pos[last] = at
    return size


@njit(cache=True)
def _unslot(slots, slot_ptr, load, j, i):
    """Take mentee ``i`` out of mentor ``j``'s slots (the last one takes its place)."""
    base = slot_ptr[j]
    for s in range(base, base + load[j]):
        if slots[s] == i:
            load[j] -= 1
            slots[s] = slots[base + load[j]]
            slots[base + load[j]] = -1
            return


@njit(cache=True)
def _relax(heap, pos, key, size, stamp, done, pred, pred_w, it, x, y, dist, w):
    """Offer node ``y`` to this search at ``dist``, reached from ``x`` over an edge of weight ``w``, unless it is
    settled or already offered nearer; returns the heap's new size."""
    if done[y] != it and (stamp[y] != it or dist < key[y]):
        stamp[y] = it
        pred[y] = x
        pred_w[y] = w
        size = _push(heap, pos, key, size, y, dist)
    return size


@njit(cache=True)
def repair(n, m, capacities, ptr, row_j, row_w, mate, mate_w, u, v, reset):
    """Make ``mate``/``mate_w`` optimal again for all edges; returns False if a reduced cost came out negative.

    ``ptr``/``row_j``/``row_w``: each mentee's edges (CSR: mentor rows and weights); ``u``/``v``: the
    previous round's prices (feasible on every edge of the rows not in ``reset``); ``reset``: the rows to
    free and route again. ``mate`` and ``mate_w`` are updated in place.
    """
    sink = n + m
    nodes = n + m + 1
    p = np.empty(nodes, dtype=np.int64)
    for i in range(n):
        p[i] = -u[i]
    for j in range(m):
        p[n + j] = v[j]
    p[sink] = 0
    # each mentor's assigned mentees in fixed slots
    slot_ptr = np.zeros(m + 1, dtype=np.int64)
    for j in range(m):
        slot_ptr[j + 1] = slot_ptr[j] + capacities[j]
    slots = np.full(max(1, slot_ptr[m]), -1, dtype=np.int64)
    load = np.zeros(m, dtype=np.int64)
    for i in range(n):
        j = mate[i]
        if j >= 0:
            slots[slot_ptr[j] + load[j]] = i
            load[j] += 1
    to_sink = load.copy()  # flow on each mentor -> sink arc
    excess = np.zeros(nodes, dtype=np.int64)
    for r in range(reset.shape[0]):
        i = reset[r]
        j = mate[i]
        if j >= 0:
            _unslot(slots, slot_ptr, load, j, i)
            excess[n + j] -= 1
        else:
            excess[sink] -= 1
        mate[i] = FREED
        excess[i] += 1
        lowest = p[sink]
        for q in range(ptr[i], ptr[i + 1]):
            c = p[n + row_j[q]] - row_w[q]
            if c < lowest:
                lowest = c
        p[i] = lowest
    heap = np.empty(nodes, dtype=np.int64)
    pos = np.full(nodes, -1, dtype=np.int64)
    key = np.zeros(nodes, dtype=np.int64)
    pred = np.full(nodes, -1, dtype=np.int64)
    pred_w = np.zeros(nodes, dtype=np.int64)
    settled = np.empty(nodes, dtype=np.int64)
    stamp = np.zeros(nodes, dtype=np.int64)
    done = np.zeros(nodes, dtype=np.int64)
    it = 0
    for r in range(reset.shape[0]):
        source = reset[r]
        if excess[source] <= 0:
            continue
        # one shortest path from this freed row to the nearest node short of a unit
        it += 1
        stamp[source] = it
        pred[source] = -1
        size = _push(heap, pos, key, 0, source, 0)
        target = -1
        reach = 0
        count = 0
        while size > 0:
            x = heap[0]
            dx = key[x]
            size = _pop(heap, pos, key, size)
            done[x] = it
            settled[count] = x
            count += 1
            if excess[x] < 0:
                target = x
                reach = dx
                break
            px = p[x]
            if x < n:
                if mate[x] != UNMATCHED:
                    c = -px + p[sink]
                    if c < 0:
                        return False
                    size = _relax(heap, pos, key, size, stamp, done, pred, pred_w, it, x, sink, dx + c, 0)
                mx = mate[x]
                for q in range(ptr[x], ptr[x + 1]):
                    j = row_j[q]
                    if mx == j:
                        continue
                    y = n + j
                    c = -row_w[q] - px + p[y]
                    if c < 0:
                        return False
                    size = _relax(heap, pos, key, size, stamp, done, pred, pred_w, it, x, y, dx + c, row_w[q])
            elif x < sink:
                j = x - n
                base = slot_ptr[j]
                for s in range(base, base + load[j]):
                    i = slots[s]
                    c = mate_w[i] - px + p[i]
                    if c < 0:
                        return False
                    size = _relax(heap, pos, key, size, stamp, done, pred, pred_w, it, x, i, dx + c, 0)
                if to_sink[j] < capacities[j]:
                    c = -px + p[sink]
                    if c < 0:
                        return False
                    size = _relax(heap, pos, key, size, stamp, done, pred, pred_w, it, x, sink, dx + c, 0)
            else:
                for i in range(n):
                    if mate[i] == UNMATCHED:
                        c = -px + p[i]
                        if c < 0:
                            return False
                        size = _relax(heap, pos, key, size, stamp, done, pred, pred_w, it, x, i, dx + c, 0)
                for j in range(m):
                    if to_sink[j] > 0:
                        y = n + j
                        c = -px + p[y]
                        if c < 0:
                            return False
                        size = _relax(heap, pos, key, size, stamp, done, pred, pred_w, it, x, y, dx + c, 0)
        while size > 0:  # empty the heap for the next search
            size = _pop(heap, pos, key, size)
        if target < 0:
            return False  # no route for a freed unit: cannot happen (every row may stay unmatched)
        # new potentials: settled nodes by their distance, all others by the target's (kept implicit)
        for s in range(count):
            x = settled[s]
            p[x] += reach - key[x]
        # augment one unit along the path, from the target back to its source
        y = target
        while pred[y] >= 0:
            x = pred[y]
            if x < n:
                if y == sink:
                    mate[x] = UNMATCHED
                else:
                    j = y - n
                    mate[x] = j
                    mate_w[x] = pred_w[y]
                    slots[slot_ptr[j] + load[j]] = x
                    load[j] += 1
            elif x < sink:
                j = x - n
                if y == sink:
                    to_sink[j] += 1
                else:
                    _unslot(slots, slot_ptr, load, j, y)
            elif y >= n:
                to_sink[y - n] -= 1
            y = x
        excess[y] -= 1
        excess[target] += 1
    return True
