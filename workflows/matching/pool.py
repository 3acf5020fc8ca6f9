"""The people to match, as plain records, and their encoding into the arrays the kernels read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

# columns of the integer feature matrix
F_SENIORITY, F_TENURE, F_OFFSET, F_DEPARTMENT, F_TEAM, F_LOCATION, F_TOPICS, F_INTERESTS = range(8)
N_FEATURES = 8
# columns of a mentor group's feature row (see MentorGroups)
G_OFFSET, G_SENIORITY, G_TENURE, G_DEPARTMENT, G_LOCATION = range(5)
MIXED = -(2**40)
"""A group's department or location when its mentors do not all share one."""


@dataclass(frozen=True)
class Member:
    """One person in the pool: a mentee (``topics`` = goals) or a mentor (``topics`` = skills)."""

    id: int
    department: str = ""
    team: int | None = None
    managers: tuple[int, ...] = ()
    seniority: int = 0
    tenure_years: int = 0
    utc_offset_minutes: int = 0
    languages: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    location: str = ""
    capacity: int = 1
    unavailable: str = ""


@dataclass
class Encoded:
    """Both sides as arrays: ``features`` (n, 8) int64, ``bits`` (n, words) uint64, and the word layout."""

    mentee_features: np.ndarray
    mentee_bits: np.ndarray
    mentor_features: np.ndarray
    mentor_bits: np.ndarray
    layout: np.ndarray  # [topic_start, topic_end, interest_start, interest_end, language_start, language_end]
    forbidden_ptr: np.ndarray
    forbidden_idx: np.ndarray
    capacities: np.ndarray
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def sides(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Both sides' features and bits and the layout, in the order every kernel takes them."""
        return self.mentee_features, self.mentee_bits, self.mentor_features, self.mentor_bits, self.layout

    @property
    def forbidden(self) -> tuple[np.ndarray, np.ndarray]:
        """The forbidden pairs (reporting line, previous pair) as CSR pointers and indices."""
        return self.forbidden_ptr, self.forbidden_idx


@dataclass(frozen=True)
class MentorGroups:
    """The mentors in groups of equal time-zone offset and seniority, for bounding a mentee's scores per group.

    ``perm[q]`` is the mentor row at group position ``q``; group ``g`` holds positions ``ptr[g]:ptr[g + 1]``
    (mentor rows ascending). ``features``/``bits`` are the mentors' own rows in that order. Per group,
    ``group_features`` has the shared offset and seniority, the highest tenure, and the department and
    location if all share one (else ``MIXED``); ``group_bits`` is the union of their bits. Everything a
    group's mentors score against a mentee is at most what :func:`kernels.group_bound` gives for the group.
    """

    perm: np.ndarray
    ptr: np.ndarray
    features: np.ndarray
    bits: np.ndarray
    group_features: np.ndarray
    group_bits: np.ndarray

    @property
    def arrays(self) -> tuple[np.ndarray, ...]:
        """The arrays in the order the kernels take them."""
        return self.perm, self.ptr, self.features, self.bits, self.group_features, self.group_bits


def mentor_groups(features: np.ndarray, bits: np.ndarray) -> MentorGroups:
    """Group the mentors (rows of ``features``/``bits``) by time-zone offset and seniority."""
    m = len(features)
    perm = np.lexsort((np.arange(m), features[:, F_SENIORITY], features[:, F_OFFSET])).astype(np.int64)
    ordered, ordered_bits = features[perm], bits[perm]
    key = ordered[:, [F_OFFSET, F_SENIORITY]]
    starts = np.flatnonzero(np.r_[True, (key[1:] != key[:-1]).any(axis=1)]) if m else np.zeros(0, dtype=np.int64)
    ptr = np.r_[starts, m].astype(np.int64)
    groups = np.zeros((len(starts), 5), dtype=np.int64)
    group_bits = np.zeros((len(starts), bits.shape[1]), dtype=np.uint64)
    if m:
        groups[:, G_OFFSET] = ordered[starts, F_OFFSET]
        groups[:, G_SENIORITY] = ordered[starts, F_SENIORITY]
        groups[:, G_TENURE] = np.maximum.reduceat(ordered[:, F_TENURE], starts)
        for column, feature in ((G_DEPARTMENT, F_DEPARTMENT), (G_LOCATION, F_LOCATION)):
            low = np.minimum.reduceat(ordered[:, feature], starts)
            high = np.maximum.reduceat(ordered[:, feature], starts)
            groups[:, column] = np.where(low == high, low, MIXED)
        if bits.shape[1]:
            group_bits = np.bitwise_or.reduceat(ordered_bits, starts, axis=0)
    return MentorGroups(
        perm, ptr, np.ascontiguousarray(ordered), np.ascontiguousarray(ordered_bits), groups, group_bits
    )


class _Codes:
    """Stable small integers for strings (sorted, so the same input always gives the same codes)."""

    def __init__(self, values: Iterable[str]) -> None:
        self.index = {value: i for i, value in enumerate(sorted(set(values)))}

    def __call__(self, value: str) -> int:
        return self.index.get(value, -1)


def _words(vocabulary: dict[str, int]) -> int:
    return max(1, (len(vocabulary) + 63) // 64)


def _set_bits(out: np.ndarray, start: int, vocabulary: dict[str, int], values: Iterable[str]) -> None:
    for value in values:
        bit = vocabulary[value]
        out[start + bit // 64] |= np.uint64(1) << np.uint64(bit % 64)


def encode(mentees: Sequence[Member], mentors: Sequence[Member], previous: Iterable[tuple[int, int]] = ()) -> Encoded:
    """Encode both sides; ``previous`` holds (mentee id, mentor id) pairs that must not be proposed again.

    Pairs inside one reporting line (either direction, any depth) and previous pairs become the sparse
    ``forbidden`` lists (CSR by mentee, mentor indices ascending); everything else is checked in the kernels.
    """
    people = [*mentees, *mentors]
    topics = {v: i for i, v in enumerate(sorted({t for p in people for t in p.topics}))}
    interests = {v: i for i, v in enumerate(sorted({t for p in people for t in p.interests}))}
    languages = {v: i for i, v in enumerate(sorted({t for p in people for t in p.languages}))}
    wt, wi, wl = _words(topics), _words(interests), _words(languages)
    layout = np.array([0, wt, wt, wt + wi, wt + wi, wt + wi + wl], dtype=np.int64)
    departments = _Codes(p.department for p in people)
    locations = _Codes(p.location for p in people if p.location)

    def side(members: Sequence[Member]) -> tuple[np.ndarray, np.ndarray]:
        features = np.zeros((len(members), N_FEATURES), dtype=np.int64)
        bits = np.zeros((len(members), int(layout[-1])), dtype=np.uint64)
        for row, member in enumerate(members):
            features[row] = (
                member.seniority,
                member.tenure_years,
                member.utc_offset_minutes,
                departments(member.department),
                -1 if member.team is None else member.team,
                locations(member.location) if member.location else -1,
                len(member.topics),
                len(member.interests),
            )
            _set_bits(bits[row], 0, topics, member.topics)
            _set_bits(bits[row], wt, interests, member.interests)
            _set_bits(bits[row], wt + wi, languages, member.languages)
        return features, bits

    mentee_features, mentee_bits = side(mentees)
    mentor_features, mentor_bits = side(mentors)
    ptr, idx = forbidden_pairs(mentees, mentors, previous)
    return Encoded(
        mentee_features,
        mentee_bits,
        mentor_features,
        mentor_bits,
        layout,
        ptr,
        idx,
        np.array([max(0, m.capacity) for m in mentors], dtype=np.int64),
    )


def forbidden_pairs(
    mentees: Sequence[Member], mentors: Sequence[Member], previous: Iterable[tuple[int, int]] = ()
) -> tuple[np.ndarray, np.ndarray]:
    """CSR (by mentee row) of mentor rows never to pair with: reporting line either way, self, previous pairs."""
    mentor_row = {m.id: j for j, m in enumerate(mentors)}
    mentee_row = {m.id: i for i, m in enumerate(mentees)}
    banned: list[set[int]] = [set() for _ in mentees]
    for i, mentee in enumerate(mentees):
        for boss in (*mentee.managers, mentee.id):
            if boss in mentor_row:
                banned[i].add(mentor_row[boss])
    for j, mentor in enumerate(mentors):
        for boss in mentor.managers:
            if boss in mentee_row:
                banned[mentee_row[boss]].add(j)
    for mentee_id, mentor_id in previous:
        if mentee_id in mentee_row and mentor_id in mentor_row:
            banned[mentee_row[mentee_id]].add(mentor_row[mentor_id])
    ptr = np.zeros(len(mentees) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(b) for b in banned])
    idx = np.array([j for b in banned for j in sorted(b)], dtype=np.int64)
    return ptr, idx
