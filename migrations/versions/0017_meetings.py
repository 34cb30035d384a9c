"""meetings, invitees, minutes, decisions, report sections

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 15:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The weekly meeting's four 通报 sections by the starting case types (admins edit the map later).
# 流动人口 has no category of its own yet: it stays empty until an admin maps one.
DEFAULT_SECTIONS = [
    ('矛盾纠纷', '综治'), ('不稳定因素', '综治'), ('群体性事件苗头', '综治'), ('治安问题', '综治'),
    ('安全隐患', '综治'), ('重大事件', '综治'), ('来信来访', '信访'),
    ('矛盾纠纷/民族宗教纠纷', '民族宗教'), ('治安问题/邪教活动', '民族宗教'),
    ('重大事件/"三股势力"滋事破坏', '民族宗教'),
]


def upgrade() -> None:
    op.create_table('report_section',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('section', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    section = sa.table('report_section', sa.column('key', sa.String), sa.column('section', sa.String))
    op.bulk_insert(section, [{'key': k, 'section': v} for k, v in DEFAULT_SECTIONS])
    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('starts_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=False),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=True),
    sa.Column('agenda_sent_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cc', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('held_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('minutes_file_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.ForeignKeyConstraint(['chair_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['organiser_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_starts', ['status', 'starts_at'], unique=False)

    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner_person_id', sa.Integer(), nullable=True),
    sa.Column('owner_unit_id', sa.Integer(), nullable=True),
    sa.Column('owner_village_id', sa.Integer(), nullable=True),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('important', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('approval_day', sa.Date(), nullable=True),
    sa.Column('approval_outcome', sa.String(length=10), nullable=True),
    sa.Column('approval_note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('due_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('yellow_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.Column('progress', sa.Text(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('evidence_file_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('reported_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_reminder_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('yellow_sent_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('due_day_sent_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('overdue_sent_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['closed_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
    sa.ForeignKeyConstraint(['owner_person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['owner_village_id'], ['village.id'], ),
    sa.ForeignKeyConstraint(['received_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('meeting_id', 'seq')
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index('ix_decision_due', ['next_reminder_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_invitee',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('observer', sa.Boolean(), nullable=False),
    sa.Column('answer', sa.String(length=10), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('answered_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signed_in_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('day_reminded_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('hour_reminded_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('chased_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('meeting_id', 'person_id')
    )
    op.create_table('minute_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('voice_file_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('meeting_id', 'seq')
    )
    with op.batch_alter_table('minute_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minute_item_meeting_id'), ['meeting_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('minute_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minute_item_meeting_id'))

    op.drop_table('minute_item')
    op.drop_table('meeting_invitee')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_meeting_id'))
        batch_op.drop_index('ix_decision_due')

    op.drop_table('decision')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_starts')

    op.drop_table('meeting')
    op.drop_table('report_section')
