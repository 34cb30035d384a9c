"""Data migrations on the previous release's database (cases, parties, a running report).

0022: the six categories the regulations name, once, and nothing else changes.
0026: the cases closed at the upgrade are marked as chased for their 终报."""

import shutil
from pathlib import Path

from alembic import command
from sqlalchemy import text

from bot.db import make_engine
from bot.migrate import alembic_config, upgrade

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NEW = {"流动人口服务管理": "流动人口", "预防青少年违法犯罪": "综治", "刑释解教人员安置帮教": "综治", "社区矫正": "综治",
       "国家安全人民防线": "综治", "人防物防技防": "综治"}
TYPE_COLUMNS = "id, category, subtype, default_severity, forces_urgent, needs_info_report, confidential, " \
               "deadline_days, sort, active"


def _to(engine, revision: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_the_release_database_gets_the_six_categories_once_and_keeps_its_own(tmp_path):
    path = tmp_path / "release.db"
    shutil.copy(FIXTURES / "release_db.sqlite", path)
    engine = make_engine(f"sqlite:///{path}")
    _to(engine, "0018")
    # This center already added 社区矫正 itself, with a subtype and its own 通报 section.
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO case_type (category, subtype, default_severity, forces_urgent, "
                          "needs_info_report, confidential, sort, active) VALUES "
                          "('社区矫正', '脱管漏管', 'complex', 1, 0, 0, 99, 1)"))
        conn.execute(text("INSERT INTO report_section (key, section) VALUES ('社区矫正', '信访')"))
    types = _rows(engine, f"SELECT {TYPE_COLUMNS} FROM case_type ORDER BY id")
    cases = _rows(engine, 'SELECT * FROM "case" ORDER BY id')
    parties = _rows(engine, "SELECT * FROM case_party ORDER BY id")
    sections = _rows(engine, 'SELECT "key", section FROM report_section ORDER BY "key"')
    assert cases and parties  # a database with data

    upgrade(engine)
    after = _rows(engine, f"SELECT {TYPE_COLUMNS} FROM case_type ORDER BY id")
    assert after[:len(types)] == types  # every existing row as it was
    added = after[len(types):]
    assert sorted(r[1] for r in added) == sorted(set(NEW) - {"社区矫正"})
    assert all(r[1] == r[2] and r[3] == "general" and not any(r[4:8]) and r[9] for r in added)
    assert [r[8] for r in added] == list(range(100, 105))  # after the last sort, in the regulations' order
    assert _rows(engine, "SELECT COUNT(*) FROM case_type WHERE category_active = 0") == [(0,)]
    assert _rows(engine, "SELECT subtype FROM case_type WHERE category = '社区矫正'") == [("脱管漏管",)]
    assert _rows(engine, 'SELECT * FROM "case" ORDER BY id') == cases
    assert _rows(engine, "SELECT * FROM case_party ORDER BY id") == parties
    mapped = dict(_rows(engine, 'SELECT "key", section FROM report_section'))
    assert {k: v for k, v in mapped.items() if k in NEW} == {**NEW, "社区矫正": "信访"}
    assert {k: v for k, v in mapped.items() if k not in NEW} == {k: v for k, v in sections if k not in NEW}
    engine.dispose()


def test_a_fresh_database_has_them_mapped(db_url):
    engine = make_engine(db_url)
    found = dict(_rows(engine, "SELECT t.category, s.section FROM case_type t "
                               "JOIN report_section s ON s.\"key\" = t.category WHERE t.category = t.subtype"))
    assert {k: found.get(k) for k in NEW} == NEW
    assert _rows(engine, "SELECT COUNT(*), COUNT(DISTINCT category) FROM case_type") == [(45, 15)]  # 39 starting rows in 9 categories, and the 6
    engine.dispose()


def test_closed_cases_missing_their_final_report_are_marked_at_the_upgrade(tmp_path):
    path = tmp_path / "release.db"
    shutil.copy(FIXTURES / "release_db.sqlite", path)
    engine = make_engine(f"sqlite:///{path}")
    _to(engine, "0025")
    replied = [r[0] for r in _rows(engine, "SELECT id FROM \"case\" WHERE status = 'replied' ORDER BY id")]
    assigned = _rows(engine, "SELECT id FROM \"case\" WHERE status = 'assigned' ORDER BY id")[0][0]
    sent = "'2026-11-02 01:00:00'"
    with engine.begin() as conn:
        for case_id, kind, submitted in [(replied[0], "first", sent),  # closed, 终报 missing: marked
                                         (replied[0], "follow_up", "NULL"),  # its draft too
                                         (replied[1], "first", sent), (replied[1], "final", sent),  # finished
                                         (assigned, "first", sent)]:  # still open: not chased yet
            conn.execute(text("INSERT INTO info_report (case_id, kind, seq, fields, submitted_at, created_at) "
                              f"VALUES ({case_id}, '{kind}', 1, '{{}}', {submitted}, {sent})"))
    upgrade(engine)
    marked = _rows(engine, "SELECT case_id, kind, reminded_at IS NOT NULL FROM info_report ORDER BY id")
    assert marked == [(replied[0], "first", 1), (replied[0], "follow_up", 1), (replied[1], "first", 0),
                      (replied[1], "final", 0), (assigned, "first", 0)]
    engine.dispose()
