"""The demo township's 督办通知书 to a person (承办人员, 信息督办制度 三–六 "承办单位(人员)"), made
through the services before the start on an existing case (so every other list keeps its figures):

- the 赡养 dispute in 东山村 that 周明 handles, due the next working day: yesterday afternoon the
  director supervised 周明 himself (综治〔2026〕2号, shared numbering with the units' notices). It
  waits for his 签收: as 周明 a trainee finds it in /supervisions with the buttons a unit's contact
  has (签收, then 进展, 结果 …); its .docx is addressed 「周明同志：」.
"""

from bot.services import supervision
from bot.services.intake import IntakePolicy

REQUIREMENTS = "请于期限前约谈老人的两个儿子，明确赡养责任并形成书面协议，逐日反馈进展"


def build(db, town, at, policy: IntakePolicy) -> dict[str, object]:
    p = town.people
    deadlines = policy.deadlines
    cal = deadlines.calendar(db.session)
    case_id = town.cases["due_tomorrow"]
    notice = db.call(supervision.issue, actor_id=p["王志强"], case_id=case_id, assignee_id=p["周明"],
                     due_date=cal.local(cal.add_working_days(town.start, 3).at).date(),
                     requirements=REQUIREMENTS, now=at(1, 16, 50), policy=deadlines)
    return {"case": case_id, "notice": notice.id, "number": notice.number, "person": p["周明"]}
