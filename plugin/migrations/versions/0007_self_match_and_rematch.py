"""Self-match requests, and the quiet-pair warning on pairings

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tandem_match_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pairing_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'withdrawn')", name=op.f("ck_tandem_match_request_status")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["tandem_programme.id"],
            name=op.f("fk_tandem_match_request_programme_id_tandem_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["tandem_person.id"],
            name=op.f("fk_tandem_match_request_mentee_id_tandem_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["tandem_person.id"],
            name=op.f("fk_tandem_match_request_mentor_id_tandem_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["tandem_pairing.id"],
            name=op.f("fk_tandem_match_request_pairing_id_tandem_pairing"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tandem_match_request")),
    )
    with op.batch_alter_table("tandem_match_request") as batch_op:
        batch_op.create_index(batch_op.f("ix_tandem_match_request_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index("ix_tandem_match_request_mentee_status", ["mentee_id", "status"], unique=False)
        batch_op.create_index("ix_tandem_match_request_mentor_status", ["mentor_id", "status"], unique=False)
    with op.batch_alter_table("tandem_pairing") as batch_op:
        batch_op.add_column(sa.Column("warned_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tandem_pairing") as batch_op:
        batch_op.drop_column("warned_at")
    op.drop_table("tandem_match_request")
