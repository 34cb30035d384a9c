"""The demo township's 社会治安重点整治区域: 西河村 with its 方案 and one 督促检查, 桃源村 without a 方案
and chased for it; 刘海峰 (西河村's contact-point leader) reaches his in the running sandbox and
records a check, and 赵敏 sees 桃源村's missing 方案."""

from datetime import date

import pytest
from sqlmodel import select

from bot.sandbox import demo
from bot.services import focus_areas
from bot.services.intake import IntakePolicy
from models import FocusArea, FocusCheck, Outbox
from tests.sandbox.conftest import SH, START


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_demo_focus_areas(db, town):
    with db.session() as s:
        xihe, taoyuan = s.get(FocusArea, town.focus["西河村"]), s.get(FocusArea, town.focus["桃源村"])
        assert xihe.plan and xihe.responsible_id == town.people["李娜"]
        assert len(list(s.exec(select(FocusCheck).where(FocusCheck.area_id == xihe.id)))) == 1
        assert taoyuan.plan is None and taoyuan.plan_chased_at is not None
        chased = {r.person_id for r in s.exec(select(Outbox).where(Outbox.key.contains(f"focus{taoyuan.id}:chase-plan")))}
        assert chased == {town.people["赵敏"], town.people["王志强"]}
        rows = focus_areas.ledger_rows(s, start=date(2026, 11, 1), end=date(2026, 11, 30), tz=SH)
        assert [(r.village, r.leaders, r.checks.split("，")[0]) for r in rows] == [
            ("西河村", "刘海峰", "1 次"), ("桃源村", "赵敏", "未检查")]


async def test_the_contact_point_leader_records_a_check_in_the_sandbox(sandbox):
    leader = sandbox.emu.user(demo.persona("刘海峰").telegram_id)
    await leader.send_text("/focus")
    listing = await leader.wait_for_message(timeout=10, predicate=lambda m: "重点整治区域（整治中）" in (m.plain_text or ""))
    row = next(b for b in listing.buttons if "西河村" in b)
    assert any("桃源村" in b for b in listing.buttons) and "➕ 列入重点整治区域" in listing.buttons
    await leader.press(listing, row)
    card = await leader.wait_for_message(timeout=10, predicate=lambda m: "联系点领导：刘海峰" in (m.plain_text or ""))
    assert "责任人：李娜" in card.plain_text and "已清理赌博窝点两处" in card.plain_text
    assert card.buttons == ["📝 整治方案", "🔍 记录检查"]
    await leader.press(card, "🔍 记录检查")
    await leader.wait_for_message(timeout=10, predicate=lambda m: "督促检查的情况" in (m.plain_text or ""))
    await leader.send_text("监控已全部安装，近一周无赌博警情")
    saved = await leader.wait_for_message(timeout=10, predicate=lambda m: "第 2 次" in (m.plain_text or ""))
    assert "监控已全部安装" in saved.plain_text

    other = sandbox.emu.user(demo.persona("赵敏").telegram_id)
    await other.send_text("/focus")
    mine = await other.wait_for_message(timeout=10, predicate=lambda m: "重点整治区域（整治中）" in (m.plain_text or ""))
    await other.press(mine, next(b for b in mine.buttons if "桃源村" in b))
    taoyuan = await other.wait_for_message(timeout=10, predicate=lambda m: "联系点领导：赵敏" in (m.plain_text or ""))
    assert "整治方案：尚未制定" in taoyuan.plain_text and "📝 整治方案" in taoyuan.buttons
