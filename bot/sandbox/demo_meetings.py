"""The demo township's meetings (issue 15): last week's 工作例会 with its minutes and three decisions
(one closed, one received and under way, one linked to the overdue case and itself overdue), a
联席会议 whose important decision waits for the secretary's 党委会议 record, and the next weekly
meeting with its invitations out and one answer in. This week has no 工作例会: the first sweep tells
the director (例会制度 一), whose button starts scheduling one. Made through the services, before
the start."""

from datetime import time, timedelta

from bot.services import decisions, meetings
from bot.services.decisions import Owner
from bot.services.intake import IntakePolicy
from models import MeetingKind, Venue


def build(db, town, at, policy: IntakePolicy) -> dict[str, int]:
    """`db` is the demo's one-transaction caller, `at(n, hh, mm)` a moment n working days before
    the start. Returns the meetings and decisions made, by what they show."""
    deadlines = policy.deadlines
    cal = deadlines.calendar(db.session)
    p, made = town.people, {}
    director = p["王志强"]

    # last week's weekly meeting (its default slot), scheduled the week before
    last_week = meetings.weekly_slot(cal, cal.local(town.start).date() - timedelta(days=7))
    if last_week is None or last_week >= town.start - timedelta(hours=1):
        last_week = at(5, 8, 30)
    before = last_week - timedelta(days=3)
    weekly = db.call(meetings.schedule, actor_id=director, kind=MeetingKind.weekly, starts_at=last_week,
                     place=Venue.center.value, now=before, policy=deadlines)
    made["past_weekly"] = weekly.id
    for name in ("刘海峰", "赵敏", "孙丽"):
        db.call(meetings.answer, actor_id=p[name], meeting_id=weekly.id, attend=True, now=before + timedelta(hours=1))
    db.call(meetings.answer, actor_id=p["周明"], meeting_id=weekly.id, attend=False, reason="外出参加县司法局培训",
            now=before + timedelta(hours=2))
    during = last_week + timedelta(minutes=5)
    for name in ("王志强", "刘海峰", "孙丽"):
        db.call(meetings.sign_in, actor_id=p[name], meeting_id=weekly.id, now=last_week - timedelta(minutes=10))
    for item in ("传达县综治委第四季度工作会议精神", "通报上周新登记、办结及超期事项情况，点评西河村山林纠纷办理进度",
                 "部署本周矛盾纠纷排查和冬季消防安全检查"):
        db.call(meetings.add_minute, actor_id=director, meeting_id=weekly.id, text=item, now=during)
    overdue = db.call(decisions.add, actor_id=director, meeting_id=weekly.id, text="镇司法所牵头化解西河村山林权属纠纷，三日内拿出调处方案",
                      owner=Owner(unit_id=town.units["镇司法所"]), days=3, case_number=town.numbers["overdue"],
                      now=during, policy=deadlines)
    under_way = db.call(decisions.add, actor_id=director, meeting_id=weekly.id, text="东山村排查老旧民房私拉乱接电线隐患",
                        owner=Owner(village_id=town.villages["东山村"]), days=10, now=during, policy=deadlines)
    done = db.call(decisions.add, actor_id=director, meeting_id=weekly.id, text="镇派出所加强西河村村口夜间巡逻",
                   owner=Owner(unit_id=town.units["镇派出所"]), days=2, now=during, policy=deadlines)
    db.call(meetings.close_minutes, actor_id=director, meeting_id=weekly.id, now=last_week + timedelta(hours=1))
    db.call(decisions.receive, actor_id=p["刘海峰"], decision_id=under_way.id, now=last_week + timedelta(hours=2))
    db.call(decisions.progress, actor_id=p["刘海峰"], decision_id=under_way.id, text="已排查一组、二组共 36 户，发现隐患 5 处",
            now=last_week + timedelta(days=1), policy=deadlines)
    db.call(decisions.report_done, actor_id=p["郑红"], decision_id=done.id, evidence="已连续三晚巡逻，约谈小卖部经营者并签订承诺书",
            now=last_week + timedelta(days=1, hours=2))
    db.call(decisions.accept, actor_id=director, decision_id=done.id, now=last_week + timedelta(days=1, hours=3))
    made.update(overdue_decision=overdue.id, open_decision=under_way.id, closed_decision=done.id)

    # a 联席会议 organised by the 综治办 two working days ago: its important decision is held
    joint_at = at(2, 14, 30)
    joint = db.call(meetings.schedule, actor_id=p["孙丽"], kind=MeetingKind.joint, starts_at=joint_at,
                    place=Venue.town_hall.value, now=joint_at - timedelta(days=2), policy=deadlines)
    db.call(meetings.add_minute, actor_id=p["孙丽"], meeting_id=joint.id, text="研究西河村山林权属纠纷的化解方案",
            now=joint_at + timedelta(minutes=10))
    held = db.call(decisions.add, actor_id=p["孙丽"], meeting_id=joint.id, important=True,
                   text="由镇自然资源所会同西河村重新勘定山林界址，报镇政府确认",
                   owner=Owner(unit_id=town.units["镇自然资源所"]), days=10, now=joint_at + timedelta(minutes=30),
                   policy=deadlines)
    db.call(meetings.close_minutes, actor_id=p["孙丽"], meeting_id=joint.id, now=joint_at + timedelta(hours=1))
    made.update(joint=joint.id, held_decision=held.id)

    # next week's weekly meeting: invitations out this morning, one answer in. This week's is missing
    # (the director was called to the county), whatever the start's hour: the frequency warning shows.
    today = cal.local(town.start).date()
    next_monday = today + timedelta(days=7 - today.weekday())
    nxt = meetings.next_weekly_slot(cal, cal.at(next_monday, time(0)))
    upcoming = db.call(meetings.schedule, actor_id=director, kind=MeetingKind.weekly, starts_at=nxt,
                       place=Venue.center.value, now=at(0, 8, 0), policy=deadlines)
    db.call(meetings.answer, actor_id=p["赵敏"], meeting_id=upcoming.id, attend=True, now=at(0, 8, 20))
    made["upcoming"] = upcoming.id
    return made
