"""case.people_count_approx: 涉及人数 given as an estimate (「约40人」)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 02:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('case') as batch_op:
        batch_op.add_column(sa.Column('people_count_approx', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('case') as batch_op:
        batch_op.drop_column('people_count_approx')
