"""The demo township's 综治工作计划 (工作职责 1), made through the services before the start:

- this quarter's plan, drafted by 孙丽 ten working days ago and 印发 by 王志强 (综治发〔…〕1号), with
  four tasks: 镇司法所's reported done (吴刚); 镇派出所's past its date, so the sweep told 郑红 and
  the director yesterday morning; 孙丽's due in two working days, so she was reminded; 何永福's
  (东山村) due in three weeks, for a trainee to report on from /plan;
- next quarter's plan, a draft of two tasks, for 王志强 to 印发 (or anyone of the center to add to).

Every date is clamped into its quarter, so the demo holds whatever day the sandbox starts on.
"""

from datetime import date

from sqlmodel import select

from bot.services import work_plans
from bot.services.intake import IntakePolicy
from models import PlanPeriod, PlanTask


def build(db, town, at, policy: IntakePolicy) -> dict[str, int]:
    p, u = town.people, town.units
    deadlines = policy.deadlines
    cal = deadlines.calendar(db.session)
    made = at(10, 9)
    quarter = (made.month - 1) // 3 + 1
    _, end = work_plans.period_days(PlanPeriod.quarter, made.year, quarter)
    last = cal.working_day_on_or_before(end)

    def within(day: date) -> date:
        return min(max(day, made.date()), last)

    def ahead(n: int) -> date:
        return within(cal.local(cal.add_working_days(town.start, n).at).date())

    plan = db.call(work_plans.create, actor_id=p["孙丽"], period=PlanPeriod.quarter, year=made.year, part=quarter,
                   aim="以防范化解矛盾纠纷为重点，抓好年终岁末社会稳定，推进平安村（社区）创建，确保不发生重大群体性事件。",
                   now=made)
    tasks = (("组织开展矛盾纠纷集中排查，各村（社区）建立化解台账", {"unit_id": u["镇司法所"]}, within(at(5, 9).date())),
             ("加强重点路段、学校周边夜间巡逻防控", {"unit_id": u["镇派出所"]}, within(at(3, 9).date())),
             ("汇总本季度排查情况，形成分析报告报党委", {"person_id": p["孙丽"]}, ahead(2)),
             ("东山村开展平安家庭创建入户宣传", {"person_id": p["何永福"]}, ahead(15)))
    for text, owner, due in tasks:
        db.call(work_plans.add_task, actor_id=p["孙丽"], plan_id=plan, text=text, due_on=due, now=made,
                policy=deadlines, **owner)
    db.call(work_plans.issue, actor_id=p["王志强"], plan_id=plan, code="综治", now=at(9, 10), policy=deadlines)
    done = db.session.exec(select(PlanTask.id).where(PlanTask.plan_id == plan, PlanTask.seq == 1)).one()
    db.call(work_plans.report_progress, actor_id=p["吴刚"], task_id=done, text="已排查 6 个村，发现纠纷 9 起",
            now=at(7, 15))
    db.call(work_plans.report_done, actor_id=p["吴刚"], task_id=done, now=at(6, 16),
            text="10 个村（社区）全部排查完毕，化解纠纷 12 起，台账已建立")
    db.call(work_plans.sweep, now=at(1, 9), policy=deadlines)  # 派出所 past its date; 孙丽's close

    following = quarter % 4 + 1
    year = made.year + (quarter == 4)
    _, next_end = work_plans.period_days(PlanPeriod.quarter, year, following)
    draft = db.call(work_plans.create, actor_id=p["孙丽"], period=PlanPeriod.quarter, year=year, part=following,
                    aim="巩固平安创建成果，做好重大节日和敏感时期维稳安保，推进重点整治区域摘帽。", now=at(2, 10))
    month = (following - 1) * 3 + 2
    for text, owner, due in (
            ("节日期间开展矛盾纠纷排查和安全隐患大检查", {"unit_id": u["镇派出所"]},
             cal.working_day_on_or_before(work_plans.period_days(PlanPeriod.month, year, month)[1])),
            ("组织中心干部开展政治和业务学习", {"person_id": p["周明"]}, cal.working_day_on_or_before(next_end))):
        db.call(work_plans.add_task, actor_id=p["孙丽"], plan_id=draft, text=text, due_on=due, now=at(2, 10),
                policy=deadlines, **owner)
    return {"plan": plan, "draft": draft}

