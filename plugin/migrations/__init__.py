"""Alembic migrations for Tandem's tables (version table ``tandem_alembic_version``)."""
