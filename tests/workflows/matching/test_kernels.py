"""The bounded top-k pass gives exactly what scoring every pair gives."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from matching_reference import score_matrix
from test_matching_solver import instances

from tandem.workflows.matching import kernels
from tandem.workflows.matching.pool import encode, mentor_groups


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_top_candidates_and_the_best_score_left_out_equal_those_of_every_pair_scored(instance: tuple) -> None:
    mentees, mentors, chosen, previous, k = instance
    enc = encode(sorted(mentees, key=lambda p: p.id), sorted(mentors, key=lambda p: p.id), previous)
    scores = score_matrix(enc, chosen)
    k = min(k, len(mentors))
    groups = mentor_groups(enc.mentor_features, enc.mentor_bits)
    side = (enc.mentee_features, enc.mentee_bits, enc.layout, chosen.packed(), *enc.forbidden)
    best_j, best_s, left_out = kernels.top_candidates(*side, k, *groups.arrays)
    for i, row in enumerate(scores):
        ranked = [j for j in np.lexsort((np.arange(len(row)), -row)) if row[j] >= 0]
        expected = ranked[:k] + [-1] * (k - len(ranked[:k]))
        assert best_j[i].tolist() == expected
        assert best_s[i].tolist() == [int(row[j]) if j >= 0 else -1 for j in expected]
        assert left_out[i] == (row[ranked[k]] if len(ranked) > k else -1)
