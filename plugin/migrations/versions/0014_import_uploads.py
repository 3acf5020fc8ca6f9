"""Directory files HR uploaded in the browser, kept between preview and confirmation

Revision ID: 0014
Revises: 0012

One row per upload: the file's text until it is imported (then only the
result), the login that sent it, and when it expires. The token that finds it
is stored only as its SHA-256 hash.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tandem_import_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('previewed', 'running', 'done', 'failed')", name="ck_tandem_import_upload_status"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_tandem_import_upload"),
        sa.UniqueConstraint("token_hash", name="uq_tandem_import_upload_token_hash"),
    )
    op.create_index("ix_tandem_import_upload_expires_at", "tandem_import_upload", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_tandem_import_upload_expires_at", table_name="tandem_import_upload")
    op.drop_table("tandem_import_upload")
