"""包案 notifications: what people typed is escaped, the wording is what people read today."""

import re

import pytest

from bot.texts import CONFIDENTIAL_SUMMARY, notify

HOSTILE = '<b>&"x'
NAME = "王<script>alert(1)</script>"
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _hostile(fn):
    return {
        notify.baoan.proposed: lambda: fn(proposer=NAME, leader=NAME, number=HOSTILE, case_type=HOSTILE,
                                          summary=HOSTILE, confidential=False, reason=HOSTILE),
        notify.baoan.refused: lambda: fn(number=HOSTILE, reason=HOSTILE),
        notify.baoan.to_leader: lambda: fn(secretary=NAME, number=HOSTILE, case_type=HOSTILE, summary=HOSTILE,
                                           confidential=False, files=2),
        notify.baoan.approved: lambda: fn(number=HOSTILE, leader=NAME),
        notify.baoan.extension_asked: lambda: fn(leader=NAME, number=HOSTILE, summary=HOSTILE, confidential=False,
                                                 due=HOSTILE, new=HOSTILE, reason=HOSTILE),
        notify.baoan.extension_approved: lambda: fn(who=NAME, number=HOSTILE, due=HOSTILE),
        notify.baoan.extension_refused: lambda: fn(who=NAME, number=HOSTILE, note=HOSTILE, due=HOSTILE),
        notify.baoan.completed: lambda: fn(number=HOSTILE, leader=NAME, outcome=HOSTILE, files=1, joint=HOSTILE),
    }[fn]()


FUNCTIONS = [notify.baoan.proposed, notify.baoan.refused, notify.baoan.to_leader, notify.baoan.approved,
             notify.baoan.extension_asked, notify.baoan.extension_approved, notify.baoan.extension_refused,
             notify.baoan.completed]


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
def test_typed_values_are_escaped(fn):
    text = _hostile(fn)
    assert TAG.findall(text) == []  # the 包案 templates have no tags of their own
    assert "<" not in text and ">" not in text
    assert re.findall(r"&(?!lt;|gt;|amp;)", text) == []
    assert "&lt;b&gt;&amp;\"x" in text


def test_proposed_reads_as_today():
    assert notify.baoan.proposed(proposer="王主任", leader="刘领导", number="2026-0012", case_type="邻里纠纷",
                                 summary="两户因排水沟堵塞起争执", confidential=False, reason="涉及多个部门") == (
        "🧑‍⚖️ 包案审批：王主任 提议由 刘领导 包案\n事项 2026-0012｜邻里纠纷\n两户因排水沟堵塞起争执\n理由：涉及多个部门\n"
        "请点「批准」，或「另选领导」「不同意」。")


def test_a_confidential_summary_stays_out():
    text = notify.baoan.proposed(proposer="王主任", leader="刘领导", number="2026-0012", case_type="邻里纠纷",
                                 summary="秘密", confidential=True, reason="涉及多个部门")
    assert CONFIDENTIAL_SUMMARY in text and "秘密" not in text


def test_refused_reads_as_today():
    assert notify.baoan.refused(number="2026-0012", reason="由网格员先行调解") == (
        "❌ 您提议的包案未获同意：事项 2026-0012\n理由：由网格员先行调解")


def test_to_leader_reads_as_today():
    assert notify.baoan.to_leader(secretary="张书记", number="2026-0012", case_type="邻里纠纷", summary="两户争执",
                                  confidential=False, files=3) == (
        "📌 经党委书记 张书记 批准，由您包案：事项 2026-0012｜邻里纠纷\n两户争执\n材料：附件 3 个，请在事项卡片中查看。\n"
        "请开展调查研究，制定调处方案并定出调处期限。")


def test_approved_reads_as_today():
    assert notify.baoan.approved(number="2026-0012", leader="刘领导") == (
        "✅ 您提议的包案已获批准：事项 2026-0012 由 刘领导 包案。")


def test_extension_asked_reads_as_today():
    assert notify.baoan.extension_asked(leader="刘领导", number="2026-0012", summary="两户争执", confidential=False,
                                        due="2026-12-10", new="2026-12-20", reason="需等待鉴定") == (
        "⏳ 包案延期审批：刘领导 申请延长事项 2026-0012 的调处期限\n两户争执\n当前期限：2026-12-10\n"
        "申请新期限：2026-12-20\n理由：需等待鉴定\n请点「批准延期」或「驳回」。")


def test_extension_approved_reads_as_today():
    assert notify.baoan.extension_approved(who="张书记", number="2026-0012", due="2026-12-20") == (
        "✅ 党委书记 张书记 已批准延期：事项 2026-0012，新期限 2026-12-20。请在延缓期限内办结。")


def test_extension_refused_reads_as_today():
    assert notify.baoan.extension_refused(who="张书记", number="2026-0012", note="请抓紧办理", due="—") == (
        "❌ 党委书记 张书记 未批准延期：事项 2026-0012\n理由：请抓紧办理\n期限不变：—，请按期办结。")


def test_completed_reads_as_today():
    assert notify.baoan.completed(number="2026-0012", leader="刘领导", outcome="调解成功", files=2, joint=None) == (
        "🏁 包案事项 2026-0012 已由 刘领导 办结（调解成功），办结材料 2 个已随事项归档。")
    assert notify.baoan.completed(number="2026-0012", leader="刘领导", outcome="转办", files=0,
                                  joint="已书面告知县信访局") == (
        "🏁 包案事项 2026-0012 已由 刘领导 办结（转办），办结材料 0 个已随事项归档。"
        "\n与上级联合调处，书面告知：已书面告知县信访局")
