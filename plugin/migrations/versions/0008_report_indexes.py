"""Indexes for the participation reports

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tandem_checkin_respondent_status_due", "tandem_checkin", ["respondent_id", "status", "due_at"])
    op.create_index("ix_tandem_checkin_status_completed", "tandem_checkin", ["status", "completed_at"])


def downgrade() -> None:
    op.drop_index("ix_tandem_checkin_status_completed", table_name="tandem_checkin")
    op.drop_index("ix_tandem_checkin_respondent_status_due", table_name="tandem_checkin")
