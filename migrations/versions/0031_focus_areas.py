"""社会治安重点整治区域: focus_area (one open per village) and its 督促检查 (focus_check)

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05 21:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = '0031'
down_revision: str | None = '0030'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('focus_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('problem', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('listed_by_id', sa.Integer(), nullable=False),
    sa.Column('listed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('extended_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('extension_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('plan', sa.Text(), nullable=True),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('plan_by_id', sa.Integer(), nullable=True),
    sa.Column('plan_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_check_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('plan_chased_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('gap_chased_from', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('overdue_told_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['listed_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['plan_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['responsible_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_focus_area_status'), 'focus_area', ['status'], unique=False)
    op.create_index(op.f('ix_focus_area_village_id'), 'focus_area', ['village_id'], unique=False)
    # One open listing per village, in the database too (two leaders pressing at once).
    op.create_index('uq_focus_area_open_village', 'focus_area', ['village_id'], unique=True,
                    sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('focus_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['focus_area.id'], ),
    sa.ForeignKeyConstraint(['by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_focus_check_area_id'), 'focus_check', ['area_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_focus_check_area_id'), table_name='focus_check')
    op.drop_table('focus_check')
    op.drop_index('uq_focus_area_open_village', table_name='focus_area')
    op.drop_index(op.f('ix_focus_area_village_id'), table_name='focus_area')
    op.drop_index(op.f('ix_focus_area_status'), table_name='focus_area')
    op.drop_table('focus_area')
