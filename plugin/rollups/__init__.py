"""Report data kept in step with the data it counts: reporting lines and statistics summed per subtree.

``stats`` defines what is counted about a person, ``lines`` who is under whom,
``maintain`` refreshes and rebuilds, and ``tracking`` runs a refresh inside
every transaction that changes what is counted. The reports read the sums
(:mod:`tandem.plugin.reports.manager`) instead of aggregating millions of rows
on each request.
"""

from .maintain import is_current, rebuild, refresh
from .tracking import install, touch

__all__ = ["install", "is_current", "rebuild", "refresh", "touch"]
