"""What people type never breaks an HTML message.

The bot's parse mode is HTML: a bare "<" or "&" from a description, a reason or a note makes
Telegram refuse the whole message (400 "can't parse entities"); the outbox then dead-letters the
notification and the person is never told. Every queued message is parsed here with the Bot API
emulator's own HTML parser (as strict as Telegram's), and every hostile value must come out as the
very text that was typed: escaped once, neither swallowed as a tag nor shown as "&lt;".
"""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.emulator.formatting import EntityParseError, format_text
from bot.services import alerts, baoan, case_card, cases, deadlines, intake, reminders, supervision
from bot.services import info_reports as ir
from bot.services.cases import PartyInput
from bot.services.deadlines import DeadlinePolicy
from handlers.cases import render_card as render_case_card
from handlers.notices import render_card as render_notice_card
from handlers.supervise import render_preview
from models import Case, Outbox, Person, RequestKind, Severity, Unit, UrgentAlert, Village
from tests.factories import VALID_ID, Township, local, opened

HOSTILE = "A<b>&c</b><x"
POLICY = DeadlinePolicy()
SH = ZoneInfo("Asia/Shanghai")


def bad(label: str) -> str:
    """A typed value that is not valid HTML, tagged with the field it was typed into."""
    return f"{label}{HOSTILE}"


def parsed(html: str, where: str = "") -> str:
    """The text a person reads; fails the test where Telegram would refuse the message."""
    try:
        return format_text(html, "HTML").text
    except EntityParseError as exc:
        pytest.fail(f"Telegram would refuse {where or 'the message'} ({exc}):\n{html}")


def outbox_plain(db) -> list[str]:
    """Every queued message (and document caption) as read, each one valid HTML."""
    with db.session() as s:
        rows = s.exec(select(Outbox).order_by(Outbox.id)).all()
    assert rows, "nothing was queued"
    return [parsed(r.text, f"outbox {r.key}") for r in rows]


def assert_shown(plain: list[str] | str, *labels: str) -> None:
    texts = [plain] if isinstance(plain, str) else plain
    for label in labels:
        assert any(bad(label) in t for t in texts), f"{bad(label)!r} not shown as typed"


def test_the_emulator_refuses_what_telegram_refuses():
    for broken in ("1 < 2", "<x", HOSTILE, "A & B", "a &c d"):
        with pytest.raises(EntityParseError):
            format_text(broken, "HTML")
    assert format_text("A&lt;b&gt;&amp;c&lt;/b&gt;&lt;x", "HTML").text == HOSTILE


# --- cases: new case, assignment, progress, decline, transfer, deadlines, reminders -------------


def test_case_notifications_and_card(db, clock):
    w = Township.build(db, clock)
    now = clock.now()
    ref = w.submit(description=bad("描述"), request=bad("诉求"), address=bad("地址"),
                   parties=(PartyInput(bad("当事人"), "13800138000", VALID_ID),))
    db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=now, policy=POLICY)
    db.call(cases.assign, actor_id=w.staff, case_id=ref.id, unit_id=w.unit.id, now=now)
    db.call(cases.add_progress, actor_id=w.unit_contact, case_id=ref.id, text=bad("进展"), now=now)
    db.call(deadlines.request_and_notify, actor_id=w.unit_contact, case_id=ref.id, kind=RequestKind.extension,
            reason=bad("延期理由"), new_due_date=date(2026, 12, 10), policy=POLICY, now=now)
    req = db.call(lambda session: deadlines.pending_requests(session, case_id=ref.id))[0]
    db.call(deadlines.decide_and_notify, actor_id=w.leader, request_id=req.id, approve=False, note=bad("驳回"),
            now=now, policy=POLICY)
    db.call(deadlines.request_and_notify, actor_id=w.unit_contact, case_id=ref.id, kind=RequestKind.pause,
            reason=bad("挂起理由"), policy=POLICY, now=now)
    db.call(reminders.sweep, now=local(2026, 12, 14, 10), policy=POLICY)  # overdue: reminded

    declined = w.submit(description=bad("不受理事项"))
    db.call(cases.decline, actor_id=w.staff, case_id=declined.id, guidance=bad("告知途径"), now=now)
    moved = w.submit(description=bad("转办事项"))
    db.call(cases.transfer, actor_id=w.staff, case_id=moved.id, to=bad("接收单位"), reason=bad("转办理由"), now=now)

    plain = outbox_plain(db)
    assert_shown(plain, "描述", "进展", "延期理由", "驳回", "挂起理由", "告知途径", "接收单位")
    with db.session() as s:
        reminded = [parsed(o.text) for o in s.exec(select(Outbox).where(Outbox.key.like(f"rem:{ref.id}:%")))]
    assert_shown(reminded, "描述")

    card = db.call(case_card.case_card, viewer_id=w.staff, case_id=ref.id, now=now, policy=POLICY)
    assert_shown(parsed(render_case_card(card, SH, notice=bad("提示")), "the case card"),
                 "描述", "诉求", "地址", "当事人", "进展", "提示")
    for other in (declined, moved):
        card = db.call(case_card.case_card, viewer_id=w.staff, case_id=other.id, now=now, policy=POLICY)
        parsed(render_case_card(card, SH), "the case card")


def test_urgent_alert_digest_and_names_from_before_the_name_rules(db, clock):
    """Places and people entered before names were checked (or a Telegram name taken as is)."""
    w = Township.build(db, clock)
    with db.session() as s:
        for model, row_id, name in ((Village, w.village.id, "东山<村>&"), (Unit, w.unit.id, "司法<所>&"),
                                    (Person, w.grid_worker, "Tom<x>&Co"), (Person, w.director, "Boss & <i")):
            row = s.get(model, row_id)
            row.name = name
            s.add(row)
    now = clock.now()
    draft = w.draft(type_id=w.mass, severity=Severity.major, description=bad("紧急"))
    result = db.call(intake.register_report, actor_id=w.grid_worker, draft=draft, now=now)
    with db.session() as s:
        alert_id = s.exec(select(UrgentAlert.id)).one()
    db.call(alerts.acknowledge_urgent, person_id=w.director, alert_id=alert_id, now=now)
    db.call(cases.accept, actor_id=w.staff, case_id=result.case.id, now=now, policy=POLICY)
    db.call(cases.assign, actor_id=w.staff, case_id=result.case.id, unit_id=w.unit.id, now=now)
    # off hours: the next morning's digest lists what came in overnight
    night = now.replace(hour=14)  # 22:00 in Shanghai
    db.call(intake.register_report, actor_id=w.grid_worker, draft=w.draft(description=bad("夜间")), now=night)
    db.call(alerts.sweep_digest, now=now + timedelta(days=1), policy=POLICY)

    plain = outbox_plain(db)
    assert_shown(plain, "紧急", "夜间")
    for name in ("东山<村>&", "司法<所>&", "Tom<x>&Co", "Boss & <i"):
        assert any(name in t for t in plain), name


# --- 包案 ----------------------------------------------------------------------------------------


def test_baoan_notifications(db, clock):
    w = Township.build(db, clock).with_baoan()
    w.running_case()
    with db.session() as s:
        case = s.get(Case, w.case_id)
        case.description = bad("包案事项")
        s.add(case)
    refused = w.propose(reason=bad("提议理由"))
    w.call(baoan.decide, actor_id=w.secretary, request_id=refused.id, approve=False, reason=bad("不同意"))
    w.approved()
    # a later deadline in the plan goes to the secretary with the plan
    ext = w.call(baoan.record_plan, actor_id=w.leader, case_id=w.case_id, plan=bad("调处方案"),
                 due_date=date(2026, 12, 15), policy=POLICY).extension
    w.call(baoan.decide_extension, actor_id=w.secretary, request_id=ext.id, approve=False, note=bad("驳回延期"),
           policy=POLICY)
    w.call(baoan.request_extension, actor_id=w.leader, case_id=w.case_id, reason=bad("延期理由"),
           new_due_date=date(2026, 12, 22), policy=POLICY)
    w.call(baoan.complete, actor_id=w.leader, case_id=w.case_id, summary=bad("办结情况"),
           joint_notice=bad("联合告知"))

    assert_shown(outbox_plain(db), "包案事项", "提议理由", "不同意", "调处方案", "延期理由", "驳回延期", "联合告知")
    card = db.call(case_card.case_card, viewer_id=w.director, case_id=w.case_id, now=w.clock.now(), policy=POLICY)
    assert_shown(parsed(render_case_card(card, SH), "the case card"), "调处方案", "办结情况")


# --- 督办 ----------------------------------------------------------------------------------------


def test_supervision_notifications_cards_and_sweep(db, clock):
    w = Township.build(db, clock).with_police()
    w.running_case(to_unit=True)
    with db.session() as s:
        case = s.get(Case, w.case_id)
        case.description = bad("督办事项")
        s.add(case)
    fields = dict(unit_id=w.unit.id, case_id=w.case_id, due_date=date(2026, 12, 10), requirements=bad("督办要求"),
                  feedback=bad("反馈要求"), cc=bad("抄送"))
    view = w.call(supervision.preview, actor_id=w.director, policy=POLICY, **fields)
    assert_shown(parsed(render_preview(view), "the preview"), "督办事项", "督办要求", "反馈要求", "抄送")
    first = w.issue(feedback=bad("反馈要求"), cc=bad("抄送"), requirements=bad("督办要求"))
    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=first.id)
    w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=first.id, kind="progress", text=bad("进展"))
    asked = w.call(supervision.request_materials, actor_id=w.director, notice_id=first.id, text=bad("调阅"))
    w.call(supervision.answer_request, actor_id=w.unit_contact, entry_id=asked.id, text=bad("答复"))
    w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=first.id, kind="result", text=bad("结果"))
    second = w.call(supervision.reject_and_reissue, actor_id=w.director, notice_id=first.id, reason=bad("不认可"),
                    due_date=date(2026, 12, 11), policy=POLICY)
    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=second.id)
    w.call(supervision.close_or_transfer, actor_id=w.director, notice_id=second.id, transfer=True,
           department=bad("接收部门"), note=bad("移送说明"))
    w.sweep(local(2026, 12, 1, 10))  # the party has not been told yet: reminded the next day
    w.sweep(local(2026, 12, 3, 10))  # three days: the director is told
    w.call(supervision.record_party_notice, actor_id=w.unit_contact, notice_id=second.id, text=bad("告知当事人"))

    plain = outbox_plain(db)
    assert_shown(plain, "督办事项", "督办要求", "反馈要求", "进展", "调阅", "答复", "结果", "不认可", "接收部门",
                 "移送说明", "告知当事人")
    assert sum(bad("接收部门") in t for t in plain) >= 3  # told on transfer, reminded, and late to the director
    for notice in (first, second):
        card = w.call(supervision.notice_card, viewer_id=w.director, notice_id=notice.id, policy=POLICY)
        parsed(render_notice_card(card, notice=bad("提示")), "the notice card")
    card = w.call(supervision.notice_card, viewer_id=w.director, notice_id=second.id, policy=POLICY)
    assert_shown(parsed(render_notice_card(card), "the notice card"), "督办要求", "抄送", "接收部门", "告知当事人")


# --- 信息报告 ------------------------------------------------------------------------------------


def test_info_report_text(db, clock):
    w = Township.build(db, clock)
    _ref, rid = opened(w)
    labels = {"occurred": "时间", "place": "地点", "cause": "起因", "course": "经过", "measures": "措施"}
    for field, label in labels.items():
        w.db.call(ir.save_field, actor_id=w.grid_worker, report_id=rid, field=field, value=bad(label))
    w.db.call(ir.submit_report, actor_id=w.grid_worker, report_id=rid, now=w.clock.now())
    assert_shown(outbox_plain(db), *labels.values())

