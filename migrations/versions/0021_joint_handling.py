"""joint handling (协办 units, 会商) and contact-point leaders at the scene (已到场)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 17:37:38.426324
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('case_co_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.Column('added_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'unit_id', name='uq_case_co_unit')
    )
    with op.batch_alter_table('case_co_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_co_unit_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_co_unit_unit_id'), ['unit_id'], unique=False)

    op.create_table('case_consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('held_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('person_ids', sa.JSON(), nullable=True),
    sa.Column('unit_ids', sa.JSON(), nullable=True),
    sa.Column('conclusion', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_consultation_case_id'), ['case_id'], unique=False)

    op.create_table('scene_arrival',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('arrived_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('no_location', sa.Boolean(), nullable=False),
    sa.Column('completed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'person_id', name='uq_scene_arrival')
    )
    with op.batch_alter_table('scene_arrival', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scene_arrival_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scene_arrival_person_id'), ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('scene_arrival', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scene_arrival_person_id'))
        batch_op.drop_index(batch_op.f('ix_scene_arrival_case_id'))

    op.drop_table('scene_arrival')
    with op.batch_alter_table('case_consultation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_consultation_case_id'))

    op.drop_table('case_consultation')
    with op.batch_alter_table('case_co_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_co_unit_unit_id'))
        batch_op.drop_index(batch_op.f('ix_case_co_unit_case_id'))

    op.drop_table('case_co_unit')
