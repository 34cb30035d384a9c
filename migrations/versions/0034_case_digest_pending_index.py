"""A partial index on the cases waiting for the next digest (alerts.sweep_digest runs every sweep in
working hours and scanned every case)

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06 04:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0034'
down_revision: str | None = '0033'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_case_digest_pending', 'case', ['id'], unique=False,
                    sqlite_where=sa.text('digest_pending = 1'), postgresql_where=sa.text('digest_pending'))


def downgrade() -> None:
    op.drop_index('ix_case_digest_pending', table_name='case')
