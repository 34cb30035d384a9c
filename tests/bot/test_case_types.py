"""/admin → 事项类型 through the real bot: an admin edits the case catalogue by buttons and typing, and
the very next report sees it; refusals, forged and stale buttons, bad names and numbers.

The township is tests/factories.py's (王主任 is director and administrator); the catalogue is the
migrated one (the 38 starting subtypes in 9 categories, and the 6 categories of migration 0022).
"""

from sqlmodel import col, select

from bot import texts
from bot.callbacks import CatActive, CatFlag, CatScope, CatSwitch, CatType
from bot.services import case_card
from models import AuditEvent, Case, CaseType, ReportSection
from models.cases import TypeFlag
from tests.bot.harness import press, say
from tests.bot.steps import has, tap, toast, type_in

DIRECTOR, STAFF, GRID = 1, 4, 6


def row(bot, subtype: str) -> CaseType:
    with bot.db.session() as s:
        return s.exec(select(CaseType).where(CaseType.subtype == subtype)).one()


def actions(bot) -> list[str]:
    with bot.db.session() as s:
        return [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.subject_type == "case_type")
                                         .order_by(col(AuditEvent.id)))]


async def open_type(user, name: str, page_turns: int = 0):
    """/admin → 事项类型 → (pages) → the type; every wait names what it expects, so a notification
    arriving meanwhile (an urgent alert to the director) is passed over."""
    msg = await type_in(user, "/admin", "系统管理")
    msg = await tap(user, msg, "🗂 事项类型", "事项类型（共")
    for page in range(page_turns):
        msg = await tap(user, msg, "下一页 »", f"第 {page + 2}/")
    return await tap(user, msg, name, f"🗂 类型：{name.removesuffix(' ⛔')}")


async def report_until_summary(user, category: str, subtype: str | None, severity: str | None = "一般"):
    """/report as the grid worker, through to the summary (no parties, one person)."""
    msg = await say(user, "/report")
    msg = await press(user, msg, category)
    if subtype:
        msg = await press(user, msg, subtype)
    if severity:
        msg = await press(user, msg, severity)
    else:  # a forced-urgent type: the severity step only confirms
        msg = await press(user, msg, msg.buttons[0])
    await user.press(msg, "使用 东山村 第一网格")
    await user.wait_for_message(predicate=has("事发地点"))
    msg = await type_in(user, "跳过", "什么时候发生")
    msg = await tap(user, msg, "刚刚", "当事人")
    msg = await tap(user, msg, "跳过", "人数")
    msg = await tap(user, msg, "1", "第 8/9 步")
    msg = await type_in(user, "村口两户为排水沟争吵", "第 9/9 步")
    return await tap(user, msg, "完成", "请核对")


async def test_list_pages_and_the_new_categories(bot, town):
    await town.greet()
    director = town.user(DIRECTOR)
    msg = await say(director, "/admin")
    msg = await press(director, msg, "🗂 事项类型")
    assert "共 15 类，第 1/2 页" in msg.plain_text
    assert msg.buttons[:2] == ["矛盾纠纷", "不稳定因素"] and "下一页 »" in msg.buttons
    msg = await press(director, msg, "下一页 »")
    assert "第 2/2 页" in msg.plain_text
    for name in ("流动人口服务管理", "预防青少年违法犯罪", "刑释解教人员安置帮教", "社区矫正", "国家安全人民防线",
                 "人防物防技防"):
        assert name in msg.buttons, name
    msg = await press(director, msg, "流动人口服务管理")
    assert "通报分类：流动人口" in msg.plain_text and "子类：无" in msg.plain_text
    msg = await press(director, msg, "« 返回类型列表")
    msg = await press(director, msg, "社区矫正")
    assert "通报分类：综治" in msg.plain_text and "已登记事项：0 件" in msg.plain_text


async def test_renamed_type_and_subtype_show_on_the_next_report_and_on_old_cases(bot, town):
    await town.greet()
    director, grid = town.user(DIRECTOR), town.user(GRID)
    old = town.submit(type_id=town.types["盗窃"])  # filed before the rename
    await town.delivered()
    card = await open_type(director, "治安问题")
    assert "子类：6 个" in card.plain_text and "通报分类：综治" in card.plain_text
    await director.press(card, "✏️ 改名")
    await director.wait_for_message(predicate=has("请输入「治安问题」的新名称"))
    # bad names: told what is wrong, asked again, nothing changed
    for typed, answer in (("治" * 31, "最多 30 个字，现在 31 个字"), ("矛盾纠纷", "已经有叫「矛盾纠纷」的类型了"),
                          ("治安/问题", "不能包含"), ("治安问题", "已经叫「治安问题」了"), ("安", "至少 2 个字")):
        msg = await type_in(director, typed, "请重新输入")
        assert answer in msg.plain_text, (typed, msg.plain_text)
    await director.send_sticker()
    assert "需要输入文字" in (await director.wait_for_message()).plain_text
    assert row(bot, "盗窃").category == "治安问题"
    await type_in(director, "  社会治安 问题 ", "✅ 已保存：社会治安 问题")
    card = await director.wait_for_message(predicate=has("🗂 类型：社会治安 问题"))
    # the very next /report of the grid worker offers the new name, and its subtypes
    msg = await say(grid, "/report")
    assert "社会治安 问题" in msg.buttons and "治安问题" not in msg.buttons
    msg = await press(grid, msg, "社会治安 问题")
    assert "盗窃" in msg.buttons
    await say(grid, "/cancel")
    # the old case shows the new name; its 通报 map moved with it (the 邪教活动 subtype's row too)
    with bot.db.session() as s:
        view = case_card.case_card(s, viewer_id=town.staff, case_id=old.id, now=town.clock.now())
        keys = {r.key: r.section for r in s.exec(select(ReportSection))}
    assert view.type_name == "社会治安 问题·盗窃"
    assert keys["社会治安 问题"] == "综治" and keys["社会治安 问题/邪教活动"] == "民族宗教"
    assert "治安问题" not in keys and "治安问题/邪教活动" not in keys
    # a subtype renamed: 子类 → 盗窃 → 改名
    msg = await press(director, card, "📂 子类（6）")
    msg = await press(director, msg, "盗窃")
    assert "🗂 社会治安 问题 · 盗窃" in msg.plain_text and "随类型：综治" in msg.plain_text
    await director.press(msg, "✏️ 改名")
    await director.wait_for_message(predicate=has("请输入子类「盗窃」的新名称"))
    assert "已有叫「赌博」的子类" in (await type_in(director, "赌博", "请重新输入")).plain_text
    await type_in(director, "盗窃（入室）", "✅ 已保存")
    await director.wait_for_message(predicate=has("🗂 社会治安 问题 · 盗窃（入室）"))
    msg = await say(grid, "/report")
    msg = await press(grid, msg, "社会治安 问题")
    assert "盗窃（入室）" in msg.buttons and "盗窃" not in msg.buttons
    assert actions(bot) == ["case_type.rename", "case_type.subtype.rename"]


async def test_disabled_types_leave_the_pickers_but_old_cases_keep_them(bot, town):
    await town.greet()
    director, grid, staff = town.user(DIRECTOR), town.user(GRID), town.user(STAFF)
    old = town.submit(type_id=town.types["邻里纠纷"])
    await town.delivered()
    card = await open_type(director, "矛盾纠纷")
    msg = await press(director, card, "📂 子类（15）")
    msg = await press(director, msg, "邻里纠纷")
    msg = await press(director, msg, "⛔ 停用")
    assert "已停用" in msg.plain_text and "✅ 启用" in msg.buttons
    msg = await say(grid, "/report")
    msg = await press(grid, msg, "矛盾纠纷")
    assert "邻里纠纷" not in msg.buttons and "婚姻家庭纠纷" in msg.buttons
    await say(grid, "/cancel")
    # the whole type 安全隐患 disabled: gone from the report and the visit pickers
    card = await open_type(director, "安全隐患")
    card = await press(director, card, "⛔ 停用")
    assert "⛔ 已停用" in card.plain_text
    msg = await say(grid, "/report")
    assert "安全隐患" not in msg.buttons and "矛盾纠纷" in msg.buttons
    await say(grid, "/cancel")
    msg = await press(staff, await say(staff, "/visit"), "来访")
    await say(staff, "赵大")
    await press(staff, staff.last_message(), "跳过")
    await press(staff, staff.last_message(), "跳过")
    msg = await say(staff, "邻居的围墙挡住了排水沟")
    assert "请选择事项类别" in msg.plain_text and "矛盾纠纷" in msg.buttons and "安全隐患" not in msg.buttons
    await say(staff, "/cancel")
    # the old case still shows its type, on the card
    msg = await say(staff, f"/case {old.number}")
    assert "类型：矛盾纠纷·邻里纠纷" in msg.plain_text
    # the list marks it; 启用 brings the type back, and 邻里纠纷 stays off (disabled on its own)
    msg = await say(director, "/admin")
    msg = await press(director, msg, "🗂 事项类型")
    assert "安全隐患 ⛔" in msg.buttons
    card = await press(director, msg, "安全隐患 ⛔")
    await press(director, card, "✅ 启用")
    msg = await say(grid, "/report")
    assert "安全隐患" in msg.buttons
    msg = await press(grid, msg, "矛盾纠纷")
    assert "邻里纠纷" not in msg.buttons
    assert actions(bot) == ["case_type.subtype.disable", "case_type.disable", "case_type.enable"]


async def test_forced_urgent_on_a_type_makes_the_next_report_urgent(bot, town):
    await town.greet()
    director, grid = town.user(DIRECTOR), town.user(GRID)
    card = await open_type(director, "社区矫正", page_turns=1)
    assert "🚨 强制紧急：关" in card.plain_text
    card = await press(director, card, "🚨 设为强制紧急")
    assert "🚨 强制紧急：开" in card.plain_text and "🚨 取消强制紧急" in card.buttons
    msg = await report_until_summary(grid, "社区矫正", None, severity=None)
    assert "🚨" in msg.plain_text
    await grid.press(msg, texts.REPORT_SUBMIT)
    done = await grid.wait_for_message(predicate=has("已上报"))
    assert texts.REPORT_DONE_URGENT.strip() in done.plain_text
    await town.delivered()
    with bot.db.session() as s:
        case = s.exec(select(Case).order_by(col(Case.id).desc())).first()
        assert case.urgent and s.get(CaseType, case.type_id).category == "社区矫正"
    # a type whose subtypes differ shows 部分 and one press sets them all
    card = await open_type(director, "治安问题")
    assert "🚨 强制紧急：部分子类开" in card.plain_text
    card = await tap(director, card, "🚨 设为强制紧急", "🗂 类型：治安问题")
    assert "🚨 强制紧急：开" in card.plain_text
    assert row(bot, "盗窃").forces_urgent and row(bot, "涉黑涉恶线索").forces_urgent
    card = await tap(director, card, "🚨 取消强制紧急", "🗂 类型：治安问题")
    assert not row(bot, "涉黑涉恶线索").forces_urgent


async def test_settings_deadline_section_and_subtypes(bot, town):
    await town.greet()
    director, grid = town.user(DIRECTOR), town.user(GRID)
    card = await open_type(director, "人防物防技防", page_turns=1)
    card = await press(director, card, "📝 开启信息报告")
    card = await press(director, card, "🔒 设为默认保密")
    assert "📝 信息报告：开" in card.plain_text and "🔒 默认保密：开" in card.plain_text
    await director.press(card, "⏱ 办理时限")
    await director.wait_for_message(predicate=has("1–60 之间的工作日天数"))
    for typed in ("十五", "0", "61", "-3"):
        msg = await type_in(director, typed, "请重新输入")
        assert "1–60" in msg.plain_text, typed
    await type_in(director, "15天", "✅ 已保存：15天")
    card = await director.wait_for_message(predicate=has("⏱ 办理时限：15 个工作日"))
    card = await press(director, card, "📊 通报分类")
    assert card.buttons == ["✅ 综治", "信访", "流动人口", "民族宗教", "« 返回"]
    card = await press(director, card, "流动人口")
    assert "📊 通报分类：流动人口" in card.plain_text
    # a subtype added takes the type's settings
    msg = await press(director, card, "📂 子类（0）")
    await director.press(msg, "➕ 新增子类")
    await director.wait_for_message(predicate=has("下新子类的名称"))
    assert "不能为空" in (await type_in(director, " ", "请重新输入")).plain_text
    await type_in(director, "技防设施损坏", "✅ 已保存")
    sub = await director.wait_for_message(predicate=has("🗂 人防物防技防 · 技防设施损坏"))
    assert "🔒 默认保密：开" in sub.plain_text and "15 个工作日" in sub.plain_text
    created = row(bot, "技防设施损坏")
    assert created.needs_info_report and created.confidential and created.deadline_days == 15
    # its own 通报 section, then back to the type's
    sub = await press(director, sub, "📊 通报分类")
    sub = await press(director, sub, "民族宗教")
    assert "民族宗教（本子类单独设置）" in sub.plain_text
    sub = await press(director, sub, "📊 通报分类")
    sub = await press(director, sub, "随类型")
    assert "随类型：流动人口" in sub.plain_text
    # the grid worker now picks between the type's own row and the new subtype
    msg = await say(grid, "/report")
    msg = await press(grid, msg, "人防物防技防")
    assert "技防设施损坏" in msg.buttons
    # 恢复按缓急计时限 clears the deadline of every subtype
    card = await open_type(director, "人防物防技防", page_turns=1)
    card = await press(director, card, "⏱ 恢复按缓急计时限")
    assert "按缓急程度（默认）" in card.plain_text and row(bot, "技防设施损坏").deadline_days is None
    assert actions(bot) == ["case_type.flag", "case_type.flag", "case_type.deadline", "case_type.section",
                            "case_type.subtype.create", "case_type.section", "case_type.section",
                            "case_type.deadline"]


async def test_new_type_by_typing(bot, town):
    await town.greet()
    director, grid = town.user(DIRECTOR), town.user(GRID)
    msg = await say(director, "/admin")
    msg = await press(director, msg, "🗂 事项类型")
    await director.press(msg, "➕ 新增类型")
    await director.wait_for_message(predicate=has("请输入新类型的名称"))
    assert "已经有叫「社区矫正」的类型了" in (await type_in(director, "社区矫正", "请重新输入")).plain_text
    await type_in(director, "校园周边治安", "✅ 已保存")
    card = await director.wait_for_message(predicate=has("🗂 类型：校园周边治安"))
    assert "通报分类：未设置" in card.plain_text
    msg = await say(grid, "/report")
    assert "校园周边治安" in msg.buttons
    msg = await press(grid, msg, "校园周边治安")  # no subtypes: straight to the severity
    assert "一般" in msg.buttons
    assert actions(bot) == ["case_type.create"]


async def test_non_admins_and_forged_or_stale_buttons_are_refused(bot, town):
    await town.greet()
    director, staff = town.user(DIRECTOR), town.user(STAFF)
    neighbour = town.types["邻里纠纷"]
    # a staff member forges the admin's buttons: refused, nothing changes
    own = await say(staff, "/help")
    for data in (CatType(neighbour).pack(), CatFlag(CatScope.type, neighbour, TypeFlag.forces_urgent, CatSwitch.on).pack(),
                 CatActive(CatScope.sub, neighbour, CatSwitch.off).pack(), "ct:l:0", "ct:nt", f"ct:rt:{neighbour}"):
        assert "没有权限" in await toast(staff, own, data=data), data
    assert "没有权限" in (await say(staff, "/admin")).plain_text
    assert row(bot, "邻里纠纷").active and not row(bot, "邻里纠纷").forces_urgent
    # the admin's own buttons with ids that do not exist, or data no button ever carried
    msg = await say(director, "/admin")
    for data in ("ct:t:99999", "ct:s:99999", f"ct:f:type:{neighbour}:nonsense:1", f"ct:a:type:{neighbour}:2", f"ct:a:type:{neighbour}:True",
                 "ct:t:99999999999999999", "ct:zz", f"ct:sc:type:{neighbour}:综治", "ct:rt:99999"):
        answer = await toast(director, msg, data=data)
        assert "没有找到" in answer or "失效" in answer, (data, answer)
    # a button pressed twice (an old screen): sets the same value, changes nothing more
    card = await open_type(director, "矛盾纠纷")
    await press(director, card, "🚨 设为强制紧急")
    await toast(director, card, data=CatFlag(CatScope.type, neighbour, TypeFlag.forces_urgent, CatSwitch.on).pack())
    assert row(bot, "邻里纠纷").forces_urgent
    assert actions(bot) == ["case_type.flag", "case_type.flag"]
    with bot.db.session() as s:
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "case_type.flag")).first().actor_id == town.director


async def test_a_restart_between_the_press_and_the_typing(bot, town):
    await town.greet()
    director = town.user(DIRECTOR)
    card = await open_type(director, "社区矫正", page_turns=1)
    await director.press(card, "⏱ 办理时限")
    await director.wait_for_message(predicate=has("「社区矫正」的办理时限"))
    await bot.restart()
    await type_in(director, "20", "✅ 已保存：20")
    await director.wait_for_message(predicate=has("⏱ 办理时限：20 个工作日"))
    assert row(bot, "社区矫正").deadline_days == 20
    # /cancel leaves everything as it was
    card = await open_type(director, "社区矫正", page_turns=1)
    await director.press(card, "✏️ 改名")
    await director.wait_for_message(predicate=has("新名称"))
    await type_in(director, "/cancel", "已取消，未做修改")
    assert row(bot, "社区矫正").category == "社区矫正"
    assert actions(bot) == ["case_type.deadline"]
