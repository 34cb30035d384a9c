"""综治工作计划 as a service (综治中心工作职责 1): the center's people draft a year's, a quarter's or a
month's plan, one per period; each task has one 责任单位 or 责任人 and a 完成时限 on a working day
inside the period; a draft is the center's, hidden from others; only the director 印发 it, with
the plan's own 发文字号, and each owner is told; an issued plan is frozen; only an owner reports
进展 and 完成, the director is told and may 退回; the sweep reminds an owner 3 working days before
the date and tells the owner and the director once it has passed, in working hours only; the 台账.

The town's clock starts on Monday 2026-11-30 09:00 (Shanghai): 镇司法所 with its contact 司法所老李."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import select

from bot.services import digests, ledgers, meetings, numbering, people, report_docx, supervision
from bot.services import work_plans as wp
from bot.services.assessment import agreements, catalogue, scoring
from bot.services.assessment.measures import Subject
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.ledgers import Kind, Period, Scope
from bot.texts import digests as words
from bot.texts import plans as t
from models import MeetingKind, Outbox, Person, PlanPeriod, PlanTask, Role, SubjectKind, TaskStatus, WorkPlan
from tests.factories import local

POLICY = DeadlinePolicy()
DEC = (PlanPeriod.month, 2026, 12)


def _plan(w, actor=None, period=DEC, aim="抓好年底矛盾纠纷排查化解，确保元旦期间社会稳定") -> int:
    kind, year, part = period
    return w.db.call(wp.create, actor_id=actor or w.director, period=kind, year=year, part=part, aim=aim,
                     now=w.clock.now())


def _task(w, plan_id, *, actor=None, text="开展矛盾纠纷集中排查", due=date(2026, 12, 18), unit=None, person=None):
    if unit is None and person is None:
        unit = w.unit.id
    return w.db.call(wp.add_task, actor_id=actor or w.staff, plan_id=plan_id, text=text, due_on=due,
                     now=w.clock.now(), policy=POLICY, unit_id=unit, person_id=person)


def _issue(w, plan_id, actor=None):
    return w.db.call(wp.issue, actor_id=actor or w.director, plan_id=plan_id, code="综治", now=w.clock.now(),
                     policy=POLICY)


def _rows(w, part):
    with w.db.session() as s:
        return list(s.exec(select(Outbox).where(Outbox.key.contains(part)).order_by(Outbox.chat_id)))


def _task_row(w, plan_id, seq=1) -> PlanTask:
    with w.db.session() as s:
        return s.exec(select(PlanTask).where(PlanTask.plan_id == plan_id, PlanTask.seq == seq)).one()


def _issued_plan(w):
    plan_id = _plan(w)
    _task(w, plan_id)  # 镇司法所, 12-18
    _task(w, plan_id, text="元旦前走访重点人员", person=w.staff2, due=date(2026, 12, 31))
    return plan_id, _issue(w, plan_id)


def test_periods_titles_and_numerals():
    assert wp.period_days(PlanPeriod.quarter, 2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert wp.period_days(PlanPeriod.month, 2027, 2) == (date(2027, 2, 1), date(2027, 2, 28))
    assert wp.period_days(PlanPeriod.year, 2027, 0) == (date(2027, 1, 1), date(2027, 12, 31))
    assert t.period_title(PlanPeriod.quarter, 2027, 1) == "2027年第一季度综治工作计划"
    assert t.period_title(PlanPeriod.month, 2026, 12) == "2026年12月综治工作计划"
    assert [t.cn_numeral(n) for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]
    titles = [c.title for c in wp.period_choices(date(2026, 12, 4))]
    assert titles == ["2026年综治工作计划", "2027年综治工作计划", "2026年第四季度综治工作计划",
                      "2027年第一季度综治工作计划", "2026年12月综治工作计划", "2027年1月综治工作计划"]


def test_only_the_center_drafts_one_plan_per_period(w):
    for who in (w.secretary, w.unit_contact, w.grid_worker):
        with pytest.raises(NotAllowed):
            _plan(w, actor=who)
    plan_id = _plan(w, actor=w.staff)
    with pytest.raises(InvalidInput, match="2026年12月综治工作计划已经有了"):
        _plan(w, actor=w.leader)
    assert w.db.call(wp.find, actor_id=w.leader, period=PlanPeriod.month, year=2026, part=12) == plan_id
    with pytest.raises(InvalidInput, match="2–1000"):
        _plan(w, period=(PlanPeriod.month, 2027, 1), aim="好")


def test_a_task_is_due_on_a_working_day_inside_the_period_with_one_owner(w):
    plan_id = _plan(w)
    with pytest.raises(InvalidInput, match="计划期内"):
        _task(w, plan_id, due=date(2027, 1, 8))
    with pytest.raises(InvalidInput, match="2026-12-04"):  # Saturday 12-05: the Friday before is offered
        _task(w, plan_id, due=date(2026, 12, 5))
    with pytest.raises(InvalidInput, match="责任单位或责任人"):
        _task(w, plan_id, person=w.grid_worker, unit=None)  # a grid worker is not a 督办 addressee
    with pytest.raises(InvalidInput, match="责任单位或责任人"):
        w.db.call(wp.add_task, actor_id=w.staff, plan_id=plan_id, text="两个责任", due_on=date(2026, 12, 18),
                  now=w.clock.now(), policy=POLICY, unit_id=w.unit.id, person_id=w.staff2)
    with pytest.raises(NotAllowed):
        _task(w, plan_id, actor=w.secretary)
    assert _task(w, plan_id) == 1
    assert _task(w, plan_id, person=w.staff2, text="走访") == 2
    choices = w.db.call(wp.due_choices, plan_id=plan_id, today=date(2026, 11, 30), policy=POLICY)
    assert choices == [("+5个工作日", date(2026, 12, 8)), ("+10个工作日", date(2026, 12, 15)),
                       ("月底", date(2026, 12, 31))]


def test_removing_a_draft_task_renumbers_the_rest(w):
    plan_id = _plan(w)
    for text in ("一", "二二", "三三"):
        _task(w, plan_id, text=f"任务{text}")
    first = _task_row(w, plan_id, 1)
    assert w.db.call(wp.remove_task, actor_id=w.leader, task_id=first.id) == (plan_id, 1)
    assert [x for _, x in w.db.call(wp.draft_tasks, actor_id=w.staff, plan_id=plan_id)] == [1, 2]
    assert _task_row(w, plan_id, 1).text == "任务二二"


def test_a_draft_is_the_centers_and_only_the_director_issues_it(w):
    plan_id = _plan(w)
    for who in (w.unit_contact, w.secretary):
        with pytest.raises(NotAllowed):
            w.db.call(wp.show, actor_id=who, plan_id=plan_id, now=w.clock.now(), tz=POLICY.tz)
        assert w.db.call(wp.plans, actor_id=who)[0] == []
    with pytest.raises(InvalidInput, match="先添加任务"):
        _issue(w, plan_id)
    with w.db.session() as s:  # a 督办通知书 numbered meanwhile takes its own sequence, not the plan's
        numbering.next_value(s, name=supervision.SEQUENCE, year=2026)
        s.commit()
    _task(w, plan_id)
    _task(w, plan_id, text="元旦前走访重点人员", person=w.staff2, due=date(2026, 12, 31))
    for who in (w.leader, w.staff):
        with pytest.raises(NotAllowed):
            _issue(w, plan_id, actor=who)
    done = _issue(w, plan_id)
    assert (done.title, done.number, done.told) == ("2026年12月综治工作计划", "综治发〔2026〕1号", 2)
    told = _rows(w, f"plan{plan_id}:issued")
    assert [r.chat_id for r in told] == [5, 7]  # 周明 (责任人), 司法所老李 (镇司法所's contact)
    assert "开展矛盾纠纷集中排查" in told[1].text and "元旦前走访" not in told[1].text
    # the others it is 主送 or reported to hear of it once: the secretary (党委), 刘领导, 孙丽; not the
    # owners (told above), the director who issued it, or the grid workers
    others = _rows(w, f"plan{plan_id}:circulated")
    assert [r.chat_id for r in others] == [2, 3, 4] and done.circulated == 3
    assert others[0].text == "📋 王主任已印发《2026年12月综治工作计划》（综治发〔2026〕1号），共 2 项工作任务。请点「查看计划」阅知。"
    with pytest.raises(InvalidInput, match="已印发"):
        _task(w, plan_id, text="再加一项")
    with pytest.raises(InvalidInput, match="已印发"):
        _issue(w, plan_id)
    assert [r.title for r in w.db.call(wp.plans, actor_id=w.unit_contact)[0]] == ["2026年12月综治工作计划"]
    second = _plan(w, period=(PlanPeriod.month, 2027, 1))
    _task(w, second, due=date(2027, 1, 29))
    assert _issue(w, second).number == "综治发〔2026〕2号"  # the year it is issued in, its own sequence


def test_only_an_owner_reports_and_the_director_may_send_a_completion_back(w, head):
    plan_id, _ = _issued_plan(w)
    unit_task, person_task = _task_row(w, plan_id, 1), _task_row(w, plan_id, 2)
    for who, task in ((w.staff, unit_task), (w.unit_contact, person_task), (w.director, unit_task), (head, unit_task)):
        with pytest.raises(NotAllowed):  # a village head is a unit contact too, but not of 镇司法所
            w.db.call(wp.report_done, actor_id=who, task_id=task.id, text="已完成", now=w.clock.now())
        shown = w.db.call(wp.show_task, actor_id=who, task_id=task.id, now=w.clock.now(), tz=POLICY.tz)
        assert shown.buttons == []  # no 报进展 / 报完成 for someone else's task
    w.db.call(wp.report_progress, actor_id=w.unit_contact, task_id=unit_task.id, text="已排查 5 个村", now=w.clock.now())
    w.db.call(wp.report_done, actor_id=w.unit_contact, task_id=unit_task.id, text="排查 10 个村，化解 3 起",
              now=w.clock.now())
    assert [r.chat_id for r in _rows(w, f"plantask{unit_task.id}:done")] == [1]  # the director
    with pytest.raises(InvalidInput, match="已报完成"):
        w.db.call(wp.report_progress, actor_id=w.unit_contact, task_id=unit_task.id, text="补充", now=w.clock.now())
    with pytest.raises(NotAllowed):
        w.db.call(wp.send_back, actor_id=w.leader, task_id=unit_task.id, reason="不够", now=w.clock.now())
    with pytest.raises(InvalidInput, match="还没有报完成"):
        w.db.call(wp.send_back, actor_id=w.director, task_id=person_task.id, reason="不够", now=w.clock.now())
    assert w.db.call(wp.send_back, actor_id=w.director, task_id=unit_task.id, reason="缺少化解台账",
                     now=w.clock.now()) == 1
    row = _task_row(w, plan_id, 1)
    assert (row.status, row.result, row.returned_reason) == (TaskStatus.open, None, "缺少化解台账")
    assert [r.chat_id for r in _rows(w, f"plantask{unit_task.id}:back")] == [7]
    shown = w.db.call(wp.show_task, actor_id=w.unit_contact, task_id=unit_task.id, now=w.clock.now(), tz=POLICY.tz)
    assert "上次退回理由：缺少化解台账" in shown.text and "已排查 5 个村" in shown.text
    assert [label for row in shown.buttons for label, _ in row] == ["📝 报进展", "✅ 报完成"]


@pytest.fixture
def head(w) -> int:
    """何村长, 东山村's head: a unit contact with a village and no unit."""
    with w.db.session() as s:
        return people.create_person(s, name="何村长", phone=None, roles={Role.unit}, telegram_id=12,
                                    now=w.clock.now(), village_id=w.village.id).id


def _sweep(w, *moment):
    w.clock.set(local(*moment))
    return w.db.call(wp.sweep, now=w.clock.now(), policy=POLICY)


def test_the_sweep_reminds_before_the_date_and_tells_once_after_it(w):
    plan_id, _ = _issued_plan(w)  # task 1: 镇司法所 by 12-18 (Fri); task 2: 周明 by 12-31
    draft = _plan(w, period=(PlanPeriod.quarter, 2026, 4))
    _task(w, draft, due=date(2026, 12, 18))  # a draft's task is never chased, due the same day as task 1
    task = _task_row(w, plan_id, 1)
    assert _sweep(w, 2026, 12, 14, 9, 0) == 0  # four working days before: quiet
    assert _sweep(w, 2026, 12, 15, 20, 0) == 0  # three before, but off-hours
    assert _sweep(w, 2026, 12, 15, 9, 0) == 1  # three working days before 12-18: 司法所老李
    assert _sweep(w, 2026, 12, 16, 9, 0) == 0  # once
    assert [r.chat_id for r in _rows(w, f"plantask{task.id}:soon")] == [7]
    assert _sweep(w, 2026, 12, 18, 16, 0) == 0  # the due day itself is not late
    assert _sweep(w, 2026, 12, 21, 9, 0) == 2  # the next working day: the owner and the director
    assert _sweep(w, 2026, 12, 22, 9, 0) == 0
    assert [r.chat_id for r in _rows(w, f"plantask{task.id}:overdue")] == [1, 7]
    # sent back after a completion: chased afresh
    w.db.call(wp.report_done, actor_id=w.unit_contact, task_id=task.id, text="已完成排查", now=w.clock.now())
    w.db.call(wp.send_back, actor_id=w.director, task_id=task.id, reason="缺台账", now=w.clock.now())
    assert _sweep(w, 2026, 12, 23, 9, 0) == 2
    w.db.call(wp.report_done, actor_id=w.unit_contact, task_id=task.id, text="补齐台账", now=w.clock.now())
    assert _sweep(w, 2026, 12, 28, 9, 0) == 1  # only 周明's, three working days before 12-31


def test_the_ledger_and_the_printed_notice(w):
    plan_id, issued = _issued_plan(w)
    task = _task_row(w, plan_id, 1)
    w.clock.set(local(2026, 12, 22, 10, 0))
    w.db.call(wp.report_done, actor_id=w.unit_contact, task_id=task.id, text="排查 10 个村", now=w.clock.now())
    rows = w.db.call(wp.ledger_rows, start=date(2026, 12, 1), end=date(2026, 12, 31), today=date(2026, 12, 22),
                     tz=POLICY.tz)
    assert [(r.seq, r.owner, r.status, r.done) for r in rows] == [
        (1, "镇司法所", "逾期完成", "2026年12月22日"), (2, "周明", "进行中", "")]
    assert rows[0].plan == "《2026年12月综治工作计划》（综治发〔2026〕1号）"
    assert [r.seq for r in w.db.call(wp.ledger_rows, start=date(2026, 12, 1), end=date(2026, 12, 20),
                                     today=date(2026, 12, 22), tz=POLICY.tz)] == [1]  # only the tasks due then
    # a unit's ledger: the tasks it answers for (周明's is the center's own)
    assert [r.owner for r in w.db.call(wp.ledger_rows, start=date(2026, 12, 1), end=date(2026, 12, 31),
                                       today=date(2026, 12, 22), tz=POLICY.tz, unit_id=w.unit.id)] == ["镇司法所"]
    assert w.db.call(wp.ledger_rows, start=date(2026, 12, 1), end=date(2026, 12, 31), today=date(2026, 12, 22),
                     tz=POLICY.tz, village_id=w.village.id) == []
    with w.db.session() as s:
        scoped = ledgers.build(s, kind=Kind.plans, period=Period("month", date(2026, 12, 1), date(2026, 12, 31)),
                               viewer_id=w.director, now=w.clock.now(), tz=POLICY.tz, scope=Scope(unit_id=w.unit.id))
        made = ledgers.build(s, kind=Kind.plans, period=Period("month", date(2026, 12, 1), date(2026, 12, 31)),
                             viewer_id=w.director, now=w.clock.now(), tz=POLICY.tz)
    assert ledgers.takes_scope(Kind.plans) and scoped.rows == 1
    scoped.path.unlink()
    cells = list(load_workbook(made.path).active.iter_rows(values_only=True))
    made.path.unlink()
    assert cells[0][0] == "综治工作计划台账" and made.rows == 2
    header = next(i for i, row in enumerate(cells) if row[0] == "序号")
    assert cells[header + 1][1:4] == ("《2026年12月综治工作计划》（综治发〔2026〕1号）", 1, "开展矛盾纠纷集中排查")
    view = w.db.call(wp.document, actor_id=w.unit_contact, plan_id=plan_id, org="某镇综治中心", tz=POLICY.tz)
    text = "\n".join(p.text for p in Document(BytesIO(report_docx.build_docx(view))).paragraphs)
    assert "综治发〔2026〕1号" in text and "关于印发《2026年12月综治工作计划》的通知" in text
    assert "（一）开展矛盾纠纷集中排查。责任：镇司法所；完成时限：2026年12月18日。" in text
    assert "2026年11月30日" in text  # the issue day under the signature
    with w.db.session() as s:
        assert s.exec(select(WorkPlan)).one().number == issued.number


def test_the_weekly_brief_counts_the_tasks_due_this_week_and_past(w):
    _issued_plan(w)  # 镇司法所 by Fri 12-18, 周明 by Thu 12-31
    brief = w.db.call(digests.weekly_brief, day=date(2026, 12, 14), now=local(2026, 12, 14, 8, 30))
    assert (brief.plan_due, brief.plan_overdue) == (1, 0)
    assert "综治工作计划：本周到期 1 项，已逾期 0 项" in words.weekly(brief)
    brief = w.db.call(digests.weekly_brief, day=date(2026, 12, 21), now=local(2026, 12, 21, 8, 30))
    assert (brief.plan_due, brief.plan_overdue) == (0, 1)
    quiet = w.db.call(digests.weekly_brief, day=date(2026, 12, 7), now=local(2026, 12, 7, 8, 30))
    assert "综治工作计划" not in words.weekly(quiet)  # nothing due or late: no line


def test_the_meetings_draft_agendas_list_the_tasks_to_deploy(w):
    _issued_plan(w)  # 镇司法所 by Fri 12-18, 周明 by Thu 12-31

    def agenda(kind, at):
        m = w.db.call(meetings.schedule, actor_id=w.director, kind=kind, starts_at=at, place="综治中心会议室", now=w.clock.now(),
                      policy=POLICY)
        return w.db.call(meetings.agenda, actor_id=w.director, meeting_id=m.id, now=w.clock.now(), policy=POLICY)

    weekly = agenda(MeetingKind.weekly, local(2026, 12, 14, 8, 30))  # the week of 12-14: only 12-18's
    deploy = weekly[weekly.index("五、部署本周工作"):]
    assert "《2026年12月综治工作计划》第1项 开展矛盾纠纷集中排查（镇司法所，时限 2026年12月18日）" in deploy
    assert "第2项" not in deploy and deploy.index("综治工作计划待完成任务") < deploy.index("六、")
    joint = agenda(MeetingKind.joint, local(2026, 12, 16, 9))  # 下阶段: to the end of next quarter, both
    assert "第1项" in joint and "第2项 元旦前走访重点人员（周明，时限 2026年12月31日）" in joint
    quiet = agenda(MeetingKind.weekly, local(2026, 12, 7, 8, 30))  # nothing due that week
    assert "综治工作计划" not in quiet


def test_a_full_plan_fits_one_message(w):
    plan_id = _plan(w, aim="总" * 1000)
    for n in range(wp.MAX_TASKS):
        _task(w, plan_id, text=f"<任务{n}>" + "务" * 290, person=w.staff2)
    shown = w.db.call(wp.show, actor_id=w.director, plan_id=plan_id, now=w.clock.now(), tz=POLICY.tz)
    assert len(shown.text) <= 4096 and "&lt;任务29&gt;" in shown.text  # escaped, cut, all 30 there
    with pytest.raises(InvalidInput, match="最多 30 项"):
        _task(w, plan_id, text="第三十一项", person=w.staff2)
    w.db.call(wp.issue, actor_id=w.director, plan_id=plan_id, code="综治", now=w.clock.now(), policy=POLICY)
    told = _rows(w, f"plan{plan_id}:issued")
    assert len(told) == 1 and len(told[0].text) <= 4096 and "&lt;任务29&gt;" in told[0].text  # 周明's 30 tasks
    card = w.db.call(wp.show_task, actor_id=w.director, task_id=_task_row(w, plan_id, 30).id, now=w.clock.now(),
                     tz=POLICY.tz)
    assert "务" * 290 in card.text  # the task's own card has it whole


def test_the_assessment_counts_the_tasks_a_unit_or_village_let_pass_their_date(w):
    """目标管理考核's 工作计划落实: a task of an issued plan due in the year and not done by its 完成时限
    (still open, or done after it) costs its unit or village a point; a unit answers for its people's
    tasks too, a village for its head's; the center's own tasks, a draft's and one due today cost
    nobody anything; the tasks behind the points are listed as on /plan."""
    head = w._person("东山村主任", 20, {Role.unit}, village_id=w.village.id)
    admin = w._person("管理员", 30, {Role.admin})
    plan_id = _plan(w)
    _task(w, plan_id, text="集中排查", due=date(2026, 12, 3))  # 1 镇司法所: left open, late
    _task(w, plan_id, text="法律宣传", person=w.unit_contact, due=date(2026, 12, 2))  # 2 its contact: done late
    _task(w, plan_id, text="调解培训", due=date(2026, 12, 4))  # 3 镇司法所: done on time
    _task(w, plan_id, text="走访重点户", person=head, due=date(2026, 12, 3))  # 4 the village head: late
    _task(w, plan_id, text="中心值班检查", person=w.staff2, due=date(2026, 12, 3))  # 5 the center's: nobody's
    _task(w, plan_id, text="年终总结", due=date(2026, 12, 7))  # 6 due on the day of the score: not late yet
    draft = _plan(w, period=(PlanPeriod.quarter, 2026, 4))
    _task(w, draft, text="草稿任务", due=date(2026, 12, 1))  # a draft's: never counted
    _issue(w, plan_id)
    next_year = _plan(w, period=(PlanPeriod.quarter, 2027, 1))
    _task(w, next_year, text="春节前排查", due=date(2027, 1, 8))  # 2027's: neither late nor in 2026's 责任书
    _issue(w, next_year)
    with w.db.session() as s:  # 司法所老李 lives in 东山村: his task is still his unit's, not the village's
        s.get(Person, w.unit_contact).village_id = w.village.id
    ids = {n: _task_row(w, plan_id, n).id for n in range(1, 7)}
    w.clock.set(local(2026, 12, 3, 15))
    w.db.call(wp.report_done, actor_id=w.unit_contact, task_id=ids[2], text="已完成", now=w.clock.now())
    w.clock.set(local(2026, 12, 4, 15))
    w.db.call(wp.report_done, actor_id=w.unit_contact, task_id=ids[3], text="已完成", now=w.clock.now())
    w.clock.set(local(2026, 12, 7, 10))

    def item(actor, subject):
        score = w.db.call(scoring.view, actor_id=actor, year=2026, now=w.clock.now(), tz=POLICY.tz, subject=subject)
        line = next(i for i in score.items if i.name == "工作计划落实")
        return line, w.db.call(scoring.item_cases, actor_id=actor, item_id=line.item_id, subject=subject,
                               now=w.clock.now(), tz=POLICY.tz)

    unit, village = Subject(SubjectKind.unit, w.unit.id), Subject(SubjectKind.village, w.village.id)
    line, found = item(w.director, unit)
    assert (line.lost, line.measured) == (2, "工作计划任务逾期 2 项")
    assert [x.task_id for x in found.tasks] == [ids[2], ids[1]]  # by 完成时限
    assert found.tasks[0].text == "综治发〔2026〕1号 第2项 法律宣传（时限 2026年12月2日，2026年12月3日逾期完成）"
    assert found.tasks[1].text == "综治发〔2026〕1号 第1项 集中排查（时限 2026年12月3日，逾期未完成）"
    line, found = item(head, village)
    assert (line.lost, [x.task_id for x in found.tasks]) == (1, [ids[4]])
    _, found = item(w.unit_contact, unit)  # the unit's head sees its own
    assert (len(found.tasks), found.hidden_tasks) == (2, 0)
    _, found = item(admin, unit)  # an admin sees the ranking but not the plans: counted, not shown
    assert (found.tasks, found.hidden_tasks) == ([], 2)
    # the catalogue says it in words
    with w.db.session() as s:
        row = next(i for i in catalogue.ensure(s, year=2026) if i.name == "工作计划落实")
        assert catalogue.rule_text(row) == "工作计划任务逾期超过0项的，每项扣1分，最多扣10分"
    # the 目标管理责任书 names the tasks its party answers for: 镇司法所's four (its contact's too), the
    # village head's one; not the center's, nor the draft's
    w.db.call(agreements.send, actor_id=w.director, year=2026, now=w.clock.now(), commend_score=90)
    for person, expected in ((w.unit_contact, ["法律宣传", "集中排查", "调解培训", "年终总结"]), (head, ["走访重点户"])):
        with w.db.session() as s:
            agreement = agreements.agreement_of(s, person_id=person, year=2026)
            _, data = agreements.document(s, agreement_id=agreement, org="东山镇综治中心", tz=POLICY.tz)
        lines = [p.text for p in Document(BytesIO(data)).paragraphs]
        start = lines.index("乙方承担的2026年综治工作计划任务（按期完成，计入“工作计划落实”项）：")
        listed = lines[start + 1:start + 1 + len(expected)]
        assert [x.split(" ", 1)[1].split("（")[0] for x in listed] == expected
        assert lines[start + 1 + len(expected)] == "二、考核办法"
        if person == head:
            assert listed == ["1. 走访重点户（综治发〔2026〕1号第4项，完成时限2026年12月3日）"]
