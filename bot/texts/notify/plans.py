"""The cards and notifications of a 综治工作计划 (bot/services/work_plans.py). Everything typed is
escaped here, once."""

from bot.texts import plans as t
from bot.texts.markup import escape


def _e(value) -> str:
    return escape(value if value is not None else "")


def card(*, title: str, number: str | None, status: str, aim: str, tasks: list[tuple[str, int, str, str, str]],
         done: int) -> str:
    """`tasks`: (icon, number, text, owner, due). The 总体目标 and each task are cut short, so that a full
    plan (30 tasks) stays one message; the task's card and the Word copy have them whole."""
    lines = "".join(t.CARD_TASK.format(icon=icon, seq=seq, text=_e(t.cut(text, t.CARD_TASK_CHARS)), owner=_e(owner),
                                       due=due) for icon, seq, text, owner, due in tasks)
    return t.CARD.format(title=title, number=t.CARD_NUMBER.format(number=number) if number else "", status=status,
                         aim=_e(t.cut(aim, t.CARD_AIM_CHARS)), done=done, total=len(tasks), tasks=lines or t.NO_TASK_YET)


def issued_status(*, who: str, when: str) -> str:
    return t.CARD_ISSUED.format(who=_e(who), when=when)


def draft_status(*, who: str) -> str:
    return t.CARD_DRAFT.format(who=_e(who))


def task_card(*, title: str, seq: int, text: str, owner: str, due: str, status: str,
              progress: tuple[str, str] | None, result: tuple[str, str, str] | None, returned: str | None) -> str:
    """`progress`: (when, text); `result`: (who, when, text)."""
    return t.TASK_CARD.format(
        title=title, seq=seq, text=_e(text), owner=_e(owner), due=due, status=status,
        progress=t.TASK_PROGRESS.format(when=progress[0], text=_e(progress[1])) if progress else "",
        result=t.TASK_RESULT.format(who=_e(result[0]), when=result[1], text=_e(result[2])) if result else "",
        returned=t.TASK_RETURNED.format(text=_e(returned)) if returned else "")


def issued(*, title: str, number: str, tasks: list[tuple[int, str, str]]) -> str:
    """To an owner: their tasks, (number, text, due), cut short as on the plan's card."""
    lines = "".join(t.TO_ISSUED_TASK.format(seq=seq, text=_e(t.cut(text, t.CARD_TASK_CHARS)), due=due)
                    for seq, text, due in tasks)
    return t.TO_ISSUED.format(title=title, number=number, tasks=lines)


def circulated(*, title: str, number: str, who: str, count: int) -> str:
    return t.TO_CIRCULATED.format(title=title, number=number, who=_e(who), count=count)


def done(*, title: str, seq: int, who: str, text: str, result: str) -> str:
    return t.TO_DONE.format(title=title, seq=seq, who=_e(who), text=_e(text), result=_e(result))


def sent_back(*, title: str, seq: int, who: str, reason: str) -> str:
    return t.TO_SENT_BACK.format(title=title, seq=seq, who=_e(who), reason=_e(reason))


def chase_soon(*, title: str, seq: int, text: str, due: str) -> str:
    return t.CHASE_SOON.format(title=title, seq=seq, text=_e(text), due=due)


def chase_overdue(*, title: str, seq: int, text: str, due: str, owner: str) -> str:
    return t.CHASE_OVERDUE.format(title=title, seq=seq, text=_e(text), due=due, owner=_e(owner))
