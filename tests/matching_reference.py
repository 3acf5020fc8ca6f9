"""Reference solvers for tests and benchmarks: the dense assignment optimum and a greedy baseline."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from tandem.workflows.matching import kernels
from tandem.workflows.matching.pool import Encoded
from tandem.workflows.matching.settings import MatchSettings

FORBIDDEN = -1.0e15


def score_matrix(enc: Encoded, settings: MatchSettings) -> np.ndarray:
    """Every pair's score (mentees × mentors), -1 where not eligible."""
    return kernels.dense_scores(*enc.sides, settings.packed(), *enc.forbidden)


def dense_optimum(scores: np.ndarray, capacities: np.ndarray) -> tuple[int, int, np.ndarray]:
    """The optimum by ``linear_sum_assignment`` on the expanded dense matrix.

    A mentor of capacity c becomes c columns; each mentee also gets its own "unmatched" column of
    weight 0, and ineligible cells weigh ``FORBIDDEN``, so the assignment is always complete and never
    uses a forbidden cell. Weights are ``score × (n + 1) + 1`` like the solver's: most score first,
    then most pairs. Returns (total score, number of pairs, mentor row per mentee or -1).
    """
    n, m = scores.shape
    scale = n + 1
    columns = np.repeat(np.arange(m), capacities)
    weights = np.where(scores >= 0, scores * scale + 1, FORBIDDEN).astype(np.float64)
    expanded = np.full((n, len(columns) + n), FORBIDDEN)
    expanded[:, : len(columns)] = weights[:, columns]
    expanded[np.arange(n), len(columns) + np.arange(n)] = 0.0
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    mate = np.full(n, -1, dtype=np.int64)
    real = cols < len(columns)
    mate[rows[real]] = columns[cols[real]]
    total = int(scores[rows[real], columns[cols[real]]].sum())
    return total, int(real.sum()), mate


def greedy(edge_i: np.ndarray, edge_j: np.ndarray, edge_s: np.ndarray, n: int, capacities: np.ndarray) -> int:
    """The baseline: best remaining pair first while both sides are free; returns its total score."""
    order = np.lexsort((edge_j, edge_i, -edge_s))
    taken = np.zeros(n, dtype=bool)
    load = np.zeros(len(capacities), dtype=np.int64)
    total = 0
    for e in order:
        i, j = edge_i[e], edge_j[e]
        if not taken[i] and load[j] < capacities[j]:
            taken[i] = True
            load[j] += 1
            total += int(edge_s[e])
    return total
