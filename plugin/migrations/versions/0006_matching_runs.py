"""Matching runs and their proposals (HR review before publishing)

Revision ID: 0006
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tandem_match_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("total_score", sa.Integer(), nullable=False),
        sa.Column("unmatched", sa.JSON(), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'published', 'discarded')", name=op.f("ck_tandem_match_run_status")),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["tandem_programme.id"],
            name=op.f("fk_tandem_match_run_programme_id_tandem_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tandem_match_run")),
    )
    with op.batch_alter_table("tandem_match_run") as batch_op:
        batch_op.create_index(batch_op.f("ix_tandem_match_run_programme_id"), ["programme_id"], unique=False)
    op.create_table(
        "tandem_match_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('proposed', 'accepted', 'rejected')", name=op.f("ck_tandem_match_proposal_status")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["tandem_match_run.id"],
            name=op.f("fk_tandem_match_proposal_run_id_tandem_match_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["tandem_person.id"],
            name=op.f("fk_tandem_match_proposal_mentor_id_tandem_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["tandem_person.id"],
            name=op.f("fk_tandem_match_proposal_mentee_id_tandem_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["tandem_pairing.id"],
            name=op.f("fk_tandem_match_proposal_pairing_id_tandem_pairing"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tandem_match_proposal")),
        sa.UniqueConstraint("run_id", "mentee_id", name="uq_tandem_match_proposal_mentee"),
    )
    with op.batch_alter_table("tandem_match_proposal") as batch_op:
        batch_op.create_index(batch_op.f("ix_tandem_match_proposal_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    op.drop_table("tandem_match_proposal")
    op.drop_table("tandem_match_run")
