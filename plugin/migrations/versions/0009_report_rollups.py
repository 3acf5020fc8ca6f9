"""Maintained report data: reporting lines, per-person and per-subtree statistics, enrolment progress

Revision ID: 0009
Revises: 0008

The new tables start empty; ``tandem init`` (``initialise``) fills them from
the data they count (``tandem.plugin.rollups.rebuild``) whenever their
definitions' version differs from the stored one, so no data migration lives here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tandem_reporting_line",
        sa.Column("ancestor_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("ancestor_id", "person_id", name="pk_tandem_reporting_line"),
    )
    op.create_index("ix_tandem_reporting_line_person_id", "tandem_reporting_line", ["person_id"])
    for table, key in (("tandem_person_stat", "person_id"), ("tandem_subtree_stat", "root_id")):
        op.create_table(
            table,
            sa.Column(key, sa.Integer(), nullable=False),
            sa.Column("stat", sa.String(length=80), nullable=False),
            sa.Column("value", sa.BigInteger(), nullable=False),
            sa.PrimaryKeyConstraint(key, "stat", name=f"pk_{table}"),
        )
    op.create_table(
        "tandem_rollup_state",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_tandem_rollup_state"),
    )
    with op.batch_alter_table("tandem_enrolment") as batch:
        batch.add_column(sa.Column("completed_checkins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("matched", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("paired", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("mentees", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("tandem_enrolment") as batch:
        batch.drop_column("mentees")
        batch.drop_column("paired")
        batch.drop_column("matched")
        batch.drop_column("completed_checkins")
    for table in ("tandem_rollup_state", "tandem_subtree_stat", "tandem_person_stat", "tandem_reporting_line"):
        op.drop_table(table)
