"""Report data kept up to date with the data it counts: reporting lines and per-person statistics.

Three tables, written only by :mod:`tandem.plugin.rollups` (never by hand):

- ``tandem_reporting_line``: one row per person and each of their managers at
  any depth, the person themself at depth 0 (a closure table of the manager
  chain), so "everyone under X" is one index range instead of a recursive walk;
- ``tandem_person_stat``: one person's numbers the reports count (enrolled,
  check-ins due in 2026-05, ratings, …), a row per statistic;
- ``tandem_subtree_stat``: the same statistics summed over everyone *below* a
  manager, kept by adding each change of a person's numbers to the rows of their
  managers in the same transaction.

No foreign keys: a deleted person's rows must outlive the delete long enough to
be subtracted from their managers' sums.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import TandemModel


class ReportingLine(TandemModel):
    """``person_id`` reports to ``ancestor_id``, ``depth`` levels up (0: the person themself)."""

    __tablename__ = "tandem_reporting_line"

    ancestor_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    depth: Mapped[int] = mapped_column(Integer)


class PersonStat(TandemModel):
    """One statistic of one person, as the reports count it (absent means 0)."""

    __tablename__ = "tandem_person_stat"

    person_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stat: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class SubtreeStat(TandemModel):
    """One statistic summed over everyone below ``root_id`` (at depth 1 or more)."""

    __tablename__ = "tandem_subtree_stat"

    root_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stat: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class RollupState(TandemModel):
    """Which version of the statistics' definitions the stored rows were built with."""

    __tablename__ = "tandem_rollup_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(80))
