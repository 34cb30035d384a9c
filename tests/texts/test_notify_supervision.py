"""督办 notifications: what people typed is escaped, the wording is what people read today."""

import re

import pytest

from bot.texts import CONFIDENTIAL_SUMMARY, notify

HOSTILE = '<b>&"x'
NAME = "王<script>alert(1)</script>"
S = notify.supervision
NO = "综治〔2026〕12号"

CALLS = {
    "document_caption": lambda: S.document_caption(number=HOSTILE),
    "issued_to_unit": lambda: S.issued_to_unit(number=HOSTILE, level="yellow", source="upper", case_number=HOSTILE,
                                               summary=HOSTILE, confidential=False, requirements=HOSTILE,
                                               due=HOSTILE, feedback=HOSTILE, reissued_from=HOSTILE,
                                               reissue_reason=HOSTILE),
    "issued_to_director": lambda: S.issued_to_director(number=HOSTILE, level="red", unit=NAME, case_number=HOSTILE,
                                                       due=HOSTILE),
    "copied": lambda: S.copied(number=HOSTILE, level="normal", unit=NAME, case_number=HOSTILE, summary=HOSTILE,
                               confidential=False, requirements=HOSTILE, due=HOSTILE),
    "copied_confidential": lambda: S.copied_confidential(number=HOSTILE),
    "signed": lambda: S.signed(unit=NAME, who=NAME + HOSTILE, number=HOSTILE),
    "entry_reported": lambda: S.entry_reported(unit=NAME, who=NAME + HOSTILE, number=HOSTILE, kind="progress",
                                               text=HOSTILE, files=2),
    "answered": lambda: S.answered(unit=NAME, who=NAME + HOSTILE, number=HOSTILE, kind="materials", text=HOSTILE,
                                   files=1),
    "party_recorded": lambda: S.party_recorded(unit=NAME, who=NAME + HOSTILE, number=HOSTILE, text=HOSTILE),
    "accepted": lambda: S.accepted(number=HOSTILE),
    "requested": lambda: S.requested(kind="briefing", number=HOSTILE, case_number=HOSTILE, text=HOSTILE),
    "closed": lambda: S.closed(who=NAME + HOSTILE, number=HOSTILE, what=HOSTILE, note=HOSTILE, due=HOSTILE),
    "sign_reminder": lambda: S.sign_reminder(number=HOSTILE, hours=4),
    "sign_escalation": lambda: S.sign_escalation(unit=NAME + HOSTILE, hours=8, number=HOSTILE, case_number=HOSTILE),
    "overdue_to_unit": lambda: S.overdue_to_unit(number=HOSTILE, case_number=HOSTILE, due=HOSTILE, raised=True),
    "overdue_to_director": lambda: S.overdue_to_director(number=HOSTILE, unit=NAME + HOSTILE, case_number=HOSTILE,
                                                         raised=True),
    "yellow_to_unit": lambda: S.yellow_to_unit(number=HOSTILE, percent=80, due=HOSTILE),
    "yellow_to_director": lambda: S.yellow_to_director(number=HOSTILE, unit=NAME + HOSTILE, percent=80),
    "party_reminder": lambda: S.party_reminder(number=HOSTILE, case_number=HOSTILE, what=HOSTILE, due=HOSTILE),
    "party_late": lambda: S.party_late(number=HOSTILE, what=HOSTILE, unit=NAME + HOSTILE),
}


def test_every_notification_is_checked():
    public = {n for n, f in vars(S).items() if callable(f) and not n.startswith("_") and f.__module__ == S.__name__}
    assert public == set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_typed_values_are_escaped(name):
    text = CALLS[name]()
    assert "<" not in text and ">" not in text  # the 督办 templates have no tags of their own
    assert re.findall(r"&(?!lt;|gt;|amp;)", text) == []
    assert "&lt;b&gt;&amp;\"x" in text


def test_document_caption():
    assert S.document_caption(number=NO) == "📄 督办通知书 综治〔2026〕12号（Word 文件，可直接打印）"


def test_issued_to_unit():
    fields = dict(number=NO, level="yellow", source="upper", case_number="2026-0012", summary="两户争执",
                  confidential=False, requirements="调解到位", due="2026年12月10日 17:30", feedback="书面反馈")
    assert S.issued_to_unit(**fields) == (
        "🟡 督办通知书 综治〔2026〕12号（黄牌·上级交办）\n事项 2026-0012：两户争执\n督办要求：调解到位\n"
        "办理期限：2026年12月10日 17:30\n反馈要求：书面反馈\n请点「签收」，并按期报告进展和结果。")
    again = S.issued_to_unit(**fields, reissued_from="综治〔2026〕11号", reissue_reason="未见调解协议")
    assert again == ("↩️ 中心对督办通知书 综治〔2026〕11号 的办理结果不认可，重新督办。\n理由：未见调解协议\n"
                     + S.issued_to_unit(**fields))
    secret = S.issued_to_unit(**{**fields, "summary": "秘密", "confidential": True})
    assert CONFIDENTIAL_SUMMARY in secret and "秘密" not in secret


def test_issued_to_director():
    assert S.issued_to_director(number=NO, level="normal", unit="镇司法所", case_number="2026-0012",
                                due="2026年12月10日 17:30") == (
        "📮 已下达督办通知书 综治〔2026〕12号（普通）：镇司法所，事项 2026-0012，期限 2026年12月10日 17:30。")


def test_copied():
    assert S.copied(number=NO, level="red", unit="镇司法所", case_number="2026-0012", summary="两户争执",
                    confidential=False, requirements="调解到位", due="2026年12月10日 17:30") == (
        "📨 抄送：🔴 督办通知书 综治〔2026〕12号（红牌）\n承办单位：镇司法所\n事项 2026-0012：两户争执\n"
        "督办要求：调解到位\n办理期限：2026年12月10日 17:30\n供知悉，无需签收。")
    assert S.copied_confidential(number=NO) == (
        "📨 抄送：督办通知书 综治〔2026〕12号（保密事项，详情不随抄送发送；需要时请联系中心主任）。")


def test_signed():
    assert S.signed(unit="镇司法所", who="李联络", number=NO) == "✍️ 镇司法所 李联络 已签收督办通知书 综治〔2026〕12号。"


def test_entry_reported():
    assert S.entry_reported(unit="镇司法所", who="李联络", number=NO, kind="result", text="已调解", files=0) == (
        "📝 镇司法所 李联络 报送督办通知书 综治〔2026〕12号 的办理结果：\n已调解")
    assert S.entry_reported(unit="镇司法所", who="李联络", number=NO, kind="progress", text="已约谈",
                            files=2).endswith("：\n已约谈\n（附件 2 个）")


def test_answered():
    assert S.answered(unit="镇司法所", who="李联络", number=NO, kind="materials", text="见附件", files=1) == (
        "📤 镇司法所 李联络 答复了督办通知书 综治〔2026〕12号 的「调阅有关调处材料」要求：\n见附件\n（附件 1 个）")


def test_party_recorded():
    assert S.party_recorded(unit="镇司法所", who="李联络", number=NO, text="电话告知") == (
        "📣 镇司法所 李联络 已告知当事人：督办通知书 综治〔2026〕12号\n电话告知")


def test_accepted():
    assert S.accepted(number=NO) == "✅ 督办通知书 综治〔2026〕12号 的办理结果已获中心认可，本次督办办结。"


def test_requested():
    assert S.requested(kind="briefing", number=NO, case_number="2026-0012", text="请来中心汇报") == (
        "📂 中心要求主管领导或经办人汇报办理情况：督办通知书 综治〔2026〕12号（事项 2026-0012）\n请来中心汇报\n请点「答复」报送。")


def test_closed():
    assert S.closed(who="刘领导", number=NO, what="经批准结案", note="已化解", due="2026年12月7日 10:00") == (
        "📁 经 刘领导 批准，督办通知书 综治〔2026〕12号经批准结案。\n说明：已化解\n"
        "请于 2026年12月7日 10:00 前告知当事人，告知后点「已告知当事人」登记。")


def test_sign_reminder_and_escalation():
    assert S.sign_reminder(number=NO, hours=4.0) == (
        "⏰ 督办通知书 综治〔2026〕12号 下达已超过 4 个工作小时仍未签收，请立即点「签收」。")
    assert S.sign_escalation(unit="镇司法所", hours=2.5, number=NO, case_number="2026-0012") == (
        "⚠️ 镇司法所 超过 2.5 个工作小时未签收督办通知书 综治〔2026〕12号（事项 2026-0012）。")


def test_overdue():
    assert S.overdue_to_unit(number=NO, case_number="2026-0012", due="2026年12月10日 17:30", raised=True) == (
        "🔴 督办通知书 综治〔2026〕12号（事项 2026-0012）已于 2026年12月10日 17:30 到期仍未办结，督办级别升为红牌。\n"
        "请点「说明超期原因」，报告超期原因及目前进展。")
    assert S.overdue_to_director(number=NO, unit="镇司法所", case_number="2026-0012", raised=False) == (
        "🔴 督办通知书 综治〔2026〕12号 已超期：镇司法所，事项 2026-0012。已要求其报告超期原因及进展。")


def test_yellow():
    assert S.yellow_to_unit(number=NO, percent=80, due="2026年12月10日 17:30") == (
        "🟡 督办通知书 综治〔2026〕12号 已用去 80% 的办理时间仍未办结，督办级别升为黄牌。期限 2026年12月10日 17:30，"
        "请抓紧办理并报告进展。")
    assert S.yellow_to_director(number=NO, unit="镇司法所", percent=80) == (
        "🟡 督办通知书 综治〔2026〕12号（镇司法所）已用去 80% 的办理时间仍未办结，已自动升为黄牌。")


def test_party_reminders():
    assert S.party_reminder(number=NO, case_number="2026-0012", what="经批准结案", due="2026年12月7日 10:00") == (
        "📣 提醒：督办通知书 综治〔2026〕12号（事项 2026-0012）经批准结案，须于 2026年12月7日 10:00 前告知当事人，尚未登记。"
        "告知后请点「已告知当事人」。")
    assert S.party_late(number=NO, what="经批准移送县信访局办理", unit="镇司法所") == (
        "⚠️ 督办通知书 综治〔2026〕12号经批准移送县信访局办理已满 3 日，镇司法所 仍未登记告知当事人。")
