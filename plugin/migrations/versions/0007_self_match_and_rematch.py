"""Self-match requests, peer circles, and the quiet-pair warning on pairings

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
    op.create_table(
        "tandem_circle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["tandem_match_run.id"],
            name=op.f("fk_tandem_circle_run_id_tandem_match_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["tandem_programme.id"],
            name=op.f("fk_tandem_circle_programme_id_tandem_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tandem_circle")),
    )
    with op.batch_alter_table("tandem_circle") as batch_op:
        batch_op.create_index(batch_op.f("ix_tandem_circle_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tandem_circle_programme_id"), ["programme_id"], unique=False)
    op.create_table(
        "tandem_circle_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["circle_id"],
            ["tandem_circle.id"],
            name=op.f("fk_tandem_circle_member_circle_id_tandem_circle"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["tandem_person.id"],
            name=op.f("fk_tandem_circle_member_person_id_tandem_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tandem_circle_member")),
        sa.UniqueConstraint("circle_id", "person_id", name="uq_tandem_circle_member_place"),
    )
    with op.batch_alter_table("tandem_circle_member") as batch_op:
        batch_op.create_index(batch_op.f("ix_tandem_circle_member_circle_id"), ["circle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tandem_circle_member_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_table("tandem_circle_member")
    op.drop_table("tandem_circle")
    with op.batch_alter_table("tandem_pairing") as batch_op:
        batch_op.drop_column("warned_at")
    op.drop_table("tandem_match_request")
