"""stats_snapshot: each month's figures, frozen at 00:00 on the 1st (township and per village), so a
reported number never changes silently; later corrections are shown as 更正 against them

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 15:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'stats_snapshot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('scope', sa.String(length=30), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('frozen_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('corrections', sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('month', 'scope', name='uq_stats_snapshot_month_scope'),
    )


def downgrade() -> None:
    op.drop_table('stats_snapshot')
