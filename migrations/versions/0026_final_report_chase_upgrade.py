"""The 终报 chase starts with this release: the cases already 办结, 答复 or 归档 at the upgrade are
marked as chased, so a running center is not sent one message per old case on the first sweep

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 21:00:00
"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = '0026'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The statuses of bot.services.info_reports.FINAL_DUE_IN, as stored (a migration does not import the code).
CLOSED = ('resolved', 'replied', 'archived')


def upgrade() -> None:
    report = sa.table('info_report', sa.column('id'), sa.column('case_id'), sa.column('kind'),
                      sa.column('submitted_at'), sa.column('reminded_at', sa.DateTime(timezone=True)))
    case = sa.table('case', sa.column('id'), sa.column('status'))
    final = report.alias('final')
    final_sent = sa.select(final.c.id).where(final.c.case_id == report.c.case_id, final.c.kind == 'final',
                                             final.c.submitted_at.is_not(None))
    closed = sa.select(case.c.id).where(case.c.status.in_(CLOSED))
    # sweep_final reads reminded_at as "already chased"; it is otherwise unused.
    op.execute(report.update()
               .where(report.c.reminded_at.is_(None), report.c.case_id.in_(closed), ~sa.exists(final_sent))
               .values(reminded_at=datetime.now(UTC)))


def downgrade() -> None:
    pass  # the marks are harmless to an older release, which does not read them
