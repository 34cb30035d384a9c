"""case_chase: unaccepted cases and unanswered parties are chased

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 03:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'case_chase',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('armed_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('level', sa.Integer(), nullable=False),
        sa.Column('next_at', models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('done', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'kind'),
    )
    op.create_index('ix_case_chase_due', 'case_chase', ['done', 'next_at'])


def downgrade() -> None:
    op.drop_index('ix_case_chase_due', table_name='case_chase')
    op.drop_table('case_chase')
