"""Issuing a notice: the checks, 抄送, the preview, the number and the messages; the one-line
/supervise command."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot import texts
from bot.callbacks import (
    NoticeSign,
)
from bot.services import cases, deadlines, directory, numbering, people
from bot.services.access import CENTER
from bot.services.case_access import CaseNotFound, can_view, summary_line
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput
from bot.services.recipients import unit_contacts, with_role
from bot.services.supervision.base import (
    ASSIGNEE_ROLES,
    CC_MAX,
    FEEDBACK_MAX,
    MAX_TEXT,
    SEE_ALL,
    SEQUENCE,
    N,
    NoticeView,
    SuperviseCommand,
    SuperviseDraft,
    all_directors,
    case_summary,
    cc_text,
    director_only,
    docx_ref,
    holds_case,
    local_day,
    long_date,
    optional_text,
    queue_docx,
    record_on_case,
    required_text,
    send_to,
    view_button,
    working_days_after,
)
from bot.services.supervision.numbers import (
    DEFAULT_STYLE,
    NoticeStyle,
    format_number,
)
from bot.texts import notify
from models import (
    Case,
    CaseStatus,
    NoticeLevel,
    NoticeSource,
    Person,
    Role,
    SupervisionNotice,
    Unit,
)

# --- issuing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    case: Case
    unit: Unit | None  # exactly one of unit and assignee (承办单位 or 承办人员)
    assignee: Person | None
    contacts: list[Person]  # who answers: the unit's contacts, or the person
    due: datetime
    requirements: str
    feedback: str
    cc: str | None
    level: NoticeLevel
    source: NoticeSource
    cc_person_ids: tuple[int, ...] = ()
    cc_unit_ids: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        """The 承办单位（人员）: the unit's name or the person's."""
        return self.unit.name if self.unit is not None else self.assignee.name


def check_notice(session: Session, *, case_id: int, due_date: date, requirements: str,
           level: NoticeLevel, source: NoticeSource, feedback: str | None, cc: str | None, now: datetime,
           policy: DeadlinePolicy, unit_id: int | None = None, assignee_id: int | None = None,
           cc_person_ids: Iterable[int] = (), cc_unit_ids: Iterable[int] = ()) -> Checked:
    case = session.get(Case, case_id)
    if case is None:
        raise CaseNotFound()
    if CaseStatus(case.status) in (CaseStatus.archived, CaseStatus.out_of_scope):
        raise InvalidInput(
            f"事项 {case.number} 当前状态为「{texts.STATUS_LABELS[CaseStatus(case.status)]}」，不需要督办。"
        )
    if (unit_id is None) == (assignee_id is None):
        raise InvalidInput("请选择一个承办单位或一位承办人员（二者选一）。")
    unit = assignee = None
    if assignee_id is not None:
        assignee = session.get(Person, assignee_id)
        if assignee is None or assignee.id not in {c.id for c in assignee_choices(session)}:
            raise InvalidInput(texts.SV_ASSIGNEE_GONE)
        contacts = [assignee]
    else:
        unit = session.get(Unit, unit_id)
        if unit is None or not unit.active:
            raise InvalidInput("没有找到这个承办单位，请重新选择。")
        contacts = [p for p in unit_contacts(session, unit.id) if p.telegram_id is not None]
        if not contacts:
            raise InvalidInput(f"{unit.name} 还没有登记联络人，无法送达。请先用 /invite 邀请该单位联络人。")
    if due_date is None:
        raise InvalidInput("请给出办理期限（日期）。")
    due = deadlines.end_of_day(due_date, policy)
    if due <= now:
        raise InvalidInput("办理期限应晚于现在，请重新给出日期。")
    try:
        level, source = NoticeLevel(level), NoticeSource(source)
    except ValueError:
        raise InvalidInput("请选择督办级别和来源。") from None
    return Checked(
        case=case, unit=unit, contacts=contacts, due=due,
        requirements=required_text(requirements, "督办要求", MAX_TEXT),
        feedback=optional_text(feedback, FEEDBACK_MAX) or texts.SV_DEFAULT_FEEDBACK,
        cc=optional_text(cc, CC_MAX), level=level, source=source,
        assignee=assignee, cc_person_ids=_cc_persons(session, cc_person_ids, assignee_id),
        cc_unit_ids=_cc_units(session, cc_unit_ids, unit_id),
    )


# --- 承办人员: the people a notice may be addressed to ---------------------------------------------


@dataclass(frozen=True)
class AssigneeChoice:
    id: int
    name: str
    place: str  # what tells two people apart in the picker: their unit or village, else their role


def assignee_choices(session: Session) -> list[AssigneeChoice]:
    """Who may be 承办人员 (base.ASSIGNEE_ROLES), active and reachable by the bot: leaders first, then
    staff, then the units' and villages' contacts. Directors issue notices and are never picked."""
    directors = {p.id for p in all_directors(session)}
    found: dict[int, tuple[int, Person]] = {}
    for rank, role in enumerate(ASSIGNEE_ROLES):
        for person in with_role(session, role):
            if person.telegram_id is not None and person.id not in directors:
                found.setdefault(person.id, (rank, person))
    ranked = sorted(found.values(), key=lambda rp: (rp[0], rp[1].id))
    return [AssigneeChoice(p.id, p.name, _place(session, rank, p)) for rank, p in ranked]


def _place(session: Session, rank: int, person: Person) -> str:
    role = ASSIGNEE_ROLES[rank]  # the first of their roles in that order
    if role != Role.unit:  # a leader or staff member: the role says who they are
        return texts.ROLE_LABELS[role]
    view = people.get(session, person_id=person.id)
    return view.unit_name or view.village_name or texts.ROLE_LABELS[role]


def find_assignee(session: Session, *, name: str) -> AssigneeChoice:
    """A 承办人员 by exact name (the one-line command and the typed answer of the picker)."""
    name = (name or "").strip()
    hits = [c for c in assignee_choices(session) if c.name == name]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise InvalidInput(f"「{name}」有 {len(hits)} 位同名人员，请点按钮选择。")
    raise InvalidInput(texts.SV_ASSIGNEE_NOT_FOUND.format(name=name))


# --- 抄送: registered leaders and units picked by button, besides typed outside bodies ----------------

CC_ROLES = (Role.secretary, Role.leader)
CC_PICKS_MAX = 20


@dataclass(frozen=True)
class CcChoice:
    kind: str  # "p" a leader, "u" a unit
    id: int
    name: str
    reachable: bool = True  # a unit without a contact cannot receive it


def cc_choices(session: Session, *, unit_id: int | None, assignee_id: int | None = None) -> list[CcChoice]:
    """Who may be picked as 抄送: the secretary and the center's leaders (the directors receive every
    notice anyway) other than the person the notice goes to, then the active units other than the
    one it goes to."""
    found: dict[int, Person] = {}
    for role in CC_ROLES:
        for person in with_role(session, role):
            if person.telegram_id is not None:
                found.setdefault(person.id, person)
    directors = {p.id for p in all_directors(session)}
    choices = [CcChoice("p", p.id, p.name) for p in found.values() if p.id not in directors and p.id != assignee_id]
    choices += [CcChoice("u", u.id, u.name, reachable=u.contacts > 0)
                for u in directory.active_units(session) if u.id != unit_id]
    return choices


def _picked(ids: Iterable[int]) -> list[int]:
    picked = list(dict.fromkeys(int(i) for i in ids or ()))
    if len(picked) > CC_PICKS_MAX:
        raise InvalidInput(f"抄送最多选 {CC_PICKS_MAX} 个。")
    return picked


def _cc_persons(session: Session, ids: Iterable[int], assignee_id: int | None) -> tuple[int, ...]:
    allowed = {c.id for c in cc_choices(session, unit_id=None, assignee_id=assignee_id) if c.kind == "p"}
    picked = _picked(ids)
    if any(i not in allowed for i in picked):
        raise InvalidInput("抄送的领导已不在岗、已解绑或就是承办人员，请重新选择抄送。")
    return tuple(picked)


def _cc_units(session: Session, ids: Iterable[int], unit_id: int | None) -> tuple[int, ...]:
    units = {c.id: c for c in cc_choices(session, unit_id=unit_id) if c.kind == "u"}
    picked = _picked(ids)
    for i in picked:
        if i not in units:
            raise InvalidInput("抄送的单位已停用或就是承办单位，请重新选择抄送。")
        if not units[i].reachable:
            raise InvalidInput(texts.SV_CC_NO_CONTACT.format(unit=units[i].name))
    return tuple(picked)



def _send_cc(session: Session, notice: SupervisionNotice, c: Checked, now: datetime, tz: ZoneInfo) -> None:
    """Everyone picked as 抄送 receives the notice and its .docx (those already told are not told twice).
    A confidential case's details go only to those who may open the case."""
    told = {p.id for p in c.contacts} | {p.id for p in all_directors(session)}
    persons = [session.get(Person, i) for i in c.cc_person_ids]
    persons += [p for unit_id in c.cc_unit_ids for p in unit_contacts(session, unit_id)]
    text = notify.supervision.copied(
        number=notice.number, level=c.level.value, unit=c.name, case_number=c.case.number,
        summary=summary_line(c.case, 80), confidential=c.case.confidential, requirements=c.requirements,
        due=long_date(c.due, tz), to_person=c.assignee is not None)
    caption = notify.supervision.document_caption(number=notice.number)
    for person in {p.id: p for p in persons if p is not None and p.id not in told}.values():
        viewer = people.get(session, person_id=person.id)
        if c.case.confidential and not can_view(viewer, c.case):
            send_to(session, [person], notify.supervision.copied_confidential(number=notice.number), None,
                  f"sv{notice.id}:cc", now)
            continue
        buttons = [view_button(notice)] if viewer.active and viewer.has(*SEE_ALL) else None
        send_to(session, [person], text, buttons, f"sv{notice.id}:cc", now)
        send_to(session, [person], caption, buttons, f"sv{notice.id}:ccdocx", now, document=docx_ref(notice.id))


def preview(session: Session, *, actor_id: int, case_id: int, due_date: date, requirements: str,
            now: datetime, policy: DeadlinePolicy, unit_id: int | None = None, assignee_id: int | None = None,
            level: NoticeLevel = NoticeLevel.normal, source: NoticeSource = NoticeSource.local,
            feedback: str | None = None, cc: str | None = None, cc_person_ids: Iterable[int] = (),
            cc_unit_ids: Iterable[int] = ()) -> NoticeView:
    """What the notice will say, every check passed; nothing is written. The number comes on issue."""
    actor = director_only(session, actor_id)
    c = check_notice(session, case_id=case_id, unit_id=unit_id, assignee_id=assignee_id, due_date=due_date,
               requirements=requirements, level=level, source=source, feedback=feedback, cc=cc, now=now,
               policy=policy, cc_person_ids=cc_person_ids, cc_unit_ids=cc_unit_ids)
    cal = policy.calendar(session)
    return NoticeView(
        id=None, number=texts.SV_NUMBER_PENDING, level=c.level, source=c.source, status=N.issued,
        case_id=c.case.id, case_number=c.case.number, case_summary=case_summary(c.case),
        unit_id=c.unit.id if c.unit else None, assignee_id=c.assignee.id if c.assignee else None, unit_name=c.name,
        contacts="、".join(p.name for p in c.contacts) if c.unit else "",
        original_due=long_date(c.case.due_at, policy.tz),
        days_overdue=working_days_after(cal, c.case.due_at, now) if c.case.due_at else 0,
        requirements=c.requirements, due=long_date(c.due, policy.tz), feedback=c.feedback,
        cc=cc_text(session, c.cc_person_ids, c.cc_unit_ids, c.cc), issuer=actor.name, issued_on=local_day(now, policy.tz),
    )


def create_notice(session: Session, actor: people.PersonView, c: Checked, now: datetime, policy: DeadlinePolicy, *,
            original_due_at: datetime | None, parent: SupervisionNotice | None = None,
            style: NoticeStyle = DEFAULT_STYLE) -> SupervisionNotice:
    year = now.astimezone(policy.tz).year
    seq = numbering.next_value(session, name=SEQUENCE, year=year)
    cal = policy.calendar(session)
    notice = SupervisionNotice(
        number=format_number(year, seq, style), year=year, seq=seq, level=c.level, source=c.source, case_id=c.case.id,
        case_summary=case_summary(c.case), unit_id=c.unit.id if c.unit else None,
        assignee_id=c.assignee.id if c.assignee else None, original_due_at=original_due_at,
        days_overdue=working_days_after(cal, original_due_at, now) if original_due_at else 0,
        requirements=c.requirements, due_at=c.due, feedback=c.feedback, cc=c.cc, issuer_id=actor.id,
        cc_person_ids=list(c.cc_person_ids) or None, cc_unit_ids=list(c.cc_unit_ids) or None,
        issued_at=now, status=N.issued, parent_id=parent.id if parent else None, next_check_at=now,
    )
    session.add(notice)
    session.flush()
    record_on_case(session, actor.id, notice, "supervise", now,
            f"{texts.SV_LEVEL_LABELS[c.level.value]}督办 {c.name}，期限 {long_date(c.due, policy.tz)}：{c.requirements}")
    text = notify.supervision.issued_to_unit(
        number=notice.number, level=c.level.value, source=c.source.value, case_number=c.case.number,
        summary=summary_line(c.case, 80), confidential=c.case.confidential, requirements=c.requirements,
        due=long_date(c.due, policy.tz), feedback=c.feedback,
        reissued_from=parent.number if parent is not None else None,
        reissue_reason=parent.closing_note if parent is not None else None,
    )
    buttons = [[(texts.SV_SIGN, NoticeSign(notice.id).pack()), *view_button(notice)]]
    send_to(session, c.contacts, text, buttons, f"sv{notice.id}:issued", now, notice=notice)
    text = notify.supervision.issued_to_director(
        number=notice.number, level=c.level.value, unit=c.name, case_number=c.case.number,
        due=long_date(c.due, policy.tz),
    )
    send_to(session, all_directors(session), text, [view_button(notice)], f"sv{notice.id}:issued", now, notice=notice)
    queue_docx(session, notice, [*c.contacts, *all_directors(session)], f"sv{notice.id}:docx", now)
    _send_cc(session, notice, c, now, policy.tz)
    _hand_case_over(session, actor, notice, c, now, policy)
    return notice


def _hand_case_over(session: Session, actor: people.PersonView, notice: SupervisionNotice, c: Checked,
                    now: datetime, policy: DeadlinePolicy) -> None:
    """A notice puts its case in the unit's hands through the normal case actions (their audit and
    notifications): 受理 first if the case is still 已登记, then 分派 to the unit unless it has it.
    A notice to a person: 分派 to them as handler if they may handle a case (a leader or staff member)
    and do not hold it yet; a unit's or village's contact holds no case by name, so it stays where it is.
    The case's deadline: a running deadline earlier than the notice's is kept (a notice does not
    quietly extend a case; extensions go through their approval); otherwise (no deadline before
    the notice, a later one, or one already passed) the case follows the notice's deadline, the one
    the director has just set and the unit now works to — except a 包案 case's passed deadline, which
    only the party secretary extends. A case past 办理 (办结, 转办…) or paused (挂起, approved) is left
    as it is."""
    case = c.case
    status = CaseStatus(case.status)
    before = case.due_at if status != CaseStatus.registered else None
    if status == CaseStatus.registered:
        cases.accept(session, actor_id=actor.id, case_id=case.id, now=now, policy=policy)
    if CaseStatus(case.status) in cases.TRANSITIONS["assign"].from_states and not holds_case(session, notice, case):
        if c.unit is not None:
            cases.assign(session, actor_id=actor.id, case_id=case.id, unit_id=c.unit.id, now=now)
        elif people.get(session, person_id=c.assignee.id).has(*CENTER):
            cases.assign(session, actor_id=actor.id, case_id=case.id, handler_id=c.assignee.id, now=now)
    if CaseStatus(case.status) not in deadlines.RUNNING or case.paused_at is not None:
        return
    if before is not None and before <= c.due and (now < before or case.leader_id is not None):
        return
    if case.due_at != c.due:
        deadlines.set_deadline(session, actor_id=actor.id, case_id=case.id, due_date=c.due.astimezone(policy.tz).date(),
                               reason=texts.SV_CASE_DEADLINE_REASON.format(number=notice.number), now=now,
                               policy=policy)


def issue(session: Session, *, actor_id: int, case_id: int, due_date: date, requirements: str,
          now: datetime, policy: DeadlinePolicy, unit_id: int | None = None, assignee_id: int | None = None,
          level: NoticeLevel = NoticeLevel.normal, source: NoticeSource = NoticeSource.local,
          feedback: str | None = None, cc: str | None = None, style: NoticeStyle = DEFAULT_STYLE,
          cc_person_ids: Iterable[int] = (), cc_unit_ids: Iterable[int] = ()) -> SupervisionNotice:
    """The director issues a notice to a unit or to a person (exactly one): the next number of the
    year (one sequence for both); the unit's contacts or the person, the director and those picked as
    抄送 told."""
    actor = director_only(session, actor_id)
    c = check_notice(session, case_id=case_id, unit_id=unit_id, assignee_id=assignee_id, due_date=due_date,
               requirements=requirements, level=level, source=source, feedback=feedback, cc=cc, now=now,
               policy=policy, cc_person_ids=cc_person_ids, cc_unit_ids=cc_unit_ids)
    return create_notice(session, actor, c, now, policy, original_due_at=c.case.due_at, style=style)


# --- the one-line command ----------------------------------------------------------------------

_CASE_RE = re.compile(r"^(\d{4})-(\d{1,6})$")
_FULL_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_SHORT_DATE_RE = re.compile(r"^(\d{1,2})[-/.月](\d{1,2})日?$")


def _date_token(token: str, today: date | None) -> date | None:
    """A date, or None if the token does not look like one; InvalidInput if it looks like one but is not."""
    token = unicodedata.normalize("NFKC", token)
    if m := _FULL_DATE_RE.match(token):
        year, month, day = (int(g) for g in m.groups())
    elif (m := _SHORT_DATE_RE.match(token)) and today is not None:
        year, (month, day) = today.year, (int(g) for g in m.groups())
        try:
            if date(year, month, day) < today:
                year += 1  # 1-05 typed in December means next January
        except ValueError:
            pass
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(f"日期「{token}」不存在，请核对（例如 2026-12-10）。") from None


def parse_command(text: str, *, today: date | None = None) -> SuperviseCommand:
    """`/supervise 2026-0042 镇司法所 2026-12-10 督办要求` → the parts, or a clear InvalidInput.
    With `today`, a date may also be written as 12-10 or 12月10日."""
    parts = (text or "").strip().split(maxsplit=1)
    if parts and parts[0].startswith("/"):
        parts = parts[1:]
    rest = parts[0].strip() if parts else ""
    if not rest:
        raise InvalidInput(texts.SV_COMMAND_USAGE)
    tokens = rest.split()
    number = unicodedata.normalize("NFKC", tokens[0]).replace("—", "-")
    if not _CASE_RE.match(number):
        raise InvalidInput(f"事项编号「{tokens[0]}」不对，应形如 2026-0042。\n{texts.SV_COMMAND_USAGE}")
    for i, token in enumerate(tokens[1:], start=1):
        due = _date_token(token, today)
        if due is None:
            continue
        unit = " ".join(tokens[1:i]).strip()
        if not unit:
            raise InvalidInput(f"请在事项编号后写上承办单位名称，例如 镇司法所。\n{texts.SV_COMMAND_USAGE}")
        requirements = " ".join(tokens[i + 1:]).strip()
        if not requirements:
            raise InvalidInput(f"请在日期后写上督办要求。\n{texts.SV_COMMAND_USAGE}")
        if len(requirements) > MAX_TEXT:
            raise InvalidInput(texts.TOO_LONG.format(limit=MAX_TEXT))
        year, seq = _CASE_RE.match(number).groups()
        return SuperviseCommand(case_number=f"{year}-{int(seq):04d}", unit_name=unit, due_date=due,
                                requirements=requirements)
    if len(tokens) < 2:
        raise InvalidInput(f"请在事项编号后写上承办单位名称和办理期限。\n{texts.SV_COMMAND_USAGE}")
    raise InvalidInput(f"没有找到办理期限，请写成 2026-12-10 这样的日期。\n{texts.SV_COMMAND_USAGE}")


def find_unit(session: Session, *, name: str) -> Unit:
    """By exact name, else the one active unit whose name contains it."""
    name = (name or "").strip()
    units = list(session.exec(select(Unit).where(col(Unit.active)).order_by(col(Unit.name))))
    exact = [u for u in units if u.name == name]
    if exact:
        return exact[0]
    close = [u for u in units if name and name in u.name]
    if len(close) == 1:
        return close[0]
    if close:
        raise InvalidInput(f"「{name}」对应多个单位：{'、'.join(u.name for u in close[:10])}。请写全称。")
    known = "、".join(u.name for u in units[:10]) or "（还没有单位）"
    raise InvalidInput(f"没有找到单位「{name}」。现有单位：{known}")


def resolve_command(session: Session, *, actor_id: int, command: SuperviseCommand) -> SuperviseDraft:
    """The one-line command's case number and unit name, looked up; then preview() and issue()."""
    director_only(session, actor_id)
    case_id = cases.find_by_number(session, number=command.case_number)
    try:
        unit = find_unit(session, name=command.unit_name)
    except InvalidInput as not_a_unit:  # perhaps a 承办人员, written by name
        try:
            person = find_assignee(session, name=command.unit_name)
        except InvalidInput:
            raise not_a_unit from None
        return SuperviseDraft(case_id=case_id, case_number=command.case_number, unit_id=None,
                              unit_name=person.name, assignee_id=person.id, due_date=command.due_date,
                              requirements=command.requirements)
    return SuperviseDraft(case_id=case_id, case_number=command.case_number, unit_id=unit.id, unit_name=unit.name,
                          due_date=command.due_date, requirements=command.requirements)
