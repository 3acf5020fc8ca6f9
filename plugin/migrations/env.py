"""Alembic environment: runs on the connection ``tandem.plugin.database`` hands it."""

from __future__ import annotations

from alembic import context

from tandem.plugin.models import metadata

VERSION_TABLE = "tandem_alembic_version"


def _include(obj, name, type_, reflected, compare_to):
    """Only Tandem's own tables: FAB's and the host app's belong to them."""
    if type_ == "table":
        return name.startswith("tandem_")
    return True


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    include_object=_include,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
