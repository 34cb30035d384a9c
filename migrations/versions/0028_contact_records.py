"""工作联系点: the contact-point leaders' work records, and from when each contact point is counted

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05 21:30:00
"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0028'
down_revision: str | None = '0027'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('contact_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('work', sa.String(length=12), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('problem', sa.Text(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_contact_record_person_id'), 'contact_record', ['person_id'], unique=False)
    op.create_index(op.f('ix_contact_record_village_id'), 'contact_record', ['village_id'], unique=False)
    with op.batch_alter_table('contact_point') as batch:
        batch.add_column(sa.Column('since', models.base.UTCDateTime(timezone=True), nullable=True))
    # The existing contact points are counted from the upgrade: none is chased for the time before.
    point = sa.table('contact_point', sa.column('since', sa.DateTime(timezone=True)))
    op.execute(point.update().values(since=datetime.now(UTC)))


def downgrade() -> None:
    with op.batch_alter_table('contact_point') as batch:
        batch.drop_column('since')
    op.drop_index(op.f('ix_contact_record_village_id'), table_name='contact_record')
    op.drop_index(op.f('ix_contact_record_person_id'), table_name='contact_record')
    op.drop_table('contact_record')
