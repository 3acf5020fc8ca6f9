"""Small portable SQL building blocks shared by the reports (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session


def month_of(session: Session, column: Any) -> Any:
    """A ``YYYY-MM`` text expression of a timestamp column, in UTC."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)
