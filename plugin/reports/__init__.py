"""Participation reports: SQL aggregates over Tandem's tables, with one privacy rule.

``manager`` reports on a manager's own reporting subtree, ``hr`` is HR's
dashboard per programme, and ``privacy`` is the single place where groups
smaller than ``TANDEM_MIN_GROUP_SIZE`` are suppressed, so pages, the REST API
and CSV exports show exactly the same numbers.
"""

from .hr import hr_dashboard
from .manager import manager_report
from .privacy import Suppressed, suppress_groups

__all__ = ["Suppressed", "hr_dashboard", "manager_report", "suppress_groups"]
