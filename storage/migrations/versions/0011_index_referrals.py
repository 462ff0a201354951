"""an index on contacts.referred_by_id: deleting a contact (or a user) looks up who they referred

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_contacts_referred_by_id"), "contacts", ["referred_by_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_contacts_referred_by_id"), table_name="contacts")
