"""The outbox's keys found by prefix through an index on PostgreSQL (a 传达's copies, an alert's)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 12:00:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite compares keys bytewise, so its unique index on key already serves a prefix as a range.
    if op.get_bind().dialect.name == "postgresql":
        op.create_index('ix_outbox_key_prefix', 'outbox', ['key'], postgresql_ops={'key': 'varchar_pattern_ops'})


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index('ix_outbox_key_prefix', table_name='outbox')
