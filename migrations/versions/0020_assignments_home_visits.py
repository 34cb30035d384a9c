"""上级交办 (case_assignment) and 上门受理 requests (home_visit)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 17:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('case_assignment',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('assigner', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('due_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reported_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('report_method', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('chased_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['reported_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('case_id')
    )
    op.create_index(op.f('ix_case_assignment_due_at'), 'case_assignment', ['due_at'], unique=False)
    op.create_table('home_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('party_name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('refusal', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('visit_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('visitor_id', sa.Integer(), nullable=True),
    sa.Column('reminded_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['requested_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], ),
    sa.ForeignKeyConstraint(['visitor_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_home_visit_status'), 'home_visit', ['status'], unique=False)
    op.create_index(op.f('ix_home_visit_visit_at'), 'home_visit', ['visit_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_home_visit_visit_at'), table_name='home_visit')
    op.drop_index(op.f('ix_home_visit_status'), table_name='home_visit')
    op.drop_table('home_visit')
    op.drop_index(op.f('ix_case_assignment_due_at'), table_name='case_assignment')
    op.drop_table('case_assignment')
