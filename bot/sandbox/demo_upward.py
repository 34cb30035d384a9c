"""The demo township's 上报上级 (信息报告制度, 服务承诺 三), made through the services before the start on
existing cases (so every other list keeps its figures):

- the 砖厂 gathering whose 信息报告 is under way (demo_info_reports): 孙丽 phoned 县委政法委 and 县综治中心
  right after the 初报, and recorded it: its card shows 「已上报：…」, its 初报 what went up after it;
- a 重大疑难 dispute of two working days ago over a homestead boundary in 东山村, reported by 张伟 and accepted by 孙丽,
  was never recorded as reported upward: the first sweep after the start tells 王志强 and 张伟 once, with
  「📤 上报上级」 to record it late. (Last week's 西河村 gathering was not recorded either, but it is
  archived: a closed case is not chased.)
"""

from sqlmodel import select

from bot.config import DEFAULT_UPPER_DEPARTMENTS
from bot.services import alerts, cases, intake, upward_reports
from bot.services.cases import CaseDraft
from bot.services.intake import IntakePolicy
from models import CaseType, Severity, Source, UpwardWay, UrgentAlert

DEPARTMENTS = ("县委政法委", "县综治中心")
REPLY = "县委政法委值班室接报，要求处置情况随时续报"


def build(db, town, at, policy: IntakePolicy) -> dict[str, object]:
    p = town.people
    case_id = town.cases["reporting"]
    db.call(upward_reports.departments, defaults=DEFAULT_UPPER_DEPARTMENTS.split(","), now=at(1, 9, 50))
    db.call(upward_reports.record, actor_id=p["孙丽"], case_id=case_id, departments=list(DEPARTMENTS),
            way=UpwardWay.phone, reply=REPLY, now=at(1, 9, 50))
    dispute = db.session.exec(select(CaseType.id).where(CaseType.subtype == "房屋宅基地纠纷")).one()
    draft = CaseDraft(type_id=dispute, severity=Severity.major, source=Source.grid, people_count=20,
                      people_count_approx=True, description="两户村民因宅基地边界多次发生冲突，双方亲属二十余人对峙",
                      request="重新勘界，调解边界争议", village_id=town.villages["东山村"],
                      grid_id=town.grids[("东山村", "第一网格")], occurred_at=at(2, 10))
    ref = db.call(intake.register_report, actor_id=p["张伟"], draft=draft, now=at(2, 10, 20), policy=policy).case
    alert = db.session.exec(select(UrgentAlert).where(UrgentAlert.case_id == ref.id)).first()
    if alert is not None:
        db.call(alerts.acknowledge_urgent, person_id=p["刘海峰"], alert_id=alert.id, now=at(2, 10, 25),
                tz=policy.deadlines.tz)
    db.call(cases.accept, actor_id=p["孙丽"], case_id=ref.id, now=at(2, 10, 40), policy=policy.deadlines)
    town.cases["unreported"], town.numbers["unreported"] = ref.id, ref.number  # one of the demo's cases, in every list
    return {"case": case_id, "number": town.numbers["reporting"], "unreported": ref.id, "unreported_number": ref.number}
