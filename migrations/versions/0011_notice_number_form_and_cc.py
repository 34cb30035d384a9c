"""督办通知书: room for a number headed by the 机关代字 (GB/T 9704), and the people and units picked as 抄送

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-04 02:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('supervision_notice') as batch_op:
        batch_op.alter_column('number', existing_type=sa.String(length=20), type_=sa.String(length=40),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('cc_person_ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('cc_unit_ids', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('supervision_notice') as batch_op:
        batch_op.drop_column('cc_unit_ids')
        batch_op.drop_column('cc_person_ids')
        batch_op.alter_column('number', existing_type=sa.String(length=40), type_=sa.String(length=20),
                              existing_nullable=False)
