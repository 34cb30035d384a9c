"""调处会: a meeting convened on one case (meeting.case_id, the departments in meeting.unit_ids), and the
会商 its minutes record on the case (case_consultation.meeting_id)

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-06 06:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0035'
down_revision: str | None = '0034'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('meeting') as batch:
        batch.add_column(sa.Column('case_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('unit_ids', sa.JSON(), nullable=True))
        batch.create_index('ix_meeting_case_id', ['case_id'])
        batch.create_foreign_key('fk_meeting_case_id_case', 'case', ['case_id'], ['id'])
    with op.batch_alter_table('case_consultation') as batch:
        batch.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_case_consultation_meeting_id_meeting', 'meeting', ['meeting_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('case_consultation') as batch:
        batch.drop_constraint('fk_case_consultation_meeting_id_meeting', type_='foreignkey')
        batch.drop_column('meeting_id')
    with op.batch_alter_table('meeting') as batch:
        batch.drop_constraint('fk_meeting_case_id_case', type_='foreignkey')
        batch.drop_index('ix_meeting_case_id')
        batch.drop_column('unit_ids')
        batch.drop_column('case_id')
