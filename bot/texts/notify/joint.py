"""Notifications of joint handling (协办, 会商), 请示 on a 督办 notice and 已到场 (issue 16)."""

from bot.texts.markup import escape

CONFIDENTIAL = "（保密事项，详情请在卡片中查看）"
CO_UNIT_ADDED = ("📌 事项 {number} 请贵单位协办（主办：{lead}）。\n{type}｜{village}\n{summary}{due}\n"
                 "请在事项卡片上报送进展；由主办单位办结。")
CONSULTATION = "🗣 事项 {number} 会商（{at}）\n参加：{participants}\n结论：{conclusion}"
INSTRUCTION_ASKED = ("🙋 请示：{unit} 就督办通知书 {number}（事项 {case_number}）请示\n事由：{reason}\n{detail}\n"
                     "原期限：{due}。请点下方按钮答复。")
INSTRUCTION_ANSWERED = "📨 督办通知书 {number} 的请示已由 {who} 答复：{answer}{extra}\n{text}"
INSTRUCTION_NEW_DUE = "，新期限 {due}"
ARRIVED = "📍 {who} 已到达事项 {number} 现场\n到场时间：{at}\n{where}"


def _e(value) -> str:
    return escape(value if value is not None else "")


def co_unit_added(*, number: str, unit: str, lead: str, type: str, village: str, summary: str, confidential: bool,
                  due: str) -> str:
    return CO_UNIT_ADDED.format(number=number, lead=_e(lead), type=_e(type), village=_e(village) or "—",
                                summary=CONFIDENTIAL if confidential else _e(summary),
                                due=f"\n期限：{_e(due)}" if due else "")


def consultation(*, number: str, at: str, participants: str, conclusion: str, confidential: bool) -> str:
    return CONSULTATION.format(number=number, at=_e(at), participants=_e(participants),
                               conclusion=CONFIDENTIAL if confidential else _e(conclusion))


def instruction_asked(*, unit: str, number: str, case_number: str, reason: str, detail: str, due: str) -> str:
    return INSTRUCTION_ASKED.format(unit=_e(unit), number=_e(number), case_number=case_number, reason=_e(reason),
                                    detail=_e(detail), due=_e(due))


def instruction_answered(*, number: str, who: str, answer: str, text: str, new_due: str = "") -> str:
    extra = INSTRUCTION_NEW_DUE.format(due=_e(new_due)) if new_due else ""
    return INSTRUCTION_ANSWERED.format(number=_e(number), who=_e(who), answer=_e(answer), extra=extra, text=_e(text))


def arrived(*, who: str, number: str, at: str, where: str) -> str:
    return ARRIVED.format(who=_e(who), number=number, at=_e(at), where=_e(where))
