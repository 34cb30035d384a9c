"""The demo township's 联合办理, 会商, 请示 and 已到场 (issue 16 items 4, 5, 7), made through the
services before the start:

- a major 征地拆迁 dispute in 东山村 led by 镇司法所 (吴刚) with 镇派出所 (郑红) as 协办; the center
  convened a 会商 (刘海峰, 孙丽, 镇司法所, 镇派出所, 镇自然资源所) and recorded its conclusion;
- the director's 督办通知书 on it, signed by 吴刚, who has asked the center leaders (请示: 需要协调):
  刘海峰, 赵敏 or 王志强 can answer it from the notice's notification;
- the urgent 群体性事件苗头 of last week: 刘海峰 (东山村…石桥村's contact point) recorded 已到场 with
  the location.
"""

from datetime import timedelta

from sqlmodel import select

from bot.services import cases, joint, scene, supervision
from bot.services.cases import CaseDraft, PartyInput
from bot.services.intake import IntakePolicy
from bot.services.supervision import instruct
from models import CaseType, InstructionReason, Severity


def build(db, town, at, policy: IntakePolicy, location: tuple[float, float]) -> dict[str, object]:
    p, u = town.people, town.units
    deadlines = policy.deadlines
    cal = deadlines.calendar(db.session)
    types = {t.subtype: t.id for t in db.session.exec(select(CaseType))}
    draft = CaseDraft(type_id=types.get("征地拆迁纠纷", next(iter(types.values()))), severity=Severity.complex,
                      description="东山村二组 8 户村民对道路拓宽征地补偿标准有异议，阻拦施工", people_count=8,
                      village_id=town.villages["东山村"], grid_id=town.grids[("东山村", "第一网格")],
                      parties=(PartyInput("李长根", "13812340008"),), request="按新标准补偿青苗和附属物",
                      occurred_at=at(3, 9))
    ref = db.call(cases.submit, actor_id=p["张伟"], draft=draft, now=at(3, 9, 20))
    db.call(cases.accept, actor_id=p["孙丽"], case_id=ref.id, now=at(3, 9, 40), policy=deadlines)
    db.call(cases.assign, actor_id=p["孙丽"], case_id=ref.id, unit_id=u["镇司法所"], now=at(3, 9, 50),
            policy=deadlines)
    db.call(joint.toggle_co_unit, actor_id=p["孙丽"], case_id=ref.id, unit_id=u["镇派出所"], now=at(3, 9, 55),
            policy=deadlines)
    db.call(cases.add_progress, actor_id=p["郑红"], case_id=ref.id, text="已派民警到施工现场维持秩序，未发生冲突",
            now=at(2, 10))
    db.call(joint.record_consultation, actor_id=p["孙丽"], case_id=ref.id, held_at=at(2, 15),
            person_ids=[p["刘海峰"], p["孙丽"]], unit_ids=[u["镇司法所"], u["镇派出所"], u["镇自然资源所"]],
            conclusion="自然资源所三日内复核补偿标准；司法所牵头入户调解；派出所继续维护现场秩序", now=at(2, 17),
            tz=deadlines.tz)
    notice = db.call(supervision.issue, actor_id=p["王志强"], case_id=ref.id, unit_id=u["镇司法所"],
                     due_date=cal.local(cal.add_working_days(town.start, 2).at).date(),
                     requirements="请按会商分工牵头入户调解，限期化解并书面反馈", now=at(1, 9), policy=deadlines)
    db.call(supervision.sign, actor_id=p["吴刚"], notice_id=notice.id, now=at(1, 9, 30), tz=deadlines.tz)
    asked = db.call(instruct.ask, actor_id=p["吴刚"], notice_id=notice.id, reason=InstructionReason.coordination,
                    detail="补偿标准需自然资源所复核后才能入户调解，请中心协调并同意延期五个工作日", now=at(0, 8, 40),
                    tz=deadlines.tz)
    # 刘海峰 at the scene of last week's urgent case in 西河村 (his contact point).
    major = town.cases.get("major")
    if major is not None:
        arrived = db.call(scene.arrive, actor_id=p["刘海峰"], case_id=major, now=at(5, 15, 35), tz=deadlines.tz)
        db.call(scene.record_location, actor_id=p["刘海峰"], case_id=major, now=arrived.arrived_at + timedelta(minutes=2),
                latitude=location[0], longitude=location[1], tz=deadlines.tz)
    return {"case": ref.id, "number": ref.number, "notice": notice.id, "notice_number": notice.number,
            "instruction": asked.id}
