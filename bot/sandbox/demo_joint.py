"""The demo township's 联合办理, 会商, 请示 and 已到场 (issue 16 items 4, 5, 7), made through the
services before the start, on the demo's existing cases (so every other list keeps its figures):

- the overdue 山林权属 dispute in 西河村, led by 镇司法所 (吴刚), gets 镇派出所 (郑红) as 协办, and the
  center convened a 会商 on it (刘海峰, 孙丽, 镇司法所, 镇派出所, 镇自然资源所) whose conclusion is recorded,
  and this morning 孙丽 called a 调处会 on it for the next working day in the village (镇自然资源所 added to
  the two units; 吴刚 has answered 参加): on the case card, in /meetings, minutes to record;
- 郑红 has asked the center leaders about the demo's 督办通知书 (请示: 需要协调): 刘海峰, 赵敏 or 王志强
  answer it from the notice card (/supervisions);
- the urgent 群体性事件苗头 of last week: 刘海峰 (西河村's contact point) recorded 已到场 with the location.
"""

from datetime import datetime, time, timedelta

from sqlmodel import select

from bot.services import joint, meetings, scene
from bot.services.intake import IntakePolicy
from bot.services.supervision import instruct
from models import InstructionReason, MeetingKind, SupervisionNotice, Venue


def build(db, town, at, policy: IntakePolicy, location: tuple[float, float]) -> dict[str, object]:
    p, u = town.people, town.units
    deadlines = policy.deadlines
    case_id = town.cases["overdue"]
    db.call(joint.toggle_co_unit, actor_id=p["孙丽"], case_id=case_id, unit_id=u["镇派出所"], now=at(5, 9, 30),
            policy=deadlines)
    db.call(joint.record_consultation, actor_id=p["孙丽"], case_id=case_id, held_at=at(2, 15),
            person_ids=[p["刘海峰"], p["孙丽"]], unit_ids=[u["镇司法所"], u["镇派出所"], u["镇自然资源所"]],
            conclusion="自然资源所三日内查明山林界址；司法所牵头组织两个村民小组调解；派出所维护现场秩序",
            now=at(2, 17), tz=deadlines.tz)
    today = deadlines.calendar(db.session).local(town.start).date()
    next_day = next(d for d in db.call(meetings.working_days_ahead, now=town.start, policy=deadlines) if d > today)
    mediation = db.call(meetings.schedule, actor_id=p["孙丽"], kind=MeetingKind.mediation,
                        starts_at=datetime.combine(next_day, time(9, 30), tzinfo=deadlines.tz),
                        place=Venue.village_hall.value, case_id=case_id, unit_ids=[u["镇自然资源所"]],
                        now=at(0, 8, 30), policy=deadlines)
    db.call(meetings.answer, actor_id=p["吴刚"], meeting_id=mediation.id, attend=True, now=at(0, 8, 45))
    notice = db.session.exec(select(SupervisionNotice).where(
        SupervisionNotice.number == town.notices["in_progress"])).one()
    asked = db.call(instruct.ask, actor_id=p["郑红"], notice_id=notice.id, reason=InstructionReason.coordination,
                    detail="小卖部经营者拒不配合整改，需市场监管所联合执法，请中心协调", now=at(0, 8, 40),
                    tz=deadlines.tz)
    major = town.cases["major"]
    arrived = db.call(scene.arrive, actor_id=p["刘海峰"], case_id=major, now=at(5, 15, 35), tz=deadlines.tz)
    db.call(scene.record_location, actor_id=p["刘海峰"], case_id=major, now=arrived.arrived_at + timedelta(minutes=2),
            latitude=location[0], longitude=location[1], tz=deadlines.tz)
    return {"case": case_id, "number": town.numbers["overdue"], "notice": notice.id, "notice_number": notice.number,
            "instruction": asked.id, "mediation": mediation.id}
