"""目标管理考核 through the real bot (issue 17): the director sends the 责任书, a head signs it by
button and the director sees who has not; /score for a village head (item by item, the cases behind
an item) and the ranking for the director; a hand-scored mark needs evidence (a text is refused, a
photo is taken); an 整改 order chased past its deadline until 整改完成; the year-end .xlsx and .docx
match the ranking; the catalogue's template comes back edited and one number is edited in chat; a
restart in the middle of a mark; refused roles and forged buttons.

Town (tests/factories.PEOPLE): 王主任 (1) director, 刘领导 (3) leader, 孙丽 (4) staff, 张网格 (6) grid,
司法所老李 (7) heads 镇司法所; 东山村主任 (20) heads 东山村 (a 单位联络人 registered to the village)."""

import io
from datetime import timedelta

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import select

from bot.callbacks import ScoreItemCases, ScoreRectifyDone, ScoreSign, ScoreSubject, ScoreYearEnd
from handlers import assessment as assessment_flow
from models import (
    AssessmentMark,
    Case,
    CaseStatus,
    Rectification,
    Role,
    Severity,
    Source,
    SubjectKind,
    TargetAgreement,
)
from tests.bot.steps import has, local, sweep_at, tap, toast, type_in
from tests.bot.towns import card_town

DIRECTOR, LEADER, STAFF, GRID, UNIT, HEAD = 1, 3, 4, 6, 7, 20
NOW = local(2026, 12, 4, 10, 0)  # a Friday
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture
async def town(bot):
    town = card_town(bot)
    town.village_head = town._person("东山村主任", HEAD, {Role.unit}, village_id=town.village.id)
    town.with_users(bot, {HEAD: "村主任"})
    bot.clock.set(NOW)
    await town.greet()
    return town


def late_cases(town) -> list[str]:
    """镇司法所: a case in 东山村 resolved two days late and one (no village) on time: the unit 1 of 2 on
    time (50 %), 东山村 0 of 1 — both lose the item's 20 points (1 per point under 95, cap 20)."""
    due = local(2026, 6, 10, 17, 30)
    numbers = []
    with town.db.session() as s:
        for n, (resolved, village) in enumerate([(due + timedelta(days=2), town.village.id),
                                                 (due - timedelta(days=1), None)], start=1):
            case = Case(number=f"2026-09{n:02d}", type_id=town.neighbour, severity=Severity.general,
                        source=Source.visit, status=CaseStatus.resolved, description=f"排水沟纠纷{n}",
                        reporter_id=town.staff, unit_id=town.unit.id, village_id=village, created_at=due - timedelta(days=5),
                        updated_at=due, resolved_at=resolved, due_at=due)
            s.add(case)
            numbers.append(case.number)
        s.commit()
    return numbers


def named(file_name: str):
    return lambda m: m.file is not None and m.file.file_name == file_name


async def inbox(bot, user, *parts: str, timeout: float = 5.0):
    def found():
        hits = [m for m in bot.emu.world.chat_messages(user.id) if m.from_bot and not m.deleted
                and all(p in (m.plain_text or "") for p in parts)]
        return hits[-1] if hits else None

    return await bot.emu.world.wait_until(found, timeout)


def count_like(bot, user, *parts: str) -> int:
    return len([m for m in bot.emu.world.chat_messages(user.id) if m.from_bot and all(p in (m.plain_text or "")
                                                                                       for p in parts)])


async def test_agreements_go_out_and_are_signed_by_button(bot, town):
    director, unit, head, grid = (town.users[i] for i in (DIRECTOR, UNIT, HEAD, GRID))
    full = await type_in(head, "/score", "东山村：100 分")  # nothing lost: no buttons at all
    assert full.buttons == [] and "点下方按钮" not in full.plain_text
    ranking = await type_in(director, "/score", "2026年度考核排名")
    status = await tap(director, ranking, "责任书签订", "尚未下发")
    status = await tap(director, status, "下发责任书", "已下发 2 份责任书")
    assert "未签订：镇司法所 司法所老李、东山村 东山村主任" in status.plain_text
    await bot.drain_outbox()
    doc = await inbox(bot, unit, "【目标管理责任书】")
    assert doc.protected and doc.buttons == ["签订"]
    text = "\n".join(p.text for p in Document(io.BytesIO(doc.document_bytes())).paragraphs)
    assert "乙方：镇司法所" in text and "（1）按期办结率（20分）" in text and "签订日期：＿＿＿＿" in text
    # someone else's 责任书 is refused (a forged press), then its own person signs
    with town.db.session() as s:
        mine = s.exec(select(TargetAgreement).where(TargetAgreement.person_id == town.unit_contact)).one()
    assert "不是发给您的" in await toast(grid, doc, data=ScoreSign(mine.id).pack())
    await tap(unit, doc, "签订", "已签订2026年度目标管理责任书")
    status = await tap(director, status, "催签", "已提醒 1 人签订")
    assert "已签订 1，未签订 1" in status.plain_text and "未签订：东山村 东山村主任" in status.plain_text
    await bot.drain_outbox()
    await inbox(bot, head, "您尚未签订2026年度目标管理责任书")
    assert count_like(bot, unit, "您尚未签订") == 0


async def test_unsigned_heads_are_reminded_once_then_the_center_is_told(bot, town):
    """ASSESSMENT_SIGN_REMIND_DAYS=5 (default): sent Fri 12月4日 → 5 working days 7–11日, so from Mon 14日
    the head who has not signed is reminded (once; 老李 signed: nothing); 5 working days after that
    (15–21日) the center is told on Tue 22日 who is still missing — once, across a restart."""
    director, unit, head = (town.users[i] for i in (DIRECTOR, UNIT, HEAD))
    ranking = await type_in(director, "/score", "2026年度考核排名")
    status = await tap(director, ranking, "责任书签订", "尚未下发")
    await tap(director, status, "下发责任书", "已下发 2 份责任书")
    await bot.drain_outbox()
    await tap(unit, await inbox(bot, unit, "【目标管理责任书】"), "签订", "已签订2026年度目标管理责任书")
    await sweep_at(bot, local(2026, 12, 11, 17, 0))
    assert count_like(bot, head, "下发已超过 5 个工作日") == 0
    await sweep_at(bot, local(2026, 12, 14, 9, 0))
    reminder = await inbox(bot, head, "【提醒】2026年度目标管理责任书下发已超过 5 个工作日，您尚未签订")
    assert reminder.buttons == ["签订"]
    await sweep_at(bot, local(2026, 12, 14, 15, 0))
    await bot.restart()
    await sweep_at(bot, local(2026, 12, 15, 9, 0))
    assert count_like(bot, head, "下发已超过") == 1 and count_like(bot, unit, "下发已超过") == 0
    await sweep_at(bot, local(2026, 12, 21, 17, 0))
    assert count_like(bot, director, "【责任书未签订】") == 0
    await sweep_at(bot, local(2026, 12, 22, 9, 0))
    told = await inbox(bot, director, "【责任书未签订】以下人员经提醒仍未签订2026年度目标管理责任书：东山村 东山村主任。")
    await bot.restart()
    await sweep_at(bot, local(2026, 12, 23, 9, 0))
    assert count_like(bot, director, "【责任书未签订】") == 1
    status = await tap(director, told, "查看签订情况", "已签订 1，未签订 1")
    assert "未签订：东山村 东山村主任" in status.plain_text
    assert count_like(bot, town.users[GRID], "【责任书未签订】") == 0


async def test_score_for_a_village_head_and_the_ranking_for_the_director(bot, town):
    numbers = late_cases(town)
    director, unit, head, grid, staff = (town.users[i] for i in (DIRECTOR, UNIT, HEAD, GRID, STAFF))
    mine = await type_in(head, "/score", "东山村：80 分")
    assert "1. 按期办结率（20分）：-20（按期办结率 0%）" in mine.plain_text
    assert "2. 督办红牌（10分）：满分" in mine.plain_text and "5. 排查报送（10分）：满分（排查未按时报送 0 次）" in mine.plain_text
    cases = await tap(head, mine, "1. 按期办结率 -20", "东山村「按期办结率」扣 20 分")
    assert "另有 1 件您无权查看" in cases.plain_text  # the unit's case: not the village head's to open
    # the unit's head sees both cases behind the item and opens one
    own = await type_in(unit, "/score", "镇司法所：80 分", "按期办结率 50%")
    cases = await tap(unit, own, "1. 按期办结率 -20", "镇司法所「按期办结率」扣 20 分")
    assert numbers[0] in cases.plain_text and numbers[1] not in cases.plain_text  # only the late one
    await tap(unit, cases, numbers[0], f"📋 事项 {numbers[0]}")
    # the ranking for the director; a unit is opened from it
    ranking = await type_in(director, "/score", "2026年度考核排名")
    assert "1. 东山村 80 分" in ranking.plain_text and "2. 镇司法所 80 分" in ranking.plain_text
    opened = await tap(director, ranking, "2. 镇司法所", "镇司法所：80 分")
    assert "下发整改" in opened.buttons and "返回排名" in opened.buttons
    # refused: a grid worker and a staff member; a head may not open another's score (forged buttons)
    await type_in(grid, "/score", "您没有权限")
    await type_in(staff, "/score", "您没有权限")
    assert "您没有权限" in await toast(unit, own, data=ScoreSubject(2026, SubjectKind.village, town.village.id).pack())
    assert "只能查看本单位" in await toast(
        head, mine, data=ScoreItemCases(1, SubjectKind.unit, town.unit.id).pack())
    assert "按钮已失效" in await toast(director, ranking, data="ka:s:2026:nowhere:1")
    assert "按钮已失效" in await toast(director, ranking, data=ScoreSubject(2026, SubjectKind.unit, 99999).pack())
    assert "您没有权限" in await toast(unit, own, data=ScoreYearEnd(2026).pack())


async def test_a_hand_scored_mark_needs_evidence_and_survives_a_restart(bot, town):
    director, head = town.users[DIRECTOR], town.users[HEAD]
    ranking = await type_in(director, "/score", "2026年度考核排名")
    pick = await tap(director, ranking, "人工评分/一票否决", "选择要评分的项目")
    assert "1. 按期办结率" not in pick.buttons  # computed items are not scored by hand
    subjects = await tap(director, pick, "8. 基础台账资料", "「基础台账资料」：选择")
    await tap(director, subjects, "东山村", "请输入扣分和理由")
    await type_in(director, "25 台账缺页", "不超过该项分值 10 分")
    await type_in(director, "2 台账缺页", "请发送佐证材料")
    await bot.restart()  # the flow goes on after a restart
    await type_in(director, "没有材料", "没有佐证材料不能评分")
    await director.send_photo(PNG, caption="台账照片")
    done = await director.wait_for_message(predicate=has("已记录：东山村「基础台账资料」扣 2 分"))
    await bot.drain_outbox()
    await inbox(bot, head, "【考核扣分】「基础台账资料」扣 2 分", "台账缺页")
    score = await tap(director, done, "查看得分", "东山村：98 分")
    assert "8. 基础台账资料（10分）：-2（-2：台账缺页）" in score.plain_text
    with town.db.session() as s:
        mark = s.exec(select(AssessmentMark)).one()
        assert (mark.evidence_kind, bool(mark.evidence_file_id)) == ("photo", True)
    # a leader may score too; /cancel loses nothing
    leader = town.users[LEADER]
    ranking = await type_in(leader, "/score", "2026年度考核排名")
    assert "考核目录" not in ranking.buttons and "年终材料" not in ranking.buttons  # the director's tools
    pick = await tap(leader, ranking, "人工评分/一票否决", "选择要评分的项目")
    subjects = await tap(leader, pick, "9. 一票否决", "「一票否决」：选择")
    await tap(leader, subjects, "东山村", "请写明一票否决的事由")
    await type_in(leader, "/cancel", "已取消")
    assert assessment_flow.PENDING not in bot.app.user_data[leader.id]  # the half-typed mark is dropped
    with town.db.session() as s:
        assert len(s.exec(select(AssessmentMark)).all()) == 1


async def test_an_rectification_order_is_chased_past_its_deadline(bot, town):
    """ASSESSMENT_RECTIFY_DAYS=5 working days from Tue 2026-09-22: 23, 24, (中秋 25–27 off) 28, 29, 30 →
    due 9月30日 17:30; 国庆 10月1–7日 brings no chase; the first is Thu 10月8日, 1 working day over."""
    bot.settings = bot.settings.model_copy(update={"assessment_rectify_days": 5})
    await bot.restart()
    bot.clock.set(local(2026, 9, 22, 10, 0))
    director, unit = town.users[DIRECTOR], town.users[UNIT]
    ranking = await type_in(director, "/score", "2026年度考核排名")
    opened = await tap(director, ranking, "2. 镇司法所", "镇司法所：100 分")
    await tap(director, opened, "下发整改", "请输入「镇司法所」需要整改的问题")
    await type_in(director, "调解台账不规范，补齐2026年调解卷宗",
                  "已下发整改通知：镇司法所，责任人 司法所老李，期限 2026年9月30日 17:30")
    await bot.drain_outbox()
    order = await inbox(bot, unit, "【整改通知】镇司法所", "整改期限：2026年9月30日 17:30")
    await sweep_at(bot, local(2026, 9, 30, 20, 0))
    await sweep_at(bot, local(2026, 10, 5, 10, 0))  # 国庆
    assert count_like(bot, unit, "【整改逾期】") == 0
    await sweep_at(bot, local(2026, 10, 8, 9, 0))
    await inbox(bot, unit, "【整改逾期】整改期限 2026年9月30日 17:30 已过，已超期 1 个工作日")
    await inbox(bot, director, "【整改逾期】镇司法所 整改期限 2026年9月30日 17:30 已过，已超期 1 个工作日仍未完成")
    await sweep_at(bot, local(2026, 10, 8, 15, 0))
    assert count_like(bot, unit, "【整改逾期】") == 1  # once a working day
    listing = await tap(director, await type_in(director, "/score", "2026年度考核排名"), "整改", "2026年度整改通知")
    assert "🔴 镇司法所：调解台账不规范" in listing.plain_text and "司法所老李，期限 2026年9月30日 17:30" in listing.plain_text
    with town.db.session() as s:
        order_id = s.exec(select(Rectification.id)).one()
    assert "不是发给您单位的" in await toast(town.users[GRID], order, data=ScoreRectifyDone(order_id).pack())
    await tap(unit, order, "整改完成", "已报告整改完成")
    await bot.drain_outbox()
    await inbox(bot, director, "镇司法所 已报告整改完成")
    await sweep_at(bot, local(2026, 10, 9, 9, 0))
    assert count_like(bot, unit, "【整改逾期】") == 1
    listing = await tap(director, await type_in(director, "/score", "2026年度考核排名"), "整改", "2026年度整改通知")
    assert "✅ 镇司法所：调解台账不规范" in listing.plain_text


async def test_year_end_files_match_the_ranking(bot, town):
    late_cases(town)
    director = town.users[DIRECTOR]
    ranking = await type_in(director, "/score", "2026年度考核排名")
    await director.press(ranking, "年终材料")
    sheet = await director.wait_for_message(predicate=named("2026年度考核得分表.xlsx"))
    report = await director.wait_for_message(predicate=named("2026年度考核通报.docx"))
    assert sheet.protected and report.protected
    ws = load_workbook(io.BytesIO(sheet.document_bytes())).worksheets[0]
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True)]
    assert [(r[0], r[1]) for r in rows] == [(1, "东山村"), (2, "镇司法所")]
    assert [r[-3] for r in rows] == [80, 80]  # 总分, as /score ranks them
    text = "\n".join(p.text for p in Document(io.BytesIO(report.document_bytes())).paragraphs)
    assert "1. 东山村：80分" in text and "2. 镇司法所：80分" in text
    assert "二、拟表彰单位\n无。" in text  # 80 < 90 (the setting)


async def test_the_catalogue_template_upload_and_an_edit_in_chat(bot, town):
    director, leader = town.users[DIRECTOR], town.users[LEADER]
    ranking = await type_in(director, "/score", "2026年度考核排名")
    listing = await tap(director, ranking, "考核目录", "2026年度考核目录（合计 100 分）")
    await director.press(listing, "下载模板(.xlsx)")
    template = await director.wait_for_message(predicate=named("2026年度考核目录.xlsx"))
    wb = load_workbook(io.BytesIO(template.document_bytes()))
    ws = wb.worksheets[0]
    ws["D3"] = 15  # 按期办结率 20 → 15: the total is 95, refused
    bad = io.BytesIO()
    wb.save(bad)
    ws["D4"] = 15  # 督办红牌 10 → 15: 100 again
    good = io.BytesIO()
    wb.save(good)
    await tap(director, listing, "上传目录", "请发送填好的考核目录")
    await type_in(director, "这不是文件", "请发送 .xlsx 文件")
    await director.send_document(bad.getvalue(), filename="目录.xlsx")
    await director.wait_for_message(predicate=has("合计为 95 分，应为 100 分"))
    await director.send_document(good.getvalue(), filename="目录.xlsx")
    done = await director.wait_for_message(predicate=has("已导入 2026年度考核目录：9 项，合计 100 分"))
    assert "1. 按期办结率（15分）" in done.plain_text and "2. 督办红牌（15分）" in done.plain_text
    item = await tap(director, done, "1. 按期办结率", "规则：按期办结率低于95%")
    await tap(director, item, "阈值", "请输入「按期办结率」的新阈值")
    await type_in(director, "很高", "请输入 0 到 100 之间的数字")
    edited = await type_in(director, "90", "已修改：按期办结率 的阈值为 90")
    assert "按期办结率低于90%的" in edited.plain_text
    # the catalogue is the director's: a leader's forged press is refused
    assert "您没有权限" in await toast(leader, edited, data="ka:c:2026")


async def test_a_veto_in_chat_bars_commendation_and_its_accountability_is_closed(bot, town):
    director, head, leader = town.users[DIRECTOR], town.users[HEAD], town.users[LEADER]
    ranking = await type_in(director, "/score", "2026年度考核排名")
    pick = await tap(director, ranking, "人工评分/一票否决", "选择要评分的项目")
    subjects = await tap(director, pick, "9. 一票否决", "「一票否决」：选择")
    await tap(director, subjects, "东山村", "请写明一票否决的事由")
    await type_in(director, "因宅基地纠纷未及时化解引发命案", "请发送佐证材料")
    await director.send_document(b"%PDF-1.4 report", filename="情况报告.pdf", mime_type="application/pdf")
    await director.wait_for_message(predicate=has("已记录一票否决：东山村", "领导责任查究"))
    await bot.drain_outbox()
    await inbox(bot, head, "【一票否决】东山村 2026年度考核被一票否决")
    ranking = await type_in(director, "/score", "2026年度考核排名")
    assert "1. 东山村 100 分 ⛔一票否决" in ranking.plain_text  # the score stands; commendation is barred
    listing = await tap(director, ranking, "责任查究", "2026年度领导责任查究")
    assert "⏳ 东山村" in listing.plain_text and "引发命案" in listing.plain_text
    await tap(director, listing, "记录结果：东山村", "请写明查究结果")
    await type_in(director, "村党支部书记诫勉谈话", "已记录查究结果")
    await director.press(await type_in(director, "/score", "2026年度考核排名"), "年终材料")
    report = await director.wait_for_message(predicate=named("2026年度考核通报.docx"))
    text = "\n".join(p.text for p in Document(io.BytesIO(report.document_bytes())).paragraphs)
    assert "东山村：因宅基地纠纷未及时化解引发命案，实行一票否决" in text
    assert "处理结果：村党支部书记诫勉谈话" in text
    assert "拟表彰单位\n镇司法所。" in text  # 100 and not vetoed; 东山村 100 but vetoed
    # only the director keeps the 责任查究; a leader's forged press is refused
    own = await type_in(leader, "/score", "2026年度考核排名")
    assert "责任查究" not in own.buttons
    assert "您没有权限" in await toast(leader, own, data="ka:q:2026")


async def test_every_head_gets_the_monthly_score_once(bot, town):
    late_cases(town)
    unit, head = town.users[UNIT], town.users[HEAD]
    await type_in(town.users[DIRECTOR], "/score", "2026年度考核排名")  # the year's catalogue exists
    await sweep_at(bot, local(2027, 1, 1, 9, 30))  # December's message (the year's last)
    message = await inbox(bot, unit, "【考核得分】镇司法所 2026年12月底得分 80 分（较年初 -20）")  # no November snapshot
    assert "按期办结率 -20" in message.plain_text
    await inbox(bot, head, "【考核得分】东山村 2026年12月底得分 80 分")
    await sweep_at(bot, local(2027, 1, 1, 15, 0))
    assert count_like(bot, unit, "【考核得分】") == 1
    await tap(unit, message, "查看得分", "镇司法所：80 分")


async def test_staff_records_the_director_praises_and_the_person_sees_it(bot, town):
    director, staff, staff2, grid, leader = (town.users[i] for i in (DIRECTOR, STAFF, 5, GRID, LEADER))
    mine = await type_in(staff, "/myrecord", "孙丽 2026年度工作记录", "首问登记：0 件")
    assert "表扬与批评：无" in mine.plain_text and mine.buttons == []
    picker = await type_in(director, "/myrecord", "选择工作人员")
    record = await tap(director, picker, "孙丽", "孙丽 2026年度工作记录")
    await tap(director, record, "记录表扬", "请写明表扬的事由")
    await type_in(director, "主动帮助来访群众联系县人社局", "已记录表扬：孙丽")
    await bot.drain_outbox()
    await inbox(bot, staff, "【表扬】主任对您的工作记录了表扬：主动帮助来访群众联系县人社局")
    mine = await type_in(staff, "/myrecord", "表扬（2026年12月4日）：主动帮助来访群众联系县人社局")
    # a leader sees the list but may not praise; another staff member and a grid worker may not look
    picker = await type_in(leader, "/myrecord", "选择工作人员")
    record = await tap(leader, picker, "孙丽", "孙丽 2026年度工作记录")
    assert record.buttons == []
    own = await type_in(staff2, "/myrecord", "周明 2026年度工作记录")
    assert "只有本人、中心领导和主任" in await toast(staff2, own, data=f"ka:p:{town.staff}")
    await type_in(grid, "/myrecord", "您没有权限")
    assert "您没有权限" in await toast(leader, record, data=f"ka:pn:{town.staff}:criticism")


async def test_teams_registered_by_a_village_head_and_the_safe_village_reviewed(bot, town):
    director, head, staff, grid = (town.users[i] for i in (DIRECTOR, HEAD, STAFF, GRID))
    own = await type_in(head, "/teams", "东山村 群防群治与平安创建", "还没有登记群防群治队伍")
    await tap(head, own, "登记治保会", "请输入治保会的负责人、电话和成员")
    await type_in(head, "没有电话号码的一长串" * 10, "格式：负责人 电话 成员")
    saved = await type_in(head, "张三 13812345678 李四、王五", "已登记治保会")
    assert "治保会：负责人 张三 13812345678，成员 2 人（李四、王五）" in saved.plain_text
    applied = await tap(head, saved, "申报2026年平安村", "已申报，等待主任审核")
    assert "2026年平安村创建：待审核" in applied.plain_text
    # the center's staff see the phone masked; the director reviews
    picker = await type_in(staff, "/teams", "选择村（社区）或单位")
    shown = await tap(staff, picker, "东山村", "东山村 群防群治与平安创建")
    assert "138****5678" in shown.plain_text and "验收通过" not in " ".join(shown.buttons)
    picker = await type_in(director, "/teams", "选择村（社区）或单位")
    shown = await tap(director, picker, "东山村", "13812345678")
    await tap(director, shown, "2026年平安村：验收通过", "已记录审核结果：验收通过")
    await type_in(grid, "/teams", "您没有权限")
    assert "您没有权限" in await toast(head, own, data="ka:cr:1:1")  # only the director reviews
    assert "只能管理本村" in await toast(head, own, data=f"ka:t:unit:{town.unit.id}")


async def test_a_village_head_applies_for_a_safe_school_and_safe_families_by_typing(bot, town):
    """平安学校/路段/市场 by name and 平安家庭 by households, typed after a button; bad typing is answered
    and loses nothing; the director reviews each by its name."""
    director, head = town.users[DIRECTOR], town.users[HEAD]
    own = await type_in(head, "/teams", "东山村 群防群治与平安创建")
    assert {"申报2026年平安学校", "申报2026年平安路段", "申报2026年平安市场", "申报2026年平安家庭"} <= set(own.buttons)
    await tap(head, own, "申报2026年平安学校", "请输入申报平安学校的学校名称")
    await type_in(head, "校", "名称应为 2–40 字")
    shown = await type_in(head, "东山村小学", "已申报，等待主任审核")
    assert "2026年平安学校「东山村小学」创建：待审核" in shown.plain_text
    assert "申报2026年平安学校" in shown.buttons  # another school may follow
    await tap(head, shown, "申报2026年平安家庭", "请输入本村申报平安家庭的户数")
    await type_in(head, "很多户", "请输入户数")
    shown = await type_in(head, "120户", "2026年平安家庭（120户）创建：待审核")
    assert "申报2026年平安家庭" not in shown.buttons  # once a year
    picker = await type_in(director, "/teams", "选择村（社区）或单位")
    shown = await tap(director, picker, "东山村", "平安学校「东山村小学」")
    await tap(director, shown, "2026年平安学校「东山村小学」：验收通过", "已记录审核结果：验收通过")
    # forged: a village that does not exist; the 平安村 itself (a button of its own, no typing)
    assert "按钮已失效" in await toast(head, own, data="ka:cs:999:school:2026")
    assert "按钮已失效" in await toast(head, own, data=f"ka:cs:{town.village.id}:village:2026")


async def test_a_village_head_has_notices_in_the_menu(bot, town):
    """A 督办通知书 may go to a village head as 承办人员 (信息督办制度 "承办单位(人员)"): a village's
    contact (role unit, no unit) is offered /supervisions and /notice, as a unit's contact is."""
    head, unit = town.users[HEAD], town.users[UNIT]
    head_help, unit_help = (await type_in(head, "/help", "/score")), (await type_in(unit, "/help", "/score"))
    assert "/supervisions" in head_help.plain_text and "/notice" in head_help.plain_text
    assert "没有符合条件的督办通知书" in (await type_in(head, "/supervisions", "督办通知书")).plain_text
    assert "/supervisions" in unit_help.plain_text and "/notice" in unit_help.plain_text
    assert "没有符合条件的督办通知书" in (await type_in(unit, "/supervisions", "督办通知书")).plain_text
