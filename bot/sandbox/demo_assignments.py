"""The demo township's 上级交办 and 上门受理 (issue 16), made through the services before the start:

- 上级交办: a 县信访局 matter, its 交办时限 two working days after the start, not yet reported back
  (the card shows it, the sweep will chase it); and a 镇党委 matter finished and reported back 书面
  (in the 上级交办事项台账 with 按时).
- 上门受理: 孙丽's request for 钱老汉 (年老体弱) waiting for the leaders (刘海峰, 赵敏 or 王志强 open it
  from /homevisit and press 同意 / 不同意), and 周明's approved request for 孙大娘 scheduled for the
  start day at 14:00, 周明 going (the reminder comes at 12:00).
"""

from datetime import timedelta

from bot.services import assignments, home_visits
from bot.services.intake import IntakePolicy
from models import HomeVisitReason, ReportMethod


def build(db, town, at, policy: IntakePolicy) -> dict[str, int]:
    """On two of the demo's cases (so the month's figures stay as they are): 「due_tomorrow」 (婚姻家庭,
    周明 handles it) came from 县信访局, not reported back yet; 「resolved」 (消防隐患) came from 镇党委
    and was reported back 书面."""
    p = town.people
    deadlines = policy.deadlines
    tz = deadlines.tz
    cal = deadlines.calendar(db.session)

    open_case = town.cases["due_tomorrow"]
    due = cal.add_working_days(town.start, 2).at.astimezone(tz).date()  # later than the case's own: kept
    db.call(assignments.record, actor_id=p["孙丽"], case_id=open_case, assigner="县信访局",
            reference="县信访转〔2026〕18号", due_date=due, now=at(2, 10, 20), policy=deadlines)
    done_case = town.cases["resolved"]
    db.call(assignments.record, actor_id=p["孙丽"], case_id=done_case, assigner="镇党委",
            reference="镇党委交〔2026〕3号", due_date=town.start.astimezone(tz).date(), now=at(1, 9),
            policy=deadlines)
    db.call(assignments.record_sent, actor_id=p["孙丽"], case_id=done_case, method=ReportMethod.paper,
            now=at(1, 16), tz=tz)

    # 上门受理: one waiting for a leader, one approved and scheduled
    pending, _ = db.call(home_visits.request, actor_id=p["孙丽"], party_name="钱老汉", phone="13812340031",
                         address="东山村三组12号", reason=HomeVisitReason.elderly,
                         note="八十五岁独居，腿脚不便，反映与邻居宅基地边界纠纷", now=at(1, 15), tz=tz)
    scheduled, _ = db.call(home_visits.request, actor_id=p["周明"], party_name="孙大娘", phone="13812340032",
                           address="西河村二组5号", reason=HomeVisitReason.ill,
                           note="卧床不起，反映儿子不履行赡养义务", now=at(2, 10), tz=tz)
    db.call(home_visits.decide, actor_id=p["刘海峰"], visit_id=scheduled.id, approve=True, now=at(2, 11))
    db.call(home_visits.schedule, actor_id=p["周明"], visit_id=scheduled.id, visit_at=town.start + timedelta(hours=5),
            visitor_id=p["周明"], now=at(1, 9), tz=tz)
    return {"open_case": open_case, "done_case": done_case, "pending_visit": pending.id,
            "scheduled_visit": scheduled.id}
