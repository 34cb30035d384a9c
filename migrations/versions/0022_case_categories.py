"""case categories editable in chat: a category-wide switch, and the categories the regulations name

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 17:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 综治中心工作职责 4: 抓好人防、物防、技防建设……协调组织好流动人口服务和管理、……预防青少年犯罪、……
# 刑释解教人员安置帮教、社区矫正、……国家安全人民防线建设. Each a category without subtypes (admins add
# them in chat), usual severity 一般, no forced alert; the weekly meeting's 通报 section as in its
# 四、通报…综治、信访、流动人口、民族宗教.
NEW_CATEGORIES = [
    ('流动人口服务管理', '流动人口'),
    ('预防青少年违法犯罪', '综治'),
    ('刑释解教人员安置帮教', '综治'),
    ('社区矫正', '综治'),
    ('国家安全人民防线', '综治'),
    ('人防物防技防', '综治'),
]


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite's batch mode would copy and drop case_type, which cases refer to.
    op.add_column('case_type', sa.Column('category_active', sa.Boolean(), nullable=False, server_default=sa.true()))
    bind = op.get_bind()
    case_type = sa.table(
        'case_type', sa.column('category', sa.String), sa.column('subtype', sa.String),
        sa.column('default_severity', sa.String), sa.column('forces_urgent', sa.Boolean),
        sa.column('needs_info_report', sa.Boolean), sa.column('confidential', sa.Boolean),
        sa.column('sort', sa.Integer), sa.column('active', sa.Boolean), sa.column('category_active', sa.Boolean),
    )
    section = sa.table('report_section', sa.column('key', sa.String), sa.column('section', sa.String))
    # Only what is missing: a center that already added one of these (by hand, or an admin in chat)
    # keeps its own row, its subtypes and its 通报 section.
    have = set(bind.execute(sa.select(case_type.c.category)).scalars())
    mapped = set(bind.execute(sa.select(section.c.key)).scalars())
    last = bind.execute(sa.select(sa.func.max(case_type.c.sort))).scalar() or 0
    rows = []
    for name, _section in NEW_CATEGORIES:
        if name not in have:
            last += 1
            rows.append(dict(category=name, subtype=name, default_severity='general', forces_urgent=False,
                             needs_info_report=False, confidential=False, sort=last, active=True,
                             category_active=True))
    if rows:
        op.bulk_insert(case_type, rows)
    sections = [{'key': name, 'section': s} for name, s in NEW_CATEGORIES if name not in mapped and name not in have]
    if sections:
        op.bulk_insert(section, sections)


def downgrade() -> None:
    # The added categories stay if cases were filed under them; unused ones go with their mapping.
    bind = op.get_bind()
    names = [n for n, _ in NEW_CATEGORIES]
    used = set(bind.execute(sa.text(
        'SELECT DISTINCT t.category FROM case_type t JOIN "case" c ON c.type_id = t.id')).scalars())
    unused = [n for n in names if n not in used]
    if unused:
        bind.execute(sa.text('DELETE FROM case_type WHERE category IN :names AND subtype = category')
                     .bindparams(sa.bindparam('names', expanding=True)), {'names': unused})
        bind.execute(sa.text('DELETE FROM report_section WHERE "key" IN :names')
                     .bindparams(sa.bindparam('names', expanding=True)), {'names': unused})
    op.drop_column('case_type', 'category_active')
