"""社会治安形势分析 through the real bot: 孙丽 (4) starts this month's analysis and writes its parts by
typing; 王主任 (1) is refused 报送 while a part is missing, then submits; 书记 (2) receives it. A sticker
where text is wanted, a forged period and a grid worker are answered and lose nothing."""

import io

import pytest
from docx import Document

from tests.bot.steps import local, sticker, tap, toast, type_in
from tests.bot.towns import card_town

DIRECTOR, SECRETARY, STAFF, GRID = 1, 2, 4, 6
NOW = local(2026, 12, 4, 10, 0)
ANALYSIS = "本月矛盾纠纷以邻里纠纷和土地纠纷为主，总体平稳，未发生群体性事件。"


@pytest.fixture
async def town(bot):
    bot.clock.set(NOW)
    town = card_town(bot)
    await town.greet()
    return town


async def test_the_center_writes_this_months_analysis_and_the_director_submits_it(bot, town):
    director, secretary, staff = town.users[DIRECTOR], town.users[SECRETARY], town.users[STAFF]
    listing = await type_in(staff, "/analysis", "社会治安形势分析", "还没有形势分析")
    assert "本月形势分析" in " ".join(listing.buttons)
    assert "按钮已失效" in await toast(staff, listing, data="sa:n:month:2026-12-02:2026-12-31")  # not a month
    draft = await tap(staff, listing, "➕ 本月形势分析", "2026年12月矛盾纠纷和社会治安形势分析", "（待填写）")
    assert "📤 报送党委" not in draft.buttons  # only the director submits
    await tap(staff, draft, "✏️ 形势分析", "请写当前矛盾纠纷和治安形势的特点")
    assert "请直接输入文字" in (await sticker(staff)).plain_text
    await type_in(staff, "太短", "请写 10–1200 字")
    saved = await type_in(staff, ANALYSIS, "已保存「形势分析」")
    assert ANALYSIS in saved.plain_text
    listing = await type_in(director, "/analysis", "待报送")
    shown = await tap(director, listing, "📝 2026年12月矛盾纠纷和社会治安形势分析", ANALYSIS)
    assert "还缺：三、采取的措施及成效、四、下步工作" in await toast(director, shown, "📤 报送党委")
    await tap(director, shown, "✏️ 采取的措施及成效", "采取了哪些措施")
    shown = await type_in(director, "落实每半月排查和领导带班制度，调处纠纷12件。", "已保存")
    await tap(director, shown, "✏️ 下步工作", "下一步的工作打算")
    shown = await type_in(director, "做好元旦春节前矛盾纠纷集中排查，重点关注农民工工资。", "已保存")
    done = await tap(director, shown, "📤 报送党委", "已报送党委", "报送：王主任，2026年12月4日")
    assert "✏️ 形势分析" not in done.buttons
    # the filed copy: a 报告 to the party committee in the 公文 layout, protected
    await director.press(done, "📄 Word 存档件")
    sent = await director.wait_for_message(predicate=lambda m: m.kind == "document")
    assert sent.protected
    lines = [p.text for p in Document(io.BytesIO(sent.file_bytes())).paragraphs if p.text.strip()]
    assert lines[:3] == ["综治中心", "2026年12月矛盾纠纷和社会治安形势分析", "镇党委："]  # the test bot's org
    assert "一、基本情况" in lines and ANALYSIS in lines and lines[-3:] == ["特此报告。", "综治中心",
                                                                         "2026年12月4日"]
    await bot.drain_outbox()
    got = await secretary.wait_for_message(predicate=lambda m: "社会治安形势分析】" in (m.plain_text or ""))
    assert ANALYSIS in got.plain_text and "新增矛盾纠纷和事件" in got.plain_text
    await type_in(town.users[GRID], "/analysis", "形势分析由中心主任、领导和工作人员撰写")
