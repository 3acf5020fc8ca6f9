"""A confirmed directory import runs on the engine's workers: queued, a lease, an attempt count, rows read

Revision ID: 0025
Revises: 0019

``queued`` joins the statuses (HR confirmed; no worker has started it yet).
``lease_until`` is extended by the worker's heartbeat while it imports, so an
upload whose worker died is found and run again or failed with words HR can
read; ``attempt`` tells one run from the next; ``rows_read`` is the progress
any web process can show.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0019"
branch_labels = None
depends_on = None

OLD = "status IN ('previewed', 'running', 'done', 'failed')"
STOPPED = "the web process running this import stopped before it ended; nothing was written"
NEW = "status IN ('previewed', 'queued', 'running', 'done', 'failed')"


def upgrade() -> None:
    with op.batch_alter_table("tandem_import_upload") as batch_op:
        # 0014 named it before the naming convention added its prefix again.
        batch_op.drop_constraint(op.f("ck_tandem_import_upload_ck_tandem_import_upload_status"), type_="check")
        batch_op.create_check_constraint("status", NEW)
        batch_op.add_column(sa.Column("attempt", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("rows_read", sa.Integer(), nullable=False, server_default="0"))
    # A web process killed under the old code left its upload "running" for ever: say what happened.
    op.execute(
        "UPDATE tandem_import_upload SET status = 'failed', result = '{\"stopped\": \"" + STOPPED + "\"}'"
        " WHERE status = 'running'"
    )


def downgrade() -> None:
    op.execute("UPDATE tandem_import_upload SET status = 'failed' WHERE status = 'queued'")
    with op.batch_alter_table("tandem_import_upload") as batch_op:
        batch_op.drop_column("rows_read")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("attempt")
        batch_op.drop_constraint(op.f("ck_tandem_import_upload_status"), type_="check")
        batch_op.create_check_constraint("ck_tandem_import_upload_status", OLD)
