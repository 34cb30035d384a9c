"""责任书 signing reminders: when the head was reminded, and when the center was told they still had not signed

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 18:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('target_agreement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('center_told_at', models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('target_agreement', schema=None) as batch_op:
        batch_op.drop_column('center_told_at')
        batch_op.drop_column('reminded_at')
