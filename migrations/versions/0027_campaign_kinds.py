"""平安创建 of schools, roads and markets by name, and of a village's 平安家庭 by households

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 21:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0027'
down_revision: str | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('safety_campaign') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=10), nullable=False, server_default='village'))
        batch.add_column(sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch.add_column(sa.Column('households', sa.Integer(), nullable=True))
    op.execute("UPDATE safety_campaign SET kind = 'unit' WHERE unit_id IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('safety_campaign') as batch:
        batch.drop_column('households')
        batch.drop_column('name')
        batch.drop_column('kind')
