"""counter row 'directory': bumped by every change to people, roles, contact points and places, so
the access gate may keep who someone is in memory and still see a change on the very next message

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 12:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

counter = sa.table('counter', sa.column('name', sa.String), sa.column('year', sa.Integer),
                   sa.column('value', sa.Integer))


def upgrade() -> None:
    op.bulk_insert(counter, [{'name': 'directory', 'year': 0, 'value': 0}])


def downgrade() -> None:
    op.execute(counter.delete().where(counter.c.name == 'directory'))
