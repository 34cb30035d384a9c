"""综治工作计划 (综治中心工作职责 1: "制定本辖区综治工作计划、方案、措施等，并负责组织实施").

The center's people (director, leaders, staff) draft a year's, a quarter's or a month's plan: its
总体目标, then its 工作任务, each with a 责任单位 or a 责任人 (the 督办 picker's people) and a 完成时限,
a working day inside the period. The director 印发 it: it takes a 发文字号 (综治发〔2026〕3号), is
frozen, and every owner is told their tasks. 组织实施: an owner (the unit's contacts, or the person)
reports 进展 and 完成; the director is told of a completion and may send it back (退回). The sweep
reminds an owner SOON_DAYS working days before the date and tells the owner and the director once
when it has passed, in working hours, like the other chases.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from bot.callbacks import (
    PlanAddTask,
    PlanDocx,
    PlanIssue,
    PlanOpen,
    PlanRemove,
    PlanTaskDone,
    PlanTaskOpen,
    PlanTaskProgress,
    PlanTaskSendBack,
)
from bot.services import audit, numbering
from bot.services.access import CENTER
from bot.services.case_access import person_name
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.people import PersonView, get
from bot.services.recipients import tell, unit_contacts, with_role
from bot.services.supervision import assignee_choices
from bot.services.typed import between
from bot.texts import plans as t
from bot.texts.notify import plans as notify
from models import Person, PlanPeriod, PlanStatus, PlanTask, Role, TaskStatus, Unit, WorkPlan

VIEWERS = (Role.director, Role.secretary, Role.township_leader, Role.leader, Role.staff, Role.unit)
MAX_AIM, MAX_TASK, MAX_PROGRESS, MAX_RESULT, MAX_REASON = 1000, 300, 500, 500, 300
MAX_TASKS = 30
SOON_DAYS = 3  # working days before the 完成时限 when an unfinished task's owner is reminded
SEQUENCE = "plan"  # the 发文字号's own yearly sequence, apart from the 督办通知书's


def clean_aim(text: str | None) -> str:
    return between(text, 2, MAX_AIM, t.BAD_AIM)


def clean_task(text: str | None) -> str:
    return between(text, 2, MAX_TASK, t.BAD_TASK)


def clean_progress(text: str | None) -> str:
    return between(text, 2, MAX_PROGRESS, t.BAD_PROGRESS)


def clean_result(text: str | None) -> str:
    return between(text, 2, MAX_RESULT, t.BAD_RESULT)


def clean_reason(text: str | None) -> str:
    return between(text, 2, MAX_REASON, t.BAD_REASON)


# --- periods ---------------------------------------------------------------------------------------


def period_days(period: PlanPeriod, year: int, part: int) -> tuple[date, date]:
    """The first and the last day the plan covers."""
    if period == PlanPeriod.year:
        return date(year, 1, 1), date(year, 12, 31)
    first_month = (part - 1) * 3 + 1 if period == PlanPeriod.quarter else part
    last_month = first_month + (2 if period == PlanPeriod.quarter else 0)
    end = date(year + (last_month == 12), last_month % 12 + 1, 1) - timedelta(days=1)
    return date(year, first_month, 1), end


def title_of(plan: WorkPlan) -> str:
    return t.period_title(PlanPeriod(plan.period), plan.year, plan.part)


@dataclass(frozen=True)
class PeriodChoice:
    period: PlanPeriod
    year: int
    part: int
    title: str


def period_choices(today: date) -> list[PeriodChoice]:
    """This and the next month, quarter and year: a plan is made for the coming period or the current."""
    q = (today.month - 1) // 3 + 1
    month, quarter = (today.year, today.month), (today.year, q)
    next_month = (today.year + (today.month == 12), today.month % 12 + 1)
    next_quarter = (today.year + (q == 4), q % 4 + 1)
    found = [(PlanPeriod.year, today.year, 0), (PlanPeriod.year, today.year + 1, 0),
             (PlanPeriod.quarter, *quarter), (PlanPeriod.quarter, *next_quarter),
             (PlanPeriod.month, *month), (PlanPeriod.month, *next_month)]
    return [PeriodChoice(p, y, n, t.period_title(p, y, n)) for p, y, n in found]


# --- who may do what -------------------------------------------------------------------------------


def may_view(viewer: PersonView) -> bool:
    return viewer.active and viewer.has(*VIEWERS)


def _viewer(session: Session, actor_id: int) -> PersonView:
    viewer = get(session, person_id=actor_id)
    if not may_view(viewer):
        raise NotAllowed(t.NOT_ALLOWED)
    return viewer


def _drafter(session: Session, actor_id: int) -> PersonView:
    viewer = get(session, person_id=actor_id)
    if not viewer.active or not viewer.has(*CENTER):
        raise NotAllowed(t.NOT_DRAFTER)
    return viewer


def _director(session: Session, actor_id: int, what: str) -> PersonView:
    viewer = get(session, person_id=actor_id)
    if not viewer.active or not viewer.has(Role.director):
        raise NotAllowed(t.NOT_DIRECTOR.format(what=what))
    return viewer


def _sees(viewer: PersonView, plan: WorkPlan) -> bool:
    """A draft is the center's working paper; an issued plan goes to everyone it concerns."""
    return plan.status == PlanStatus.issued or viewer.has(*CENTER)


def _may_see(viewer: PersonView, plan: WorkPlan) -> None:
    if not _sees(viewer, plan):
        raise NotAllowed(t.DRAFT_HIDDEN)


def owns(viewer: PersonView, task: PlanTask) -> bool:
    """The task's 责任人, or a contact of its 责任单位."""
    if task.person_id is not None:
        return task.person_id == viewer.id
    return viewer.has(Role.unit) and viewer.unit_id == task.unit_id


def _load(session: Session, plan_id: int, *, lock: bool = False) -> WorkPlan:
    stmt = select(WorkPlan).where(WorkPlan.id == plan_id)
    found = session.exec(stmt.with_for_update() if lock else stmt).first()
    if found is None:
        raise NotFound(t.NOT_FOUND)
    return found


def _load_task(session: Session, task_id: int, *, lock: bool = False) -> tuple[PlanTask, WorkPlan]:
    stmt = select(PlanTask).where(PlanTask.id == task_id)
    task = session.exec(stmt.with_for_update() if lock else stmt).first()
    if task is None:
        raise NotFound(t.TASK_NOT_FOUND)
    return task, _load(session, task.plan_id)


def _visible(session: Session, actor_id: int, plan_id: int, *, lock: bool = False) -> tuple[PersonView, WorkPlan]:
    viewer = _viewer(session, actor_id)
    plan = _load(session, plan_id, lock=lock)
    _may_see(viewer, plan)
    return viewer, plan


def _draft(session: Session, actor_id: int, plan_id: int) -> tuple[PersonView, WorkPlan]:
    viewer = _drafter(session, actor_id)
    plan = _load(session, plan_id, lock=True)
    if plan.status != PlanStatus.draft:
        raise InvalidInput(t.NOT_DRAFT)
    return viewer, plan


def _tasks(session: Session, plan_id: int) -> list[PlanTask]:
    return list(session.exec(select(PlanTask).where(PlanTask.plan_id == plan_id).order_by(col(PlanTask.seq))))


def owner_name(session: Session, task: PlanTask) -> str:
    if task.unit_id is not None:
        unit = session.get(Unit, task.unit_id)
        return unit.name if unit else ""
    return person_name(session, task.person_id)


def owners(session: Session, task: PlanTask) -> list[Person]:
    if task.unit_id is not None:
        return unit_contacts(session, task.unit_id)
    return [p for p in [session.get(Person, task.person_id)] if p is not None]


# --- drafting --------------------------------------------------------------------------------------


def find(session: Session, *, actor_id: int, period: PlanPeriod, year: int, part: int) -> int | None:
    """The plan of that period, if one was made (pressing a period opens it rather than a second)."""
    _drafter(session, actor_id)
    return session.exec(select(WorkPlan.id).where(WorkPlan.period == period, WorkPlan.year == year,
                                                  WorkPlan.part == part)).first()


def create(session: Session, *, actor_id: int, period: PlanPeriod, year: int, part: int, aim: str,
           now: datetime) -> int:
    actor = _drafter(session, actor_id)
    if not 2000 <= year <= 2100 or not (part == 0 if period == PlanPeriod.year else
                                        1 <= part <= (4 if period == PlanPeriod.quarter else 12)):
        raise InvalidInput(t.STALE)
    plan = WorkPlan(period=period, year=year, part=part, aim=clean_aim(aim), author_id=actor.id, created_at=now)
    try:
        with session.begin_nested():  # another drafter made it a moment ago
            session.add(plan)
            session.flush()
    except IntegrityError:
        raise InvalidInput(t.EXISTS.format(title=t.period_title(period, year, part))) from None
    audit.record(session, actor_id=actor.id, action="plan.create", subject_type="work_plan", subject_id=plan.id,
                 now=now)
    return plan.id


def check_draft(session: Session, *, actor_id: int, plan_id: int) -> int:
    """Before a task is typed: a drafter, a draft with room; returns the next task's number."""
    _, plan = _draft(session, actor_id, plan_id)
    count = len(_tasks(session, plan.id))
    if count >= MAX_TASKS:
        raise InvalidInput(t.TOO_MANY_TASKS.format(n=MAX_TASKS))
    return count + 1


@dataclass(frozen=True)
class OwnerChoice:
    id: int
    name: str


def unit_choices(session: Session, *, actor_id: int) -> list[OwnerChoice]:
    _drafter(session, actor_id)
    return [OwnerChoice(u.id, u.name) for u in session.exec(select(Unit).where(col(Unit.active)).order_by(col(Unit.id)))]


def person_choices(session: Session, *, actor_id: int) -> list[OwnerChoice]:
    """The same people a 督办通知书 may go to (leaders, staff, units' and villages' contacts)."""
    _drafter(session, actor_id)
    return [OwnerChoice(c.id, t.PERSON_CHOICE.format(name=c.name, place=c.place)) for c in assignee_choices(session)]


def due_choices(session: Session, *, plan_id: int, today: date, policy: DeadlinePolicy) -> list[tuple[str, date]]:
    """The last working day of each quarter (a year's plan) or month (a quarter's), or of the month
    and +5/+10 working days (a month's), inside the period and not before today."""
    plan = _load(session, plan_id)
    cal = policy.calendar(session)
    start, end = period_days(PlanPeriod(plan.period), plan.year, plan.part)
    if plan.period == PlanPeriod.month:
        base = max(start, today)
        moment = cal.at(base, policy.hours[0][0])
        found = [(t.DUE_PLUS.format(n=n), cal.local(cal.add_working_days(moment, n).at).date()) for n in (5, 10)]
        found.append((t.DUE_MONTH_END, cal.working_day_on_or_before(end)))
    else:
        months = (3, 6, 9, 12) if plan.period == PlanPeriod.year else (start.month, start.month + 1, start.month + 2)
        found = [(t.DUE_END_OF.format(month=m), cal.working_day_on_or_before(period_days(PlanPeriod.month, plan.year, m)[1]))
                 for m in months]
    seen, choices = set(), []
    for label, day in found:
        if start <= day <= end and day >= today and day not in seen:
            seen.add(day)
            choices.append((label, day))
    return choices


def _check_due(session: Session, plan: WorkPlan, due_on: date, today: date, policy: DeadlinePolicy) -> None:
    start, end = period_days(PlanPeriod(plan.period), plan.year, plan.part)
    if not (start <= due_on <= end) or due_on < today:
        raise InvalidInput(t.DUE_OUTSIDE.format(start=t.cn_date(start), end=t.cn_date(end)))
    cal = policy.calendar(session)
    if not cal.is_workday(due_on)[0]:
        raise InvalidInput(t.DUE_HOLIDAY.format(day=t.cn_date(due_on), before=cal.working_day_on_or_before(due_on).isoformat()))


def add_task(session: Session, *, actor_id: int, plan_id: int, text: str, due_on: date, now: datetime,
             policy: DeadlinePolicy, unit_id: int | None = None, person_id: int | None = None) -> int:
    """One more 工作任务 of a draft; returns its number."""
    actor, plan = _draft(session, actor_id, plan_id)
    if (unit_id is None) == (person_id is None):
        raise InvalidInput(t.BAD_OWNER)
    if unit_id is not None and unit_id not in {c.id for c in unit_choices(session, actor_id=actor.id)}:
        raise InvalidInput(t.BAD_OWNER)
    if person_id is not None and person_id not in {c.id for c in assignee_choices(session)}:
        raise InvalidInput(t.BAD_OWNER)
    _check_due(session, plan, due_on, now.astimezone(policy.tz).date(), policy)
    tasks = _tasks(session, plan.id)
    if len(tasks) >= MAX_TASKS:
        raise InvalidInput(t.TOO_MANY_TASKS.format(n=MAX_TASKS))
    task = PlanTask(plan_id=plan.id, seq=len(tasks) + 1, text=clean_task(text), unit_id=unit_id, person_id=person_id,
                    due_on=due_on)
    session.add(task)
    session.flush()
    return task.seq


def remove_task(session: Session, *, actor_id: int, task_id: int) -> tuple[int, int]:
    """A draft's task removed; the later ones move up. Returns (the plan, the removed number)."""
    task, _ = _load_task(session, task_id)
    _, plan = _draft(session, actor_id, task.plan_id)
    seq = task.seq
    session.delete(task)
    session.flush()
    for later in _tasks(session, plan.id):
        if later.seq > seq:
            later.seq -= 1
            session.add(later)
    return plan.id, seq


def draft_tasks(session: Session, *, actor_id: int, plan_id: int) -> list[tuple[int, int]]:
    """(task id, number) of a draft, for the 「删除任务」 buttons."""
    _, plan = _draft(session, actor_id, plan_id)
    return [(task.id, task.seq) for task in _tasks(session, plan.id)]


# --- 印发 ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issued:
    title: str
    number: str
    told: int  # the owners, each told their tasks
    circulated: int = 0  # everyone else the plan is 主送 or reported to


def check_issue(session: Session, *, actor_id: int, plan_id: int) -> str:
    """Before the confirmation: the director, a draft with tasks; returns the title."""
    _director(session, actor_id, t.WHAT_ISSUE)
    plan = _load(session, plan_id)
    if plan.status != PlanStatus.draft:
        raise InvalidInput(t.NOT_DRAFT)
    if not _tasks(session, plan.id):
        raise InvalidInput(t.NO_TASKS)
    return title_of(plan)


def issue(session: Session, *, actor_id: int, plan_id: int, code: str, now: datetime, policy: DeadlinePolicy) -> Issued:
    """The director 印发 the plan: a 发文字号, frozen, each owner told of their tasks."""
    actor = _director(session, actor_id, t.WHAT_ISSUE)
    plan = _load(session, plan_id, lock=True)
    if plan.status != PlanStatus.draft:
        raise InvalidInput(t.NOT_DRAFT)
    tasks = _tasks(session, plan.id)
    if not tasks:
        raise InvalidInput(t.NO_TASKS)
    year = now.astimezone(policy.tz).year
    plan.number = t.plan_number(code, year, numbering.next_value(session, name=SEQUENCE, year=year))
    plan.status, plan.issued_by_id, plan.issued_at = PlanStatus.issued, actor.id, now
    session.add(plan)
    audit.record(session, actor_id=actor.id, action="plan.issue", subject_type="work_plan", subject_id=plan.id,
                 now=now, number=plan.number)
    title = title_of(plan)
    mine: dict[int, tuple[Person, list[PlanTask]]] = {}
    for task in tasks:
        for person in owners(session, task):
            mine.setdefault(person.id, (person, []))[1].append(task)
    told = 0
    for person, theirs in mine.values():
        text = notify.issued(title=title, number=plan.number, tasks=[(x.seq, x.text, t.cn_date(x.due_on)) for x in theirs])
        told += tell(session, [person], text,
                     [[(t.BUTTON_VIEW, PlanOpen(plan.id).pack())]], key=f"plan{plan.id}:issued", now=now,
                     exclude=actor.id)
    # 主送 各村（社区）、各成员单位，中心各成员, and reported to the 党委 and the township's leaders (工作职责 2,
    # 信息报告制度 二.2 "本辖区综治工作的重大部署"): everyone who reads issued plans hears of it once
    readers = [p for role in VIEWERS for p in with_role(session, role) if p.id not in mine]
    circulated = tell(session, readers, notify.circulated(title=title, number=plan.number, who=actor.name, count=len(tasks)),
                      [[(t.BUTTON_VIEW, PlanOpen(plan.id).pack())]], key=f"plan{plan.id}:circulated", now=now,
                      exclude=actor.id)
    return Issued(title, plan.number, told, circulated)


# --- the cards -------------------------------------------------------------------------------------


def task_state(task: PlanTask, today: date) -> str:
    """open / overdue / done: the icon and the ledger's 状态."""
    if task.status == TaskStatus.done:
        return "done"
    return "overdue" if today > task.due_on else "open"


@dataclass(frozen=True)
class Shown:
    text: str
    buttons: list  # rows of (label, callback data)


def show(session: Session, *, actor_id: int, plan_id: int, now: datetime, tz) -> Shown:
    viewer, plan = _visible(session, actor_id, plan_id)
    today = now.astimezone(tz).date()
    tasks = _tasks(session, plan.id)
    if plan.status == PlanStatus.issued:
        status = notify.issued_status(who=person_name(session, plan.issued_by_id),
                                      when=t.cn_date(plan.issued_at.astimezone(tz).date()))
    else:
        status = notify.draft_status(who=person_name(session, plan.author_id))
    text = notify.card(title=title_of(plan), number=plan.number, status=status, aim=plan.aim,
                       tasks=[(t.TASK_ICONS[task_state(x, today)], x.seq, x.text, owner_name(session, x),
                               t.cn_date(x.due_on)) for x in tasks],
                       done=sum(x.status == TaskStatus.done for x in tasks))
    return Shown(text, _plan_buttons(viewer, plan, tasks))


def _plan_buttons(viewer: PersonView, plan: WorkPlan, tasks: list[PlanTask]) -> list:
    if plan.status == PlanStatus.draft:
        rows = [[(t.BUTTON_ADD, PlanAddTask(plan.id).pack())]]
        if tasks:
            rows[0].append((t.BUTTON_REMOVE, PlanRemove(plan.id).pack()))
            if viewer.has(Role.director):
                rows.append([(t.BUTTON_ISSUE, PlanIssue(plan.id).pack())])
        return rows
    # Issued: a button per task the viewer may open — the center every task, an owner their own
    mine = [x for x in tasks if viewer.has(*CENTER) or owns(viewer, x)]
    buttons = [(t.BUTTON_TASK.format(seq=x.seq), PlanTaskOpen(x.id).pack()) for x in mine]
    rows = [buttons[i:i + 5] for i in range(0, len(buttons), 5)]
    rows.append([(t.BUTTON_DOCX, PlanDocx(plan.id).pack())])
    return rows


def show_task(session: Session, *, actor_id: int, task_id: int, now: datetime, tz) -> Shown:
    task, plan = _load_task(session, task_id)
    viewer = _viewer(session, actor_id)
    _may_see(viewer, plan)
    state = task_state(task, now.astimezone(tz).date())
    status = t.OVERDUE_LABEL if state == "overdue" else t.TASK_LABELS[TaskStatus(task.status)]
    text = notify.task_card(
        title=title_of(plan), seq=task.seq, text=task.text, owner=owner_name(session, task),
        due=t.cn_date(task.due_on), status=status,
        progress=(t.cn_date(task.progress_at.astimezone(tz).date()), task.progress) if task.progress else None,
        result=(person_name(session, task.done_by_id), t.cn_date(task.done_at.astimezone(tz).date()), task.result)
        if task.status == TaskStatus.done else None,
        returned=task.returned_reason)
    rows = []
    if plan.status == PlanStatus.issued and task.status == TaskStatus.open and owns(viewer, task):
        rows.append([(t.BUTTON_PROGRESS, PlanTaskProgress(task.id).pack()), (t.BUTTON_DONE, PlanTaskDone(task.id).pack())])
    if task.status == TaskStatus.done and viewer.has(Role.director):
        rows.append([(t.BUTTON_SEND_BACK, PlanTaskSendBack(task.id).pack())])
    return Shown(text, rows)


@dataclass(frozen=True)
class Row:
    plan_id: int
    title: str
    draft: bool
    done: int
    total: int


def plans(session: Session, *, actor_id: int) -> tuple[list[Row], bool]:
    """/plan: the plans this viewer sees, newest first, and whether they may draft one."""
    viewer = _viewer(session, actor_id)
    stmt = select(WorkPlan).order_by(col(WorkPlan.year).desc(), col(WorkPlan.period), col(WorkPlan.part).desc())
    if not viewer.has(*CENTER):
        stmt = stmt.where(WorkPlan.status == PlanStatus.issued)
    found = list(session.exec(stmt.limit(20)))
    counts = {pid: (int(done or 0), int(total)) for pid, done, total in session.exec(
        select(PlanTask.plan_id, func.sum(case((PlanTask.status == TaskStatus.done, 1), else_=0)), func.count())
        .where(col(PlanTask.plan_id).in_([p.id for p in found])).group_by(PlanTask.plan_id))}
    rows = [Row(p.id, title_of(p), p.status == PlanStatus.draft, *counts.get(p.id, (0, 0))) for p in found]
    return rows, viewer.has(*CENTER)


# --- 组织实施: 进展, 完成, 退回 ------------------------------------------------------------------------


def _owned(session: Session, actor_id: int, task_id: int, *, lock: bool = False) -> tuple[PersonView, PlanTask, WorkPlan]:
    viewer = _viewer(session, actor_id)
    task, plan = _load_task(session, task_id, lock=lock)
    if plan.status != PlanStatus.issued:
        raise InvalidInput(t.NOT_ISSUED)
    if not owns(viewer, task):
        raise NotAllowed(t.NOT_OWNER)
    if task.status != TaskStatus.open:
        raise InvalidInput(t.ALREADY_DONE)
    return viewer, task, plan


def check_owner(session: Session, *, actor_id: int, task_id: int) -> tuple[int, str]:
    """Before the 进展 or 完成情况 is typed; returns (number, task text)."""
    _, task, _ = _owned(session, actor_id, task_id)
    return task.seq, task.text


def report_progress(session: Session, *, actor_id: int, task_id: int, text: str, now: datetime) -> None:
    actor, task, _ = _owned(session, actor_id, task_id, lock=True)
    task.progress, task.progress_at = clean_progress(text), now
    session.add(task)
    audit.record(session, actor_id=actor.id, action="plan.progress", subject_type="plan_task", subject_id=task.id,
                 now=now)


def report_done(session: Session, *, actor_id: int, task_id: int, text: str, now: datetime) -> None:
    """完成: the director is told, with the task's card to send it back if it falls short."""
    actor, task, plan = _owned(session, actor_id, task_id, lock=True)
    task.result, task.status, task.done_at, task.done_by_id = clean_result(text), TaskStatus.done, now, actor.id
    session.add(task)
    audit.record(session, actor_id=actor.id, action="plan.done", subject_type="plan_task", subject_id=task.id, now=now)
    tell(session, with_role(session, Role.director),
         notify.done(title=title_of(plan), seq=task.seq, who=actor.name, text=task.text, result=task.result),
         [[(t.BUTTON_VIEW_TASK, PlanTaskOpen(task.id).pack())]], key=f"plantask{task.id}:done:{now:%Y%m%d%H%M%S}",
         now=now, exclude=actor.id)


def check_send_back(session: Session, *, actor_id: int, task_id: int) -> tuple[int, str]:
    _director(session, actor_id, t.WHAT_SEND_BACK)
    task, _ = _load_task(session, task_id)
    if task.status != TaskStatus.done:
        raise InvalidInput(t.NOT_DONE)
    return task.seq, task.text


def send_back(session: Session, *, actor_id: int, task_id: int, reason: str, now: datetime) -> int:
    """退回: open again, the chases armed afresh; the owners are told why."""
    actor = _director(session, actor_id, t.WHAT_SEND_BACK)
    task, plan = _load_task(session, task_id, lock=True)
    if task.status != TaskStatus.done:
        raise InvalidInput(t.NOT_DONE)
    task.returned_reason = clean_reason(reason)
    task.status, task.done_at, task.done_by_id, task.result = TaskStatus.open, None, None, None
    task.soon_told_at = task.overdue_told_at = None
    session.add(task)
    audit.record(session, actor_id=actor.id, action="plan.send_back", subject_type="plan_task", subject_id=task.id,
                 now=now)
    tell(session, owners(session, task),
         notify.sent_back(title=title_of(plan), seq=task.seq, who=actor.name, reason=task.returned_reason),
         [[(t.BUTTON_VIEW_TASK, PlanTaskOpen(task.id).pack())]], key=f"plantask{task.id}:back:{now:%Y%m%d%H%M%S}",
         now=now, exclude=actor.id)
    return task.seq


# --- the sweep -------------------------------------------------------------------------------------


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy) -> int:
    """Unfinished tasks of issued plans close to or past their date (an indexed few, never all);
    each mark is set with its messages, so a restart or a second run sends nothing twice."""
    cal = policy.calendar(session)
    if not cal.is_working_time(now):
        return 0
    today = cal.local(now).date()
    soon = cal.local(cal.add_working_days(now, SOON_DAYS).at).date()
    stmt = (select(PlanTask, WorkPlan).join(WorkPlan, WorkPlan.id == PlanTask.plan_id)
            .where(WorkPlan.status == PlanStatus.issued, PlanTask.status == TaskStatus.open, PlanTask.due_on <= soon)
            .where(col(PlanTask.soon_told_at).is_(None) | col(PlanTask.overdue_told_at).is_(None))
            .order_by(col(PlanTask.id)))
    directors = with_role(session, Role.director)
    sent = 0
    for task, plan in session.exec(stmt).all():
        button = [[(t.BUTTON_VIEW_TASK, PlanTaskOpen(task.id).pack())]]
        due, title = t.cn_date(task.due_on), title_of(plan)
        if today > task.due_on:
            if task.overdue_told_at is None:
                task.overdue_told_at = now
                task.soon_told_at = task.soon_told_at or now  # past the date: no 「快到期」 after it
                text = notify.chase_overdue(title=title, seq=task.seq, text=task.text, due=due,
                                            owner=owner_name(session, task))
                sent += tell(session, [*owners(session, task), *directors], text, button,
                             key=f"plantask{task.id}:overdue:{now:%Y%m%d%H%M%S}", now=now)
        elif task.soon_told_at is None:
            task.soon_told_at = now
            sent += tell(session, owners(session, task),
                         notify.chase_soon(title=title, seq=task.seq, text=task.text, due=due), button,
                         key=f"plantask{task.id}:soon:{now:%Y%m%d%H%M%S}", now=now)
        session.add(task)
    return sent


def week_figures(session: Session, *, monday: date, today: date) -> tuple[int, int]:
    """For the 周报: unfinished tasks of issued plans due this week (Monday–Sunday, from today on),
    and those already past their date."""
    def count(*where) -> int:
        return session.exec(select(func.count()).select_from(PlanTask).join(WorkPlan, WorkPlan.id == PlanTask.plan_id)
                            .where(WorkPlan.status == PlanStatus.issued, PlanTask.status == TaskStatus.open,
                                   *where)).one()

    return (count(PlanTask.due_on >= today, PlanTask.due_on <= monday + timedelta(days=6)),
            count(PlanTask.due_on < today))


def agenda_lines(session: Session, *, until: date, today: date, limit: int = 10) -> list[str]:
    """For a meeting's draft agenda (例会: this week; 联席会议: the coming quarter): the unfinished tasks of
    issued plans due by `until`, the late ones first, as plain lines."""
    stmt = (select(PlanTask, WorkPlan).join(WorkPlan, WorkPlan.id == PlanTask.plan_id)
            .where(WorkPlan.status == PlanStatus.issued, PlanTask.status == TaskStatus.open, PlanTask.due_on <= until)
            .order_by(col(PlanTask.due_on), col(PlanTask.id)))
    found = session.exec(stmt).all()
    lines = [t.AGENDA_TASK.format(title=title_of(plan), seq=task.seq, text=task.text[:40], owner=owner_name(session, task),
                                  due=t.cn_date(task.due_on), late=t.AGENDA_LATE if task.due_on < today else "")
             for task, plan in found[:limit]]
    return lines + ([t.AGENDA_MORE.format(count=len(found) - limit)] if len(found) > limit else [])


# --- the 综治工作计划台账 and the 印发件 -------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    plan: str  # 《…》（综治发〔2026〕3号）
    seq: int
    text: str
    owner: str
    due: str
    progress: str
    result: str
    done: str
    status: str


def ledger_rows(session: Session, *, start: date, end: date, today: date, tz, unit_id: int | None = None,
                village_id: int | None = None) -> list[LedgerRow]:
    """The tasks of issued plans due in start … end, by plan and number; with a unit or a village, those
    it answers for (as the 目标管理考核 counts them)."""
    stmt = (_issued_tasks(unit_id, village_id).where(PlanTask.due_on >= start, PlanTask.due_on <= end)
            .order_by(col(WorkPlan.year), col(WorkPlan.period), col(WorkPlan.part), col(PlanTask.seq)))
    rows = []
    for task, plan in session.exec(stmt).all():
        state = task_state(task, today)
        done_day = task.done_at.astimezone(tz).date() if task.done_at else None
        status = (t.LATE_DONE_LABEL if done_day and done_day > task.due_on else t.LEDGER_STATUS_DONE) \
            if state == "done" else (t.OVERDUE_LABEL if state == "overdue" else t.TASK_LABELS[TaskStatus.open])
        rows.append(LedgerRow(
            plan=t.LEDGER_PLAN.format(title=title_of(plan), number=plan.number), seq=task.seq, text=task.text, owner=owner_name(session, task),
            due=t.cn_date(task.due_on), progress=task.progress or "", result=task.result or "",
            done=t.cn_date(done_day) if done_day else "", status=status))
    return rows


# --- 目标管理考核 (工作职责 8): the tasks a unit or village let pass their 完成时限 ------------------------


def late_tasks(session: Session, *, start: date, end: date, tz, unit_id: int | None = None,
               village_id: int | None = None) -> list[int]:
    """Tasks of issued plans due from `start` to the day before `end` that were not done by their 完成时限
    (still open, or reported done after it), for the 考核 item 工作计划落实. A unit answers for its own
    tasks and its people's, a village for its people's outside any unit (the village head). `end` is
    today while the year runs: a task due today is not late yet."""
    rows = session.exec(_issued_tasks(unit_id, village_id).where(PlanTask.due_on >= start, PlanTask.due_on < end)
                        .order_by(col(PlanTask.due_on), col(PlanTask.id))).all()
    return [task.id for task, _ in rows
            if task.status == TaskStatus.open or task.done_at.astimezone(tz).date() > task.due_on]


def _issued_tasks(unit_id: int | None = None, village_id: int | None = None):
    """(task, plan) of issued plans: all of them, or those a unit answers for (its own and its people's)
    or a village (its people's outside any unit, i.e. the village head's)."""
    stmt = select(PlanTask, WorkPlan).join(WorkPlan, WorkPlan.id == PlanTask.plan_id).where(
        WorkPlan.status == PlanStatus.issued)
    if unit_id is not None:
        people_of = select(Person.id).where(Person.unit_id == unit_id)
        return stmt.where((PlanTask.unit_id == unit_id) | col(PlanTask.person_id).in_(people_of))
    if village_id is not None:
        people_of = select(Person.id).where(Person.village_id == village_id, col(Person.unit_id).is_(None))
        return stmt.where(col(PlanTask.person_id).in_(people_of))
    return stmt


def year_tasks(session: Session, *, year: int, unit_id: int | None = None, village_id: int | None = None) -> list[str]:
    """The tasks of the year's issued plans a unit or village answers for, as the 目标管理责任书 lists them."""
    rows = session.exec(_issued_tasks(unit_id, village_id).where(
        PlanTask.due_on >= date(year, 1, 1), PlanTask.due_on <= date(year, 12, 31))
        .order_by(col(PlanTask.due_on), col(PlanTask.id))).all()
    return [t.AGREEMENT_TASK.format(text=task.text, number=plan.number, seq=task.seq, due=t.cn_date(task.due_on))
            for task, plan in rows]


@dataclass(frozen=True)
class LateTask:
    task_id: int
    text: str  # 综治发〔2026〕3号 第2项 …（时限 12月1日，逾期未完成）


def late_lines(session: Session, *, actor_id: int, task_ids: tuple[int, ...], tz) -> tuple[list[LateTask], int]:
    """The tasks as the person may see them on /plan, and how many they may not see."""
    viewer = get(session, person_id=actor_id)
    shown, hidden = [], 0
    for task_id in task_ids:
        task = session.get(PlanTask, task_id)
        plan = session.get(WorkPlan, task.plan_id) if task else None
        if plan is None or not (may_view(viewer) and _sees(viewer, plan)):
            hidden += 1
            continue
        state = t.LATE_DONE.format(day=t.cn_date(task.done_at.astimezone(tz).date())) \
            if task.status == TaskStatus.done else t.LATE_OPEN
        shown.append(LateTask(task.id, t.LATE_TASK.format(number=plan.number, seq=task.seq, text=t.cut(task.text, t.LATE_TASK_CHARS),
                                                          due=t.cn_date(task.due_on), state=state)))
    return shown, hidden


@dataclass(frozen=True)
class DocumentView:
    """The 印发通知 with the plan (bot/services/report_docx.Report)."""

    org: str
    doc_number: str
    title: str
    addressee: str
    paragraphs: tuple[tuple[str, tuple[str, ...]], ...]
    issued_on: str


def document(session: Session, *, actor_id: int, plan_id: int, org: str, tz) -> DocumentView:
    _, plan = _visible(session, actor_id, plan_id)
    if plan.status != PlanStatus.issued:
        raise InvalidInput(t.NOT_ISSUED)
    title = title_of(plan)
    tasks = tuple(t.DOCX_TASK.format(n=t.cn_numeral(i + 1), text=x.text.rstrip("。；;."),
                                     owner=owner_name(session, x), due=t.cn_date(x.due_on))
                  for i, x in enumerate(_tasks(session, plan.id)))
    return DocumentView(
        org=org, doc_number=plan.number or "", title=t.DOCX_TITLE.format(title=title), addressee=t.DOCX_ADDRESSEE,
        paragraphs=(("", (t.DOCX_INTRO.format(title=title),)), (t.DOCX_AIM, tuple(plan.aim.splitlines()) or ("",)),
                    (t.DOCX_TASKS, tasks)),
        issued_on=t.cn_date(plan.issued_at.astimezone(tz).date()))
