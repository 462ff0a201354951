"""the durable inbox: every fetched update is stored before Telegram is told it arrived

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_inbox")),
    )
    op.create_index(op.f("ix_inbox_user_id"), "inbox", ["user_id"], unique=False)
    op.create_index(op.f("ix_inbox_status"), "inbox", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_inbox_status"), table_name="inbox")
    op.drop_index(op.f("ix_inbox_user_id"), table_name="inbox")
    op.drop_table("inbox")
