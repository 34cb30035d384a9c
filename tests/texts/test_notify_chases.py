"""notify.chases: the 受理 / 答复 chases; typed values are escaped."""

import re

import pytest

from bot.texts import notify

HOSTILE = '<b>&"x'


def _safe(html: str) -> bool:
    """No tag and no bare ampersand (the templates have no tags of their own)."""
    return "<" not in html and ">" not in html and not re.search(r"&(?!(?:lt|gt|amp);)", html)


@pytest.mark.parametrize("chase", [notify.chases.accept, notify.chases.accept_director])
def test_accept_chases_escape(chase):
    assert _safe(chase(number=HOSTILE, type=HOSTILE, summary="<script>x</script>", confidential=False, created="x"))


@pytest.mark.parametrize("chase", [notify.chases.reply, notify.chases.reply_director])
def test_reply_chases_escape(chase):
    assert _safe(chase(number=HOSTILE, type=HOSTILE, summary="<script>x</script>", confidential=False, resolved="x"))


def test_chases_read_as_before():
    fields = dict(number="2026-0012", type="邻里纠纷", summary="噪音扰民", confidential=False)
    assert notify.chases.accept(created="12月1日 09:00", **fields) == (
        "⏰ 待受理：事项 2026-0012\n邻里纠纷｜噪音扰民\n登记于 12月1日 09:00，至今未受理。"
        "请受理；不属于中心职责的，请「不予受理」并告知办理途径。")
    assert notify.chases.accept_director(created="12月1日 09:00", **fields) == (
        "⏰ 未受理督促：事项 2026-0012\n邻里纠纷｜噪音扰民\n登记于 12月1日 09:00，已提醒受理台，仍未受理。请督促受理或直接受理。")
    assert notify.chases.reply(resolved="12月2日 10:00", **fields) == (
        "📞 待答复：事项 2026-0012\n邻里纠纷｜噪音扰民\n已于 12月2日 10:00 办结，还没有登记答复当事人。"
        "请答复当事人后点「答复」登记。")
    assert notify.chases.reply_director(resolved="12月2日 10:00", **{**fields, "confidential": True}) == (
        "📞 未答复督促：事项 2026-0012\n邻里纠纷｜（保密事项，详情请在卡片中查看）\n已于 12月2日 10:00 办结，"
        "已提醒经办人，仍未答复当事人。请督促答复。")
