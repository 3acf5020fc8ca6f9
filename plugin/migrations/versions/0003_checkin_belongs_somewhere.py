"""A check-in may belong to its workflow instance alone (no pairing, no enrolment)

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OLD = "(pairing_id IS NULL) <> (enrolment_id IS NULL)"
NEW = (
    "NOT (pairing_id IS NOT NULL AND enrolment_id IS NOT NULL)"
    " AND (pairing_id IS NOT NULL OR enrolment_id IS NOT NULL OR instance_id IS NOT NULL)"
)


def upgrade() -> None:
    with op.batch_alter_table("tandem_checkin") as batch_op:
        batch_op.drop_constraint(op.f("ck_tandem_checkin_pairing_xor_enrolment"), type_="check")
        batch_op.create_check_constraint("belongs_somewhere", NEW)


def downgrade() -> None:
    with op.batch_alter_table("tandem_checkin") as batch_op:
        batch_op.drop_constraint(op.f("ck_tandem_checkin_belongs_somewhere"), type_="check")
        batch_op.create_check_constraint("pairing_xor_enrolment", OLD)
