"""outbox rows: protect_content, edits of sent messages, the Telegram message id

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 02:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox') as batch_op:
        batch_op.add_column(sa.Column('protect', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('edit_key', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('tg_message_id', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch_op:
        batch_op.drop_column('tg_message_id')
        batch_op.drop_column('edit_key')
        batch_op.drop_column('protect')
