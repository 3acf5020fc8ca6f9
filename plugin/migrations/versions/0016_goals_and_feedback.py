"""Goals a pair agrees and revisits at its check-ins; answers to the feedback pulse and end-of-programme survey

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tandem_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_key", sa.String(length=40), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('not_started', 'moving', 'done')", name=op.f("ck_tandem_goal_status")),
        sa.CheckConstraint("position >= 1 AND position <= 3", name=op.f("ck_tandem_goal_position")),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["tandem_programme.id"],
            name=op.f("fk_tandem_goal_programme_id_tandem_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"],
            ["tandem_person.id"],
            name=op.f("fk_tandem_goal_set_by_id_tandem_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tandem_goal")),
        sa.UniqueConstraint("group_key", "position", name="uq_tandem_goal_group_position"),
    )
    with op.batch_alter_table("tandem_goal", schema=None) as batch_op:
        batch_op.create_index("ix_tandem_goal_programme_status", ["programme_id", "status"], unique=False)

    op.create_table(
        "tandem_feedback_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("survey", sa.String(length=10), nullable=False),
        sa.Column("useful", sa.Integer(), nullable=False),
        sa.Column("time_to_meet", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("recommend", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("idempotency_key", sa.String(length=120), nullable=False),
        sa.CheckConstraint("survey IN ('pulse', 'end')", name=op.f("ck_tandem_feedback_answer_survey")),
        sa.CheckConstraint("progress >= 1 AND progress <= 5", name=op.f("ck_tandem_feedback_answer_progress")),
        sa.CheckConstraint(
            "recommend IS NULL OR (recommend >= 0 AND recommend <= 10)",
            name=op.f("ck_tandem_feedback_answer_recommend"),
        ),
        sa.CheckConstraint(
            "time_to_meet >= 1 AND time_to_meet <= 5", name=op.f("ck_tandem_feedback_answer_time_to_meet")
        ),
        sa.CheckConstraint("useful >= 1 AND useful <= 5", name=op.f("ck_tandem_feedback_answer_useful")),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["tandem_workflow_instance.id"],
            name=op.f("fk_tandem_feedback_answer_instance_id_tandem_workflow_instance"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["tandem_programme.id"],
            name=op.f("fk_tandem_feedback_answer_programme_id_tandem_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["tandem_person.id"],
            name=op.f("fk_tandem_feedback_answer_respondent_id_tandem_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tandem_feedback_answer")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_tandem_feedback_answer_idempotency_key")),
    )
    with op.batch_alter_table("tandem_feedback_answer", schema=None) as batch_op:
        batch_op.create_index("ix_tandem_feedback_answer_programme_survey", ["programme_id", "survey"], unique=False)
        batch_op.create_index(batch_op.f("ix_tandem_feedback_answer_respondent_id"), ["respondent_id"], unique=False)

    op.create_table(
        "tandem_goal_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('not_started', 'moving', 'done')", name=op.f("ck_tandem_goal_progress_status")),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["tandem_checkin.id"],
            name=op.f("fk_tandem_goal_progress_checkin_id_tandem_checkin"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["tandem_goal.id"],
            name=op.f("fk_tandem_goal_progress_goal_id_tandem_goal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tandem_goal_progress")),
        sa.UniqueConstraint("goal_id", "checkin_id", name="uq_tandem_goal_progress_goal_checkin"),
    )
    with op.batch_alter_table("tandem_goal_progress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tandem_goal_progress_checkin_id"), ["checkin_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tandem_goal_progress_goal_id"), ["goal_id"], unique=False)


def downgrade() -> None:
    op.drop_table("tandem_goal_progress")
    op.drop_table("tandem_feedback_answer")
    op.drop_table("tandem_goal")
