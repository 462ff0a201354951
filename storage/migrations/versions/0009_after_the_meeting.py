"""after the meeting: reflections, the plan, thank-you and keep-in-touch clocks

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("report_back_days", sa.Integer(), server_default="28", nullable=False))
        batch_op.add_column(sa.Column("touch_ideal_days", sa.Integer(), server_default="42", nullable=False))
        batch_op.add_column(sa.Column("touch_max_days", sa.Integer(), server_default="91", nullable=False))
        batch_op.add_column(sa.Column("not_now_days", sa.Integer(), server_default="28", nullable=False))
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("thanked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_touch_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("touch_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("touch_stopped", sa.Boolean(), server_default="0", nullable=False))
    op.create_table(
        "reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("learned", sa.Text(), nullable=True),
        sa.Column("looking_for", sa.Text(), nullable=True),
        sa.Column("resume", sa.Text(), nullable=True),
        sa.Column("still_field", sa.String(length=8), nullable=True),
        sa.Column("open_questions", sa.Text(), nullable=True),
        sa.Column("matters", sa.Text(), nullable=True),
        sa.Column("referrals", sa.Text(), nullable=True),
        sa.Column("promised", sa.Text(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], name=op.f("fk_reflections_contact_id_contacts"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_reflections_meeting_id_meetings"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_reflections_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflections")),
    )
    with op.batch_alter_table("reflections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reflections_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reflections_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reflections_user_id"), ["user_id"], unique=False)
    op.create_table(
        "plan_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("reflection_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], name=op.f("fk_plan_items_contact_id_contacts"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["reflection_id"], ["reflections.id"], name=op.f("fk_plan_items_reflection_id_reflections"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_plan_items_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_items")),
    )
    with op.batch_alter_table("plan_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_items_reflection_id"), ["reflection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_items_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_table("plan_items")
    op.drop_table("reflections")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        for column in ("touch_stopped", "touch_days", "last_touch_at", "thanked_at"):
            batch_op.drop_column(column)
    with op.batch_alter_table("users", schema=None) as batch_op:
        for column in ("not_now_days", "touch_max_days", "touch_ideal_days", "report_back_days"):
            batch_op.drop_column(column)
