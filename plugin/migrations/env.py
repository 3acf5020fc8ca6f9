"""Alembic environment: runs on the connection ``tandem.plugin.database`` hands it."""

from __future__ import annotations

from alembic import context

from tandem.plugin.database import VERSION_TABLE, only_tandem_tables
from tandem.plugin.models import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    include_object=only_tandem_tables,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
