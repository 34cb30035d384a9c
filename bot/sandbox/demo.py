"""The demo township of the training sandbox, made through the services as people would make it:
villages and grids, units, the director registered first, everyone else by invitation, contact
points, the case desk, a duty roster, and a few cases in different states so no list is empty.

Everything happens at moments before the sandbox's start (working days earlier), so deadlines,
lights and reminders behave as they would in a real center that has been running for a while.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import select

from bot.db import Database
from bot.sandbox import (
    demo_announce,
    demo_assessment,
    demo_assignments,
    demo_baoan,
    demo_categories,
    demo_contact,
    demo_focus,
    demo_info_reports,
    demo_joint,
    demo_meetings,
    demo_notice_person,
    demo_paicha,
    demo_plans,
    demo_situation,
    demo_upward,
)
from bot.services import (
    alerts,
    baoan,
    cases,
    info_reports,
    intake,
    invitations,
    outbox,
    people,
    places,
    stats,
    supervision,
)
from bot.services.cases import CaseDraft, PartyInput
from bot.services.digests import mark_sent as mark_digests_sent
from bot.services.intake import IntakePolicy
from bot.services.workdays import CENTER_TZ, WorkCalendar
from models import (
    Agreement,
    CaseType,
    InfoReport,
    InfoReportKind,
    Outcome,
    ReplyMethod,
    Role,
    Satisfaction,
    Severity,
    Source,
    UrgentAlert,
)

SH = CENTER_TZ  # the demo town keeps the center's time

VILLAGES = ["东山村", "西河村", "南岭村", "北坪村", "石桥村", "桃源村", "青龙村", "枫林村", "柳溪社区", "新街社区"]
GRIDS = ["第一网格", "第二网格"]
UNITS = ["镇司法所", "镇派出所", "镇信访办", "镇自然资源所", "镇市场监管所", "镇人社所"]
# A fixed spot in the township for 📍 buttons: Telegram clients send the phone's position.
DEMO_LOCATION = (30.27415, 120.15515)
# Telegram ids of the demo people; a new unregistered user gets one of its own (see STRANGER).
DIRECTOR_TID = 1001


@dataclass(frozen=True)
class Persona:
    """A demo person as the page shows them: whom you can act as."""

    telegram_id: int
    name: str
    phone: str
    role: Role | None  # the role they are invited with (None: not registered)
    title: str  # what the page calls them, e.g. 包村领导（东山村…）
    village: str | None = None
    grid: str | None = None
    unit: str | None = None
    contact_villages: tuple[str, ...] = ()
    case_desk: bool = False
    # Registered from the people list (the roster import) and bound by phone at their first /start, as a
    # village head is: an invitation for a 单位联络人 needs a unit, a village head has none.
    from_roster: bool = False

    def to_json(self) -> dict:
        return {
            "user_id": self.telegram_id,
            "name": self.name,
            "phone": self.phone,
            "role": self.role.value if self.role else None,
            "title": self.title,
            "place": " ".join(p for p in (self.village, self.grid, self.unit) if p),
        }


PERSONAS: tuple[Persona, ...] = (
    Persona(1001, "王志强", "13800000001", Role.director, "中心主任（系统管理员）"),
    Persona(1002, "陈建国", "13800000002", Role.secretary, "党委书记"),
    Persona(1003, "刘海峰", "13800000003", Role.leader, "中心领导·包村领导（东山村、西河村、南岭村、北坪村、石桥村）",
            contact_villages=("东山村", "西河村", "南岭村", "北坪村", "石桥村")),
    Persona(1004, "赵敏", "13800000004", Role.leader, "中心领导·包村领导（桃源村、青龙村、枫林村、两个社区）",
            contact_villages=("桃源村", "青龙村", "枫林村", "柳溪社区", "新街社区")),
    Persona(1005, "孙丽", "13800000005", Role.staff, "中心工作人员（受理台）", case_desk=True),
    Persona(1006, "周明", "13800000006", Role.staff, "中心工作人员"),
    Persona(1007, "张伟", "13800000007", Role.grid, "网格员（东山村 第一网格）", village="东山村", grid="第一网格"),
    Persona(1008, "李娜", "13800000008", Role.grid, "网格员（西河村 第一网格）", village="西河村", grid="第一网格"),
    Persona(1009, "吴刚", "13800000009", Role.unit, "承办单位联络人（镇司法所）", unit="镇司法所"),
    Persona(1010, "郑红", "13800000010", Role.unit, "承办单位联络人（镇派出所）", unit="镇派出所"),
    Persona(1011, "马建华", "13800000011", Role.township_leader, "镇党政领导·副镇长（可由党委书记指定包案）"),
    # A village head (issue 17): a 单位联络人 registered to a village with no unit — 东山村 is their /score.
    Persona(1012, "何永福", "13800000012", Role.unit, "村委会主任（东山村，村级考核对象）", village="东山村",
            from_roster=True),
)
STRANGER = Persona(1099, "林晓", "13900000099", None, "新用户（未登记，可试用邀请码登记）")
ALL_PERSONAS = (*PERSONAS, STRANGER)


def persona(name: str) -> Persona:
    return next(p for p in ALL_PERSONAS if p.name == name)


@dataclass
class DemoTown:
    """Ids of what was made, for the sandbox and its tests."""

    start: datetime
    villages: dict[str, int] = field(default_factory=dict)
    grids: dict[tuple[str, str], int] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)  # name → person id
    cases: dict[str, int] = field(default_factory=dict)  # what it shows → case id
    numbers: dict[str, str] = field(default_factory=dict)  # what it shows → case number
    notices: dict[str, str] = field(default_factory=dict)  # the case it is about → 督办通知书 number
    meetings: dict[str, int] = field(default_factory=dict)  # what it shows → meeting or decision id (issue 15)
    announcements: dict[str, int] = field(default_factory=dict)  # what it shows → 传达 id (issue 16)
    paicha: dict[str, int] = field(default_factory=dict)  # past / current 排查 period id (issue 16)
    assignments: dict[str, int] = field(default_factory=dict)  # 上级交办 cases, 上门受理 requests (issue 16)
    assessment: dict[str, int] = field(default_factory=dict)  # what it shows → its id (issue 17)
    categories: dict[str, int] = field(default_factory=dict)  # 事项类型 → case type id (issue 16)
    joint: dict[str, object] = field(default_factory=dict)  # 联合办理/会商, 请示, 已到场 (issue 16)
    info_reports: dict[str, object] = field(default_factory=dict)  # a major event whose 终报 is missing
    baoan: dict[str, object] = field(default_factory=dict)  # an approved 包案 with a 上级协调 record
    contact: dict[str, int] = field(default_factory=dict)  # 工作联系点 records (demo_contact.py)
    situation: dict[str, int] = field(default_factory=dict)  # 形势分析 (demo_situation.py)
    notice_to_person: dict[str, object] = field(default_factory=dict)  # a 督办通知书 to 周明 (承办人员)
    upward: dict[str, object] = field(default_factory=dict)  # 上报上级: one recorded, one chased at the start
    focus: dict[str, int] = field(default_factory=dict)  # 重点整治区域 by village → its id
    plans: dict[str, int] = field(default_factory=dict)  # 综治工作计划: the issued one and a draft (demo_plans.py)


def default_start(real_now: datetime, cal: WorkCalendar) -> datetime:
    """09:00 of the latest working day up to today (Asia/Shanghai): a morning in the office,
    whatever the hour or day the sandbox is started."""
    day = real_now.astimezone(cal.tz).date()
    for _ in range(60):
        if cal.is_workday(day)[0]:
            break
        day -= timedelta(days=1)
    return datetime.combine(day, time(9, 0), tzinfo=cal.tz)


def _working_days_before(cal: WorkCalendar, day: date, n: int) -> date:
    while n > 0:
        day -= timedelta(days=1)
        n -= cal.is_workday(day)[0]
    return day


class _OneTransaction:
    """`db.call` for the demo: every service call in one session, so the whole township is one
    unit of work (a fresh sandbox is ready sooner, and a failure leaves no half-made town)."""

    def __init__(self, session):
        self.session = session

    def call(self, fn, /, **kwargs):
        return fn(session=self.session, **kwargs)


def build(db: Database, *, start: datetime, policy: IntakePolicy) -> DemoTown:
    """Make the township; `start` is the sandbox's first moment (a working-day morning)."""
    with db.session() as session:
        return _build(_OneTransaction(session), start=start, policy=policy)


def _build(db: _OneTransaction, *, start: datetime, policy: IntakePolicy) -> DemoTown:
    tz = policy.deadlines.tz
    cal = policy.deadlines.calendar(db.session)
    today = start.astimezone(tz).date()

    def at(working_days_before: int, hh: int, mm: int = 0) -> datetime:
        day = _working_days_before(cal, today, working_days_before)
        return datetime.combine(day, time(hh, mm), tzinfo=tz)

    town = DemoTown(start=start)
    setup = at(12, 9)

    # The director registers first (BOOTSTRAP_ADMIN_IDS), then sets up places and invites everyone.
    director = PERSONAS[0]
    boss = db.call(people.bootstrap_admin, telegram_id=director.telegram_id, name=director.name, now=setup)
    town.people[director.name] = boss.id
    for name in VILLAGES:
        village = db.call(places.create_village, actor_id=boss.id, name=name, now=setup)
        town.villages[name] = village.id
        for grid_name in GRIDS:
            grid = db.call(places.create_grid, actor_id=boss.id, village_id=village.id, name=grid_name, now=setup)
            town.grids[(name, grid_name)] = grid.id
    for name in UNITS:
        town.units[name] = db.call(places.create_unit, actor_id=boss.id, name=name, now=setup).id

    for p in PERSONAS[1:]:
        if p.from_roster:
            joined = setup + timedelta(hours=1)
            db.call(people.create_person, name=p.name, phone=p.phone, roles={p.role}, now=setup,
                    village_id=town.villages[p.village])
            view = db.call(people.bind_by_phone, telegram_id=p.telegram_id, phone=p.phone, now=joined)
            town.people[p.name] = view.id
            continue
        code = db.call(
            invitations.create_invitation, actor_id=boss.id, role=p.role, now=setup,
            grid_id=town.grids[(p.village, p.grid)] if p.grid else None,
            unit_id=town.units[p.unit] if p.unit else None,
        ).code
        joined = setup + timedelta(hours=1)
        view = db.call(invitations.redeem_invitation, code=code, telegram_id=p.telegram_id, name=p.name,
                       phone=p.phone, now=joined)
        town.people[p.name] = view.id
        for village in p.contact_villages:
            db.call(people.toggle_contact_point, actor_id=boss.id, person_id=view.id,
                    village_id=town.villages[village], now=joined)
        if p.case_desk:
            db.call(people.set_case_desk, actor_id=boss.id, person_id=view.id, on=True, now=joined)
    _roster(db, boss.id, today, setup)
    _cases(db, town, at, policy)
    _stats_history(db, town, start, policy)  # 统计分析 (issue 14)
    town.meetings = demo_meetings.build(db, town, at, policy)
    town.announcements = demo_announce.build(db, town, at, policy)  # 传达 (issue 16)
    town.paicha = demo_paicha.build(db, town, at, policy)  # 排查 returns (issue 16)
    town.assignments = demo_assignments.build(db, town, at, policy)  # 上级交办, 上门受理 (issue 16)
    town.assessment = demo_assessment.build(db, town, at, policy)  # 目标管理考核 (issue 17)
    town.categories = demo_categories.build(db, town, at, policy)  # 事项类型 (issue 16)
    town.joint = demo_joint.build(db, town, at, policy, DEMO_LOCATION)  # 联合办理, 会商, 请示, 已到场 (issue 16)
    town.info_reports = demo_info_reports.build(db, town, at, policy)  # 信息报告 under way: card, /inforeport
    town.baoan = demo_baoan.build(db, town, at, policy)  # an approved 包案 with a 上级协调 record
    town.contact = demo_contact.build(db, town, at, policy)  # 工作联系点 records, one problem to answer
    town.situation = demo_situation.build(db, town, at, policy)  # 形势分析: last month's, a draft asked for
    town.notice_to_person = demo_notice_person.build(db, town, at, policy)  # 督办 to a 承办人员 (周明)
    town.upward = demo_upward.build(db, town, at, policy)  # 上报上级: one recorded, one not (chased)
    town.focus = demo_focus.build(db, town, at, policy)  # 重点整治区域: one guided, one chased for its 方案
    town.plans = demo_plans.build(db, town, at, policy)  # 综治工作计划: this quarter's under way, the next drafted
    _forget_old_notifications(db, start)
    # The start day's 08:30 digests count as sent: the first one a trainee sees is the next working
    # morning's (「+1 工作日」 or 「到明天 08:30」), with what happened in the sandbox since.
    db.call(mark_digests_sent, day=today, now=start)
    return town


ROSTER_GAP_DAYS = 2  # always within the chase's reach: the second next working day is two days off at least


def _roster(db: _OneTransaction, actor_id: int, today: date, now: datetime) -> None:
    """值班表, as the bulk upload: the two staff take turns on duty and the two leaders lead in
    turns, two weeks back and three ahead. The day after tomorrow has no leader on call yet: the
    director hears of the gap in working hours and arranges it by the button (alerts.sweep_duty_gaps)."""
    rows = []
    for number, offset in enumerate(range(-14, 22), start=2):
        day = today + timedelta(days=offset)
        turn = day.toordinal() % 2
        leader = "" if offset == ROSTER_GAP_DAYS else ("刘海峰", "赵敏")[turn]
        rows.append((number, day.isoformat(), ("孙丽", "周明")[turn], leader))
    db.call(alerts.import_roster, actor_id=actor_id, rows=rows, now=now)


def _cases(db: _OneTransaction, town: DemoTown, at, policy: IntakePolicy) -> None:
    types = {t.subtype: t.id for t in db.session.exec(select(CaseType))}
    deadlines = policy.deadlines
    cal = deadlines.calendar(db.session)
    p = town.people

    def report(key: str, reporter: str, when: datetime, subtype: str, village: str, description: str,
               *, grid: str | None = "第一网格", severity=Severity.general, parties=(), people_count=None,
               request=None, source=Source.grid, approx=False) -> int:
        draft = CaseDraft(
            type_id=types[subtype], severity=severity, description=description, source=source,
            village_id=town.villages[village], grid_id=town.grids[(village, grid)] if grid else None,
            parties=tuple(parties), people_count=people_count, request=request, occurred_at=when,
            people_count_approx=approx,
        )
        ref = db.call(intake.register_report, actor_id=p[reporter], draft=draft, now=when, policy=policy).case
        town.cases[key], town.numbers[key] = ref.id, ref.number
        return ref.id

    # 1. Done and archived: mediated, replied to, the party satisfied.
    case = report("archived", "张伟", at(9, 9, 40), "邻里纠纷", "东山村",
                  "两户因排水沟堵塞发生争吵，互不相让", parties=[PartyInput("赵大海", "13812340001")],
                  people_count=2, request="疏通排水沟，赔偿损失")
    db.call(cases.accept, actor_id=p["孙丽"], case_id=case, now=at(9, 10), policy=deadlines)
    db.call(cases.assign, actor_id=p["孙丽"], case_id=case, handler_id=p["周明"], now=at(9, 10, 5))
    db.call(cases.add_progress, actor_id=p["周明"], case_id=case, text="已到现场查看，约双方下午调解",
            now=at(8, 9, 30))
    db.call(cases.resolve, actor_id=p["周明"], case_id=case, outcome=Outcome.mediated, agreement=Agreement.oral,
            summary="双方同意共同出资疏通排水沟，互不追究", now=at(8, 16))
    db.call(cases.record_reply, actor_id=p["周明"], case_id=case, method=ReplyMethod.phone, replied_at=at(7, 10),
            now=at(7, 10, 5))
    db.call(cases.record_satisfaction, actor_id=p["周明"], case_id=case, level=Satisfaction.satisfied, now=at(7, 10, 6))
    db.call(cases.archive, actor_id=p["孙丽"], case_id=case, now=at(7, 11))

    # 2. Assigned to the judicial office, no progress reported, overdue (a red light; the director's
    #    reminders).
    case = report("overdue", "李娜", at(7, 14, 40), "土地山林水利权属纠纷", "西河村",
                  "两个村民小组对一片山林的界址有争议，多次协商未果", severity=Severity.general,
                  people_count=12, request="明确山林权属界址")
    db.call(cases.accept, actor_id=p["孙丽"], case_id=case, now=at(6, 9), policy=deadlines)
    db.call(cases.assign, actor_id=p["孙丽"], case_id=case, unit_id=town.units["镇司法所"], now=at(6, 9, 10))
    # It needs the township government: the director proposes the 副镇长 as 包案领导; the secretary
    # decides in /baoan (批准, or 另选领导).
    db.call(baoan.propose, actor_id=p["王志强"], case_id=case, leader_id=p["马建华"],
            reason="涉及两个村民小组的山林权属，需镇政府协调自然资源所处理", now=at(1, 9, 30))

    # 3. Due on the next working day, in 东山村: "+1 工作日" brings the due-day reminder to the
    #    handler and to the village's contact-point leader (刘海峰), each with 收到.
    case = report("due_tomorrow", "张伟", at(2, 9, 20), "婚姻家庭纠纷", "东山村",
                  "夫妻因赡养老人问题长期争吵，老人要求调解", parties=[PartyInput("钱秀英")],
                  people_count=3, request="明确赡养责任")
    db.call(cases.accept, actor_id=p["孙丽"], case_id=case, now=at(2, 10), policy=deadlines)
    db.call(cases.assign, actor_id=p["孙丽"], case_id=case, handler_id=p["周明"], now=at(2, 10, 10))
    db.call(cases.add_progress, actor_id=p["周明"], case_id=case, text="已电话联系老人的两个儿子，约定面谈",
            now=at(1, 15))

    # 4. In progress at the police station, fresh.
    case = report("in_progress", "李娜", at(1, 10, 15), "其他治安问题", "西河村",
                  "村口小卖部夜间有人聚集喧哗，影响周边休息", grid="第一网格", people_count=6)
    db.call(cases.accept, actor_id=p["周明"], case_id=case, now=at(1, 10, 30), policy=deadlines)
    db.call(cases.assign, actor_id=p["周明"], case_id=case, unit_id=town.units["镇派出所"], now=at(1, 10, 40))
    db.call(cases.add_progress, actor_id=p["郑红"], case_id=case, text="已安排夜间巡逻", now=at(1, 16))
    #    The director supervises it: a 督办通知书 numbered as GB/T 9704 writes it (综治〔2026〕1号),
    #    signed for by the station; its card and .docx open from the case card.
    notice = db.call(supervision.issue, actor_id=p["王志强"], case_id=case, unit_id=town.units["镇派出所"],
                     due_date=cal.local(cal.add_working_days(town.start, 3).at).date(),
                     requirements="请加强夜间巡逻，约谈小卖部经营者，三日内书面反馈整改情况", now=at(1, 16, 30),
                     policy=deadlines)
    db.call(supervision.sign, actor_id=p["郑红"], notice_id=notice.id, now=at(1, 16, 40), tz=deadlines.tz)
    town.notices["in_progress"] = notice.number

    # 5. Resolved, waiting for the reply to the party.
    case = report("resolved", "张伟", at(3, 9, 5), "消防隐患", "东山村",
                  "老旧民房电线私拉乱接，存在火灾隐患", grid="第二网格", people_count=1)
    db.call(cases.accept, actor_id=p["孙丽"], case_id=case, now=at(3, 9, 30), policy=deadlines)
    db.call(cases.resolve, actor_id=p["孙丽"], case_id=case, outcome=Outcome.mediated, agreement=Agreement.no_agreement,
            summary="已联系供电所整改线路", now=at(1, 11))

    # 6. Just reported this morning, waiting on the case desk to be accepted: "+1 工作日" chases the
    #    case desk (孙丽) with 受理, and one more working day the director.
    report("registered", "张伟", at(0, 8, 45), "物业纠纷", "东山村",
           "小区外墙脱落，住户与物业对维修费用分摊有分歧", grid="第二网格", people_count=20,
           request="尽快维修外墙", approx=True)  # 「约20人」: an estimate, as grid workers often give

    # 7. A visitor whose matter is not the center's: recorded with the guidance given (首问负责).
    draft = CaseDraft(type_id=types["来访"], severity=Severity.general, source=Source.visit,
                      description="咨询养老保险补缴政策", village_id=town.villages["南岭村"],
                      parties=(PartyInput("孙老汉"),))
    ref = db.call(cases.register_out_of_scope, actor_id=p["周明"], draft=draft,
                  guidance="请带身份证和户口本到镇人社所窗口办理", now=at(4, 10))
    town.cases["out_of_scope"], town.numbers["out_of_scope"] = ref.id, ref.number

    _major_event(db, town, at, policy, report)


def _major_event(db: _OneTransaction, town: DemoTown, at, policy: IntakePolicy, report) -> None:
    """8. A major event handled last week, for the 信息报告台账 (/ledger): the urgent alert taken, the
    初报 and the 终报 sent to the party committee, the case settled and archived."""
    p = town.people
    case = report("major", "李娜", at(5, 15, 10), "群体性事件苗头", "西河村",
                  "十余名村民因土地补偿款分配问题在村委会聚集", severity=Severity.major, people_count=15,
                  request="公开补偿款分配方案")
    alert = db.session.exec(select(UrgentAlert).where(UrgentAlert.case_id == case)).first()
    if alert is not None:
        db.call(alerts.acknowledge_urgent, person_id=p["刘海峰"], alert_id=alert.id, now=at(5, 15, 14),
                tz=policy.deadlines.tz)
    first = db.session.exec(select(InfoReport).where(InfoReport.case_id == case)).first()
    filled = {"occurred": "当日15时许", "place": "西河村村委会", "cause": "土地补偿款分配有分歧，群众聚集反映诉求",
              "course": "约15名村民到村委会要求公开分配方案，未发生冲突", "measures": "包村领导刘海峰到场劝导，村两委当场答复",
              "reporter": "李娜 13800000008"}
    for key, value in filled.items():
        db.call(info_reports.save_field, actor_id=p["李娜"], report_id=first.id, field=key, value=value)
    db.call(info_reports.submit_report, actor_id=p["李娜"], report_id=first.id, now=at(5, 15, 30))
    db.call(cases.accept, actor_id=p["孙丽"], case_id=case, now=at(5, 15, 40), policy=policy.deadlines)
    db.call(cases.resolve, actor_id=p["孙丽"], case_id=case, outcome=Outcome.mediated, agreement=Agreement.written,
            summary="村两委公开补偿款分配方案，村民认可", now=at(4, 16))
    final = db.call(info_reports.start_next, actor_id=p["孙丽"], case_id=case, kind=InfoReportKind.final,
                    now=at(4, 16, 10))
    db.call(info_reports.save_field, actor_id=p["孙丽"], report_id=final.id, field="next_steps",
            value="村两委做好后续解释工作，防止反复")
    db.call(info_reports.submit_report, actor_id=p["孙丽"], report_id=final.id, now=at(4, 16, 20))
    db.call(cases.record_reply, actor_id=p["孙丽"], case_id=case, method=ReplyMethod.in_person,
            replied_at=at(4, 16, 30), now=at(4, 16, 30))
    db.call(cases.archive, actor_id=p["孙丽"], case_id=case, now=at(3, 9))


def _stats_history(db: _OneTransaction, town: DemoTown, start: datetime, policy: IntakePolicy) -> None:
    """统计分析 (/stats): last month has two cases handled to the end and is frozen (as at 00:00 on the
    1st); a satisfaction recorded since then is a correction, shown as 更正 beside the frozen figure."""
    tz = policy.deadlines.tz
    first = start.astimezone(tz).date().replace(day=1)
    last_month = stats.month_of(first - timedelta(days=1))
    types = {t.subtype: t.id for t in db.session.exec(select(CaseType))}
    p = town.people

    def on(day: int, hh: int, mm: int = 0) -> datetime:
        return datetime.combine(last_month.start + timedelta(days=day - 1), time(hh, mm), tzinfo=tz)

    closed = []
    for day, subtype, village, description, outcome in (
        (12, "邻里纠纷", "石桥村", "两户因院墙滴水发生纠纷", Outcome.mediated),
        (15, "劳动争议（劳资）纠纷", "桃源村", "三名务工人员讨要工钱，与包工头各执一词", Outcome.not_mediated),
    ):
        draft = CaseDraft(type_id=types[subtype], severity=Severity.general, description=description,
                          source=Source.visit, village_id=town.villages[village], occurred_at=on(day, 9))
        ref = db.call(intake.register_report, actor_id=p["孙丽"], draft=draft, now=on(day, 9, 30),
                      policy=policy).case
        db.call(cases.accept, actor_id=p["孙丽"], case_id=ref.id, now=on(day, 10), policy=policy.deadlines)
        db.call(cases.assign, actor_id=p["孙丽"], case_id=ref.id, handler_id=p["周明"], now=on(day, 10, 5))
        db.call(cases.resolve, actor_id=p["周明"], case_id=ref.id, outcome=outcome, agreement=Agreement.oral,
                summary="已调处", now=on(day + 2, 16))
        db.call(cases.record_reply, actor_id=p["周明"], case_id=ref.id, method=ReplyMethod.phone,
                replied_at=on(day + 3, 10), now=on(day + 3, 10, 5))
        closed.append(ref.id)
    db.call(cases.record_satisfaction, actor_id=p["周明"], case_id=closed[0], level=Satisfaction.satisfied,
            now=on(16, 11))
    db.call(stats.freeze, month=last_month, now=datetime.combine(first, time(0), tzinfo=tz), tz=tz)
    # The visit back to the second party, recorded this month: last month's 参评率 gets a 更正.
    db.call(cases.record_satisfaction, actor_id=p["周明"], case_id=closed[1], level=Satisfaction.mostly_satisfied,
            now=start - timedelta(hours=1))


def _forget_old_notifications(db: _OneTransaction, now: datetime) -> None:
    """The demo's history happened before the sandbox starts: its notifications are not sent now
    (the page opens on quiet chats, so what a trainee does next stands out)."""
    while db.call(_mark_all_sent, now=now):
        pass


def _mark_all_sent(session, *, now: datetime) -> int:
    claimed = outbox.claim_due(session, now=now, limit=500, lease_seconds=0)
    for message in claimed:
        outbox.mark_sent(session, message_id=message.id, now=now)
    return len(claimed)
