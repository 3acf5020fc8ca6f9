"""notification delivery: preferences, template overrides, delivery leases, incidents for notifications

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tandem_notification_preference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("quiet_start", sa.Time(), nullable=True),
        sa.Column("quiet_end", sa.Time(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("webhook_url", sa.String(length=500), nullable=False),
        sa.Column("daily_budget", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("daily_budget >= 1", name=op.f("ck_tandem_notification_preference_daily_budget")),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["tandem_person.id"],
            name=op.f("fk_tandem_notification_preference_person_id_tandem_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tandem_notification_preference")),
        sa.UniqueConstraint("person_id", name=op.f("uq_tandem_notification_preference_person_id")),
    )
    op.create_table(
        "tandem_notification_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tandem_notification_template")),
        sa.UniqueConstraint("name", "version", name="uq_tandem_notification_template_version"),
    )
    with op.batch_alter_table("tandem_notification_template", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tandem_notification_template_name"), ["name"], unique=False)
    with op.batch_alter_table("tandem_notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("tandem_incident", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notification_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_tandem_incident_notification_id"), ["notification_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_tandem_incident_notification_id_tandem_notification"),
            "tandem_notification",
            ["notification_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("tandem_incident", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_tandem_incident_notification_id_tandem_notification"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_tandem_incident_notification_id"), type_="unique")
        batch_op.drop_column("notification_id")
    with op.batch_alter_table("tandem_notification", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
    with op.batch_alter_table("tandem_notification_template", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tandem_notification_template_name"))
    op.drop_table("tandem_notification_template")
    op.drop_table("tandem_notification_preference")
