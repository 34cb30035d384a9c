"""The demo township's 信息报告 still under way, made through the services before the start: the card's
「📄 信息报告」 button, /inforeport's list of what waits, and the 终报 chase (bot/services/info_reports.py).

A 群体性事件苗头 in 东山村 reported by 张伟 on the previous working day: the urgent alert taken by 刘海峰
(东山村's contact point), the party committee phoned at once (电话报告 recorded), the 初报 sent within the hour, the case accepted
and handled by 周明, its 终报 still missing. Those who may write it (张伟, the center's staff and
leaders, 王志强) find it on the card and in /inforeport (「🏁 … 续报/终报」); a trainee who records 办结
without a 终报 sees the sweep remind 张伟 and 王志强 once.
"""

from sqlmodel import select

from bot.services import alerts, cases, info_reports, intake
from bot.services.cases import CaseDraft
from bot.services.intake import IntakePolicy
from models import CaseType, InfoReport, Severity, Source, UrgentAlert


def build(db, town, at, policy: IntakePolicy) -> dict[str, object]:
    p = town.people
    mass = db.session.exec(select(CaseType.id).where(CaseType.subtype == "群体性事件苗头")).one()
    draft = CaseDraft(type_id=mass, severity=Severity.major, source=Source.grid, people_count=30, people_count_approx=True,
                      description="约三十名村民在镇砖厂门口聚集，反映拖欠运输费用", request="结清拖欠的运输费用",
                      village_id=town.villages["东山村"], grid_id=town.grids[("东山村", "第一网格")],
                      occurred_at=at(1, 9))
    ref = db.call(intake.register_report, actor_id=p["张伟"], draft=draft, now=at(1, 9, 10), policy=policy).case
    town.cases["reporting"], town.numbers["reporting"] = ref.id, ref.number  # one of the demo's cases, in every list
    alert = db.session.exec(select(UrgentAlert).where(UrgentAlert.case_id == ref.id)).first()
    if alert is not None:
        db.call(alerts.acknowledge_urgent, person_id=p["刘海峰"], alert_id=alert.id, now=at(1, 9, 13),
                tz=policy.deadlines.tz)
    first = db.session.exec(select(InfoReport).where(InfoReport.case_id == ref.id)).one()
    db.call(info_reports.record_phone, actor_id=p["张伟"], report_id=first.id, now=at(1, 9, 20))
    filled = {"occurred": "前一工作日 9 时许", "place": "镇砖厂门口", "cause": "砖厂拖欠村民运输费用，村民聚集讨要",
              "course": "约 30 名村民在砖厂门口聚集，情绪较激动，未发生冲突",
              "measures": "包村领导刘海峰到场劝导，派出所民警维持秩序，砖厂负责人承诺当日答复",
              "reporter": "张伟 13800000007"}
    for key, value in filled.items():
        db.call(info_reports.save_field, actor_id=p["张伟"], report_id=first.id, field=key, value=value)
    db.call(info_reports.submit_report, actor_id=p["张伟"], report_id=first.id, now=at(1, 9, 35))
    db.call(cases.accept, actor_id=p["孙丽"], case_id=ref.id, now=at(1, 9, 40), policy=policy.deadlines)
    db.call(cases.assign, actor_id=p["孙丽"], case_id=ref.id, handler_id=p["周明"], now=at(1, 9, 45))
    db.call(cases.add_progress, actor_id=p["周明"], case_id=ref.id, text="已约砖厂负责人和村民代表面谈，核对欠款",
            now=at(1, 15))
    return {"case": ref.id, "number": ref.number, "first": first.id}
