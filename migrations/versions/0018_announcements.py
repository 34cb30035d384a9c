"""announcements (传达) and their recipients' read receipts

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 16:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('announcement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('file_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('file_kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('audience', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('sent_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sender_reminded_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['sender_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('announcement_recipient',
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('read_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attendance', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcement.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('announcement_id', 'person_id')
    )


def downgrade() -> None:
    op.drop_table('announcement_recipient')
    op.drop_table('announcement')
