"""Profiles (photo, bio, help with, want to learn, languages, hours, place) and programme sign-up

Revision ID: 0015
Revises: 0014

New tables ``tandem_profile`` (one row per person, created on first save) and
``tandem_signup`` (a questionnaire's answers, pending HR's approval where the
programme asks); two programme flags, both off for existing programmes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tandem_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column("help_with", sa.JSON(), nullable=False),
        sa.Column("want_to_learn", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("location", sa.String(length=120), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("work_start", sa.Time(), nullable=True),
        sa.Column("work_end", sa.Time(), nullable=True),
        sa.Column("photo", sa.LargeBinary(), nullable=True),
        sa.Column("photo_type", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["tandem_person.id"],
            name="fk_tandem_profile_person_id_tandem_person",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_tandem_profile"),
        sa.UniqueConstraint("person_id", name="uq_tandem_profile_person_id"),
    )
    op.create_table(
        "tandem_signup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("availability", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint("role IN ('mentor', 'mentee', 'participant')", name="ck_tandem_signup_role"),
        sa.CheckConstraint("status IN ('pending', 'approved', 'declined')", name="ck_tandem_signup_status"),
        sa.CheckConstraint("capacity >= 0 AND capacity <= 10", name="ck_tandem_signup_capacity"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["tandem_person.id"],
            name="fk_tandem_signup_person_id_tandem_person",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["tandem_programme.id"],
            name="fk_tandem_signup_programme_id_tandem_programme",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_tandem_signup"),
    )
    op.create_index("ix_tandem_signup_person_id", "tandem_signup", ["person_id"])
    op.create_index("ix_tandem_signup_programme_id", "tandem_signup", ["programme_id"])
    op.create_index("ix_tandem_signup_status", "tandem_signup", ["status"])
    with op.batch_alter_table("tandem_programme") as batch:
        batch.add_column(sa.Column("signup_open", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("signup_needs_approval", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("tandem_programme") as batch:
        batch.drop_column("signup_needs_approval")
        batch.drop_column("signup_open")
    op.drop_index("ix_tandem_signup_status", table_name="tandem_signup")
    op.drop_index("ix_tandem_signup_programme_id", table_name="tandem_signup")
    op.drop_index("ix_tandem_signup_person_id", table_name="tandem_signup")
    op.drop_table("tandem_signup")
    op.drop_table("tandem_profile")
