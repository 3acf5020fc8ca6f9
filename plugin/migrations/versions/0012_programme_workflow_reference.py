"""A programme names the workflow it runs: existing rows point to a stored definition

Revision ID: 0012
Revises: 0009

``tandem_programme.workflow`` was free text the engine never read: the built-in
definitions chose their programme by the ``programme:`` key of their YAML. The
engine now runs the definition a programme names (HR picks it from a list), so
every existing programme is pointed at a stored definition:

1. a value naming a definition (ignoring case and surrounding spaces, or by its
   title) becomes that definition's exact name;
2. otherwise, the definition whose ``programme:`` key names the programme's
   slug (what ran for it until now);
3. otherwise NULL (the text named nothing; HR chooses on the programme's form).

No schema change: the column keeps its type, so downgrading changes nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
import yaml
from alembic import op

revision = "0012"
down_revision = "0009"
branch_labels = None
depends_on = None

programme = sa.table(
    "tandem_programme", sa.column("id", sa.Integer), sa.column("slug", sa.String), sa.column("workflow", sa.String)
)
definition = sa.table(
    "tandem_workflow_definition",
    sa.column("name", sa.String),
    sa.column("version", sa.Integer),
    sa.column("title", sa.String),
    sa.column("source", sa.Text),
)


def _default_programme(source: str) -> str | None:
    try:
        document = yaml.safe_load(source)  # stored sources were validated (and bounded) when saved
    except yaml.YAMLError:
        return None
    value = document.get("programme") if isinstance(document, dict) else None
    return value if isinstance(value, str) else None


def upgrade() -> None:
    connection = op.get_bind()
    newest: dict[str, tuple[int, str, str]] = {}
    for name, version, title, source in connection.execute(
        sa.select(definition.c.name, definition.c.version, definition.c.title, definition.c.source)
    ):
        if name not in newest or version > newest[name][0]:
            newest[name] = (version, title or "", source)
    by_text = {name.lower(): name for name in newest}
    by_text.update({title.strip().lower(): name for name, (_, title, _) in newest.items() if title.strip()})
    by_slug: dict[str, str] = {}
    for name in sorted(newest):
        slug = _default_programme(newest[name][2])
        if slug:
            by_slug.setdefault(slug, name)
    for pk, slug, current in connection.execute(
        sa.select(programme.c.id, programme.c.slug, programme.c.workflow)
    ).all():
        chosen = by_text.get((current or "").strip().lower()) or by_slug.get(slug)
        if chosen != current:
            connection.execute(sa.update(programme).where(programme.c.id == pk).values(workflow=chosen))


def downgrade() -> None:
    """Nothing to undo: the column and its type are unchanged."""
