"""notify.upward: the 上报上级 chase; what people typed is escaped, a confidential summary is not shown."""

import re

from bot import texts
from bot.texts import notify


def _safe(html: str) -> bool:
    return "<" not in html and ">" not in html and not re.search(r"&(?!(?:lt|gt|amp);)", html)


def test_typed_values_are_escaped_and_confidential_summaries_hidden():
    text = notify.upward.chase(number="2026-0001", type='<b>&"x', summary="<30人 & 更多", confidential=False,
                               at="12月05日 10:20", first_report=False)
    assert _safe(text) and "&lt;30人 &amp; 更多" in text
    secret = notify.upward.chase(number="2026-0001", type="三股势力", summary="某某在某地活动", confidential=True,
                                 at="12月05日 10:20", first_report=True)
    assert "某某" not in secret and texts.CONFIDENTIAL_SUMMARY in secret


def test_the_chase_says_since_when_and_what_to_do():
    assert notify.upward.chase(number="2026-0001", type="邻里纠纷", summary="两户争吵", confidential=False,
                               at="12月05日 10:20", first_report=False) == (
        "📤 待上报上级：事项 2026-0001\n邻里纠纷｜两户争吵\n重大疑难事项，登记于 12月05日 10:20，已过 1 个工作日，"
        "还没有上报上级部门的记录（重大疑难事项应同时上报上级部门和领导）。\n"
        "已经报告的，请点「📤 上报上级」补记部门和方式；还没有报告的，请尽快报告后记录。")
    assert "初报已于 12月05日 10:20 报送党委" in notify.upward.chase(
        number="2026-0001", type="群体性事件苗头", summary="聚集", confidential=False, at="12月05日 10:20", first_report=True)
