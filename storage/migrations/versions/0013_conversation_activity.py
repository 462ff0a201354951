"""when each saved conversation step was last written: only recent ones are loaded, idle ones are swept

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows from before this have no time yet; the bot stamps them at its next start.
    op.add_column("ptb_conversations", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_ptb_conversations_updated_at"), "ptb_conversations", ["updated_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_ptb_conversations_updated_at"), table_name="ptb_conversations")
    op.drop_column("ptb_conversations", "updated_at")
