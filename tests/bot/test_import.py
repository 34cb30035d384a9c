"""Bulk import through the chat: template, a bad file (nothing imported), a good one, binding by phone."""

from io import BytesIO

from openpyxl import Workbook, load_workbook
from sqlmodel import func, select

from bot import texts
from bot.services import people
from models import Person, Role, Village

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(people_rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "村社区"
    ws.append(["名称", "类型"])
    ws.append(["东山村", "村"])
    ws.append(["新桥社区", "社区"])
    ws = wb.create_sheet("网格")
    ws.append(["村社区", "网格名称"])
    ws.append(["东山村", "第一网格"])
    ws.append(["新桥社区", "第一网格"])
    ws = wb.create_sheet("单位")
    ws.append(["名称", "类型"])
    ws.append(["镇派出所", "成员单位"])
    ws = wb.create_sheet("人员")
    ws.append(["姓名", "手机号", "身份", "村社区", "网格", "单位", "联系点"])
    for row in people_rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = [
    ["刘建国", "13600001111", "中心领导", "", "", "", "东山村、新桥社区"],
    ["张网格", "13600002222", "网格员", "东山村", "第一网格", "", ""],
    ["派出所老李", "13600003333", "承办单位联络人", "", "", "镇派出所", ""],
]


async def test_template_then_bad_file_then_good_file_then_binding(bot, director):
    await director.send_text("/template")
    doc = await director.wait_for_message()
    assert doc.kind == "document"
    assert {"村社区", "网格", "单位", "人员"} <= set(load_workbook(BytesIO(doc.document_bytes())).sheetnames)

    bad = [*GOOD, ["王五", "12345", "网格员", "东山村", "", "", ""], ["赵六", "13600004444", "厨师", "", "", "", ""]]
    await director.send_document(workbook(bad), filename="名单.xlsx", mime_type=XLSX)
    msg = await director.wait_for_message(timeout=10)
    assert "未导入任何数据" in msg.plain_text
    assert "「人员」第 5 行" in msg.plain_text and "「人员」第 6 行" in msg.plain_text
    with bot.db.session() as s:
        assert s.exec(select(func.count()).select_from(Village)).one() == 0

    await director.send_document(workbook(GOOD), filename="名单.xlsx", mime_type=XLSX)
    msg = await director.wait_for_message(timeout=10)
    assert "导入完成" in msg.plain_text and "人员 3 人" in msg.plain_text

    # An imported grid worker opens the bot and shares their phone: bound, with their role.
    worker = bot.user(5001, "张")
    await worker.send_text("/start")
    hint = await worker.wait_for_message()
    assert hint.keyboard == ["📱 验证手机号"]
    await worker.send_contact("13600002222")
    msg = await worker.wait_for_message()
    assert "已验证手机号" in msg.plain_text and "网格员" in msg.plain_text
    with bot.db.session() as s:
        assert s.exec(select(Person).where(Person.telegram_id == 5001)).one().name == "张网格"
    # Somebody whose number is not on the list is told what to do.
    other = bot.user(5002, "陌生")
    await other.send_contact("13999999999")
    assert "没有找到这个手机号" in (await other.wait_for_message()).plain_text


async def test_wrong_file_type_and_non_admin_upload(bot, director):
    await director.send_document(b"hello", filename="notes.txt", mime_type="text/plain")
    assert ".xlsx" in (await director.wait_for_message()).plain_text

    # A registered grid worker sends a valid workbook: refused, nothing imported, no template either.
    bot.db.call(lambda session: people.create_person(
        session, name="张网格", phone="13600009999", roles={Role.grid}, telegram_id=5003, now=bot.clock.now()))
    worker = bot.user(5003, "张")
    await worker.send_document(workbook(GOOD), filename="名单.xlsx", mime_type=XLSX)
    assert (await worker.wait_for_message(timeout=10)).plain_text == texts.NOT_ALLOWED
    await worker.send_text("/template")
    assert (await worker.wait_for_message()).plain_text == texts.NOT_ALLOWED
    with bot.db.session() as s:
        assert s.exec(select(func.count()).select_from(Village)).one() == 0
        assert s.exec(select(func.count()).select_from(Person)).one() == 2
