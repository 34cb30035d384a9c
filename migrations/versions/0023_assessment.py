"""目标管理责任制 (assessment): catalogue, marks and 一票否决, 责任书, monthly snapshots, 整改, 领导责任查究

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 17:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('assessment_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('points', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('applies_to', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('measure', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
    sa.Column('rule', sa.String(length=10), nullable=True),
    sa.Column('threshold', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('step', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('per_unit', sa.Boolean(), nullable=False),
    sa.Column('cap', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('standard', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('year', 'seq')
    )
    with op.batch_alter_table('assessment_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_item_year'), ['year'], unique=False)

    op.create_table('score_snapshot',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('total', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('made_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('year', 'month', 'subject')
    )
    op.create_table('assessment_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('points', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('evidence_file_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('evidence_kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('evidence_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['assessment_item.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('assessment_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_mark_item_id'), ['item_id'], unique=False)

    op.create_table('rectification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('overdue_sent_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rectification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_year'), ['year'], unique=False)

    op.create_table('target_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('commend_score', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('sent_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('signed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('chased_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('year', 'person_id')
    )
    with op.batch_alter_table('target_agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_agreement_year'), ['year'], unique=False)

    op.create_table('accountability',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('mark_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('result', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('opened_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['mark_id'], ['assessment_mark.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('mark_id')
    )
    with op.batch_alter_table('accountability', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountability_year'), ['year'], unique=False)
    op.create_table('staff_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('staff_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_note_person_id'), ['person_id'], unique=False)
    op.create_table('safety_campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('result', sa.String(length=10), nullable=False),
    sa.Column('applied_by_id', sa.Integer(), nullable=False),
    sa.Column('applied_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['applied_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('year', 'unit_id', 'village_id')
    )
    with op.batch_alter_table('safety_campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_campaign_year'), ['year'], unique=False)

    op.create_table('safety_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('leader_name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('leader_phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('members', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('safety_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_team_village_id'), ['village_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('safety_team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_team_village_id'))

    op.drop_table('safety_team')
    with op.batch_alter_table('safety_campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_campaign_year'))

    op.drop_table('safety_campaign')
    with op.batch_alter_table('staff_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_note_person_id'))
    op.drop_table('staff_note')
    with op.batch_alter_table('accountability', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountability_year'))

    op.drop_table('accountability')
    with op.batch_alter_table('target_agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_agreement_year'))

    op.drop_table('target_agreement')
    with op.batch_alter_table('rectification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_year'))
        batch_op.drop_index(batch_op.f('ix_rectification_due_at'))

    op.drop_table('rectification')
    with op.batch_alter_table('assessment_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_mark_item_id'))

    op.drop_table('assessment_mark')
    op.drop_table('score_snapshot')
    with op.batch_alter_table('assessment_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_item_year'))

    op.drop_table('assessment_item')
