"""Notifications of 工作联系点 records (bot/services/contact_points.py). Everything typed is escaped here."""

from bot.texts.markup import escape


def problem(*, village: str, who: str, work: str, content: str, problem: str) -> str:
    return (f"📌 【联系点反映问题】{escape(village)} 联系点 {escape(who)}（{escape(work)}）：\n{escape(content)}\n"
            f"❓ 需要中心协调：{escape(problem)}\n请点「答复问题」写明协调安排。")


def answered(*, village: str, problem: str, who: str, answer: str) -> str:
    return (f"💬 【问题已答复】您反映的 {escape(village)} 的问题「{escape(problem)}」，{escape(who)}答复：\n"
            f"{escape(answer)}")


def quiet(*, village: str, since: str, days: int) -> str:
    return (f"📌 【联系点提醒】您联系的 {escape(village)} 自 {since} 起已 {days} 个工作日没有工作记录。"
            "请按联系点制度下村督导，并点下面的按钮记录。")
