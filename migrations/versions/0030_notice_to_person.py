"""督办通知书 to a person (承办人员), not only to a unit: unit_id nullable, assignee_id, exactly one set

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05 21:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0030'
down_revision: str | None = '0029'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE_ADDRESSEE = "(unit_id IS NULL) <> (assignee_id IS NULL)"  # as models.supervision.ONE_ADDRESSEE


def upgrade() -> None:
    # Batch mode: SQLite cannot alter a column or add a CHECK in place, so the table is copied;
    # every existing notice has its unit and no assignee, so it satisfies the CHECK unchanged.
    with op.batch_alter_table('supervision_notice') as batch_op:
        batch_op.alter_column('unit_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_supervision_notice_assignee_id_person', 'person', ['assignee_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_supervision_notice_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_check_constraint('ck_supervision_notice_one_addressee', ONE_ADDRESSEE)


def downgrade() -> None:
    # A notice to a person has no unit to fall back to: the downgrade refuses rather than lose it.
    if op.get_bind().execute(sa.text("SELECT count(*) FROM supervision_notice WHERE unit_id IS NULL")).scalar():
        raise RuntimeError("督办通知书 addressed to a person exist; they cannot be kept without assignee_id")
    with op.batch_alter_table('supervision_notice') as batch_op:
        batch_op.drop_constraint('ck_supervision_notice_one_addressee', type_='check')
        batch_op.drop_index(batch_op.f('ix_supervision_notice_assignee_id'))
        batch_op.drop_constraint('fk_supervision_notice_assignee_id_person', type_='foreignkey')
        batch_op.drop_column('assignee_id')
        batch_op.alter_column('unit_id', existing_type=sa.Integer(), nullable=False)
