"""The outbox's channel is checked against the channel registry, not a database constraint

Revision ID: 0019
Revises: 0016

``tandem_notification.channel`` was limited by a CHECK constraint naming
``email``, ``in_app`` and ``webhook``: one of five places a channel was
spelled out. Channels now register themselves in Python
(``tandem.workflows.channels``), and a host app or a later release may
register one without a migration, so the constraint is dropped and the model
validates the column against the registry instead. The status and attempts
constraints stay. On SQLite the table is rebuilt (batch mode), keeping its
other named constraints, indexes and rows.
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0016"
branch_labels = None
depends_on = None

BUILTIN_CHANNELS = ("email", "in_app", "webhook")


def upgrade() -> None:
    with op.batch_alter_table("tandem_notification") as batch_op:
        batch_op.drop_constraint(op.f("ck_tandem_notification_channel"), type_="check")


def downgrade() -> None:
    """The constraint back, with the built-in channels (a row of another channel makes this fail)."""
    allowed = ", ".join(f"'{name}'" for name in BUILTIN_CHANNELS)
    with op.batch_alter_table("tandem_notification") as batch_op:
        batch_op.create_check_constraint(op.f("ck_tandem_notification_channel"), f"channel IN ({allowed})")
