"""综治工作计划 (工作职责 1): work_plan (one per year, quarter or month) and its plan_task rows

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05 23:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = '0032'
down_revision: str | None = '0031'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('work_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('part', sa.Integer(), nullable=False),
    sa.Column('aim', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['issued_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('period', 'year', 'part', name='uq_work_plan_period')
    )
    with op.batch_alter_table('work_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_plan_status'), ['status'], unique=False)

    op.create_table('plan_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('progress', sa.Text(), nullable=True),
    sa.Column('progress_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('done_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('returned_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('soon_told_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('overdue_told_at', models.base.UTCDateTime(timezone=True), nullable=True),
    # A task has exactly one owner: a 责任单位 or a 责任人 (as models.plans.ONE_OWNER).
    sa.CheckConstraint('(unit_id IS NULL) <> (person_id IS NULL)', name='ck_plan_task_one_owner'),
    sa.ForeignKeyConstraint(['done_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['plan_id'], ['work_plan.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('plan_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_task_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_task_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_task_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_task_unit_id'), ['unit_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('plan_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_task_unit_id'))
        batch_op.drop_index(batch_op.f('ix_plan_task_status'))
        batch_op.drop_index(batch_op.f('ix_plan_task_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_task_person_id'))

    op.drop_table('plan_task')
    with op.batch_alter_table('work_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_plan_status'))

    op.drop_table('work_plan')
