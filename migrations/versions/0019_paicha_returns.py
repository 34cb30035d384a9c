"""排查 returns: periods, the expected returns of each, and the cases found by 排查

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 18:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('paicha_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('start_day', sa.Date(), nullable=False),
    sa.Column('due_day', sa.Date(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reminded_before_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_due_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('leaders_told_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['opened_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('paicha_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_key', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=True),
    sa.Column('filed_by_id', sa.Integer(), nullable=True),
    sa.Column('filed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('chased_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['filed_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], ),
    sa.ForeignKeyConstraint(['period_id'], ['paicha_period.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('period_id', 'unit_key')
    )
    op.create_index(op.f('ix_paicha_return_period_id'), 'paicha_return', ['period_id'], unique=False)
    op.create_index(op.f('ix_paicha_return_village_id'), 'paicha_return', ['village_id'], unique=False)
    op.create_table('paicha_item',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['return_id'], ['paicha_return.id'], ),
    sa.PrimaryKeyConstraint('case_id')
    )
    op.create_index(op.f('ix_paicha_item_return_id'), 'paicha_item', ['return_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_paicha_item_return_id'), table_name='paicha_item')
    op.drop_table('paicha_item')
    op.drop_index(op.f('ix_paicha_return_village_id'), table_name='paicha_return')
    op.drop_index(op.f('ix_paicha_return_period_id'), table_name='paicha_return')
    op.drop_table('paicha_return')
    op.drop_table('paicha_period')
