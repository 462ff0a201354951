"""settings: quiet hours to the minute, and a pause on all nudges

Quiet hours move from whole hours (quiet_start_hour, quiet_end_hour) to minutes after local
midnight (quiet_start_minute, quiet_end_minute); existing values are converted (22 -> 1320).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quiet_start_minute", sa.Integer(), server_default="1260", nullable=False))
        batch_op.add_column(sa.Column("quiet_end_minute", sa.Integer(), server_default="480", nullable=False))
        batch_op.add_column(sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("paused_until", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE users SET quiet_start_minute = quiet_start_hour * 60, quiet_end_minute = quiet_end_hour * 60")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("quiet_end_hour")
        batch_op.drop_column("quiet_start_hour")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quiet_start_hour", sa.Integer(), server_default="21", nullable=False))
        batch_op.add_column(sa.Column("quiet_end_hour", sa.Integer(), server_default="8", nullable=False))
    # Whole hours only: a quiet time of 22:30 becomes 22:00 (the minutes are lost).
    op.execute("UPDATE users SET quiet_start_hour = quiet_start_minute / 60, quiet_end_hour = quiet_end_minute / 60")
    with op.batch_alter_table("users", schema=None) as batch_op:
        for column in ("paused_until", "paused_at", "quiet_end_minute", "quiet_start_minute"):
            batch_op.drop_column(column)
