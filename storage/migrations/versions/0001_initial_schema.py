"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('ptb_conversations',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('state', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('name', 'key', name=op.f('pk_ptb_conversations'))
    )
    op.create_table('ptb_data',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('owner_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'owner_id', name=op.f('pk_ptb_data'))
    )
    op.create_table('users',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=True),
    sa.Column('field', sa.String(length=200), nullable=True),
    sa.Column('roles', sa.String(length=200), nullable=True),
    sa.Column('stage', sa.String(length=16), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=True),
    sa.Column('goal_count', sa.Integer(), nullable=True),
    sa.Column('goal_period', sa.String(length=8), nullable=True),
    sa.Column('motivation', sa.String(length=300), nullable=True),
    sa.Column('pitch', sa.Text(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('onboarded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users'))
    )



def downgrade() -> None:
    
    op.drop_table('users')
    op.drop_table('ptb_data')
    op.drop_table('ptb_conversations')

