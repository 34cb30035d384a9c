"""Notifications about meetings and their decisions (bot/services/meetings.py, decisions.py)."""

from bot.texts.markup import escape

INVITED = "📅 会议通知：{title}\n时间：{when}\n地点：{place}\n组织人：{organiser}{case}\n请点「参加」或「请假」答复。"
INVITED_CASE = "\n调处事项：{number} {summary}\n参加调处部门：{units}"
INVITED_CONFIDENTIAL = "（保密事项，详情会上说明）"
RESCHEDULED = "📅 会议改期：{title}\n原定 {before}，改为 {when}\n地点：{place}\n请重新确认是否参加。"
CANCELLED = "❎ 会议取消：{title}（原定 {when}）。"
CHASE = "⏰ 请答复是否参加：{title}\n时间：{when}\n地点：{place}"
REMINDER_DAY = "🔔 明天开会：{title}\n时间：{when}\n地点：{place}"
REMINDER_HOUR = "🔔 一小时后开会：{title}\n时间：{when}\n地点：{place}\n到场后请点「签到」。"
AGENDA = "📋 会议议程：{title}\n时间：{when}\n地点：{place}\n\n{agenda}"
LEAVE_TOLD = "📝 {name} 请假：{title}\n理由：{reason}"
WEEKLY_MISSING = ("⏰ 本周（{start}—{end}）还没有安排工作例会。中心每周召开一次例会。\n"
                  "请点「安排工作例会」选定时间，参会人会收到通知。")
JOINT_MISSING = ("⏰ {year}年第{quarter}季度还没有安排联席会议，本季度到 {end} 结束。联席会议每季度召开一次，"
                 "由中心主任召集、综治办组织。\n请点「安排联席会议」选定时间，或请综治办安排。")

DECISION_ISSUED = ("📌 会议议定事项交办：{number}\n{text}\n责任方：{owner}\n期限：{due}（{days} 个工作日）{case}\n"
                   "请点「收到」确认；办理中可报「进展」，办完点「已完成」并写明完成情况。")
DECISION_CASE = "\n关联事项：{case}"
DECISION_APPROVAL_ASK = ("🏛 待党委会议审定：{number}\n{text}\n责任方：{owner}\n"
                         "该事项标为「重要」，经党委会议审定后才交办。会议审定后请点下方按钮登记结果。")
DECISION_REFUSED = "🏛 党委会议未同意：{number}\n{text}\n该事项不再交办。{note}"
DECISION_PROGRESS = "📈 议定事项进展：{number}\n{owner}：{progress}"
DECISION_REPORTED = "✅ 议定事项报完成：{number}\n{text}\n{owner}报：{evidence}\n请验收：认可即销号，不认可退回继续办理。"
DECISION_CLOSED = "🎉 议定事项已销号：{number}\n{text}"
DECISION_RETURNED = "↩️ 议定事项完成情况未被认可，请继续办理：{number}\n{text}\n意见：{note}"
DECISION_REMINDER = "{step}：会议议定事项 {number}\n{text}\n责任方：{owner}\n期限：{due}｜{left}"


def _e(value) -> str:
    return escape(value if value is not None else "")


def invited(*, title: str, when: str, place: str, organiser: str, case: tuple[str, str, str] | None = None) -> str:
    """`case`: a 调处会's (case number, summary or None when confidential, departments)."""
    case_line = INVITED_CASE.format(number=case[0], summary=_e(case[1]) if case[1] is not None else INVITED_CONFIDENTIAL,
                                    units=_e(case[2])) if case else ""
    return INVITED.format(title=_e(title), when=when, place=_e(place), organiser=_e(organiser), case=case_line)


def rescheduled(*, title: str, before: str, when: str, place: str) -> str:
    return RESCHEDULED.format(title=_e(title), before=before, when=when, place=_e(place))


def cancelled(*, title: str, when: str) -> str:
    return CANCELLED.format(title=_e(title), when=when)


def chase(*, title: str, when: str, place: str) -> str:
    return CHASE.format(title=_e(title), when=when, place=_e(place))


def reminder(*, title: str, when: str, place: str, hour: bool, agenda: str | None = None) -> str:
    text = (REMINDER_HOUR if hour else REMINDER_DAY).format(title=_e(title), when=when, place=_e(place))
    return f"{text}\n\n{_e(agenda)}" if agenda else text


def leave(*, name: str, title: str, reason: str) -> str:
    return LEAVE_TOLD.format(name=_e(name), title=_e(title), reason=_e(reason))


def agenda(*, title: str, when: str, place: str, agenda: str) -> str:
    return AGENDA.format(title=_e(title), when=when, place=_e(place), agenda=_e(agenda))


def decision_issued(*, number: str, text: str, owner: str, due: str, days: int, case: str | None) -> str:
    return DECISION_ISSUED.format(number=_e(number), text=_e(text), owner=_e(owner), due=due, days=days,
                                  case=DECISION_CASE.format(case=_e(case)) if case else "")


def approval_ask(*, number: str, text: str, owner: str) -> str:
    return DECISION_APPROVAL_ASK.format(number=_e(number), text=_e(text), owner=_e(owner))


def decision_refused(*, number: str, text: str, note: str | None) -> str:
    return DECISION_REFUSED.format(number=_e(number), text=_e(text), note=_e(note or ""))


def decision_progress(*, number: str, owner: str, progress: str) -> str:
    return DECISION_PROGRESS.format(number=_e(number), owner=_e(owner), progress=_e(progress))


def decision_reported(*, number: str, text: str, owner: str, evidence: str) -> str:
    return DECISION_REPORTED.format(number=_e(number), text=_e(text), owner=_e(owner), evidence=_e(evidence))


def decision_closed(*, number: str, text: str) -> str:
    return DECISION_CLOSED.format(number=_e(number), text=_e(text))


def decision_returned(*, number: str, text: str, note: str) -> str:
    return DECISION_RETURNED.format(number=_e(number), text=_e(text), note=_e(note))


def decision_reminder(*, step: str, number: str, text: str, owner: str, due: str, left: str) -> str:
    return DECISION_REMINDER.format(step=step, number=_e(number), text=_e(text[:200]), owner=_e(owner), due=due,
                                    left=left)


def weekly_missing(*, start: str, end: str) -> str:
    return WEEKLY_MISSING.format(start=start, end=end)


def joint_missing(*, year: int, quarter: int, end: str) -> str:
    return JOINT_MISSING.format(year=year, quarter=quarter, end=end)
