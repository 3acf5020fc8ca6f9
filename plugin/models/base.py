"""The declarative base for Tandem's tables.

Tandem's models share Flask-AppBuilder's registry (so relationships to FAB's
``User`` resolve by name) but keep their own ``MetaData``: FAB's automatic
``create_all`` never touches them, and Alembic alone creates and migrates them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, MetaData

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TandemModel(Model):
    """Abstract base of every Tandem model (tables are prefixed ``tandem_``)."""

    __abstract__ = True
    metadata = metadata


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware (the default for timestamp columns)."""
    return datetime.now(UTC)


def one_of(column: str, values: Iterable[str], name: str) -> CheckConstraint:
    """A check constraint allowing only ``values`` in ``column``."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name)
