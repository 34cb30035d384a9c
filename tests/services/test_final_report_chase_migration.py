"""Migration 0026 on the previous release's database: the cases closed at the upgrade are marked as
chased for their 终报, so the first sweep after an upgrade does not send one message per old case;
open cases, and closed ones whose 终报 went out, are left as they were."""

import shutil

from sqlalchemy import text

from bot.db import make_engine
from bot.migrate import upgrade
from tests.services.test_case_categories_migration import FIXTURES, _rows, _to


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
