"""Meetings (工作例会, 联席会议, 研判会, 联系点村会议, 调处会): scheduling on the working-day calendar, invitations
and answers, reminders the day before and an hour before, the agenda drafted from the data, and the
minutes. The decisions a meeting makes live in bot/services/decisions.py.

A 调处会 is convened from a case's card (督办制度: 对影响社会稳定或涉及部门较多的重大矛盾纠纷个例，中心
可以召集有关部门直接进行调处): the departments picked, the case's 主办/协办 units and its 包案领导 are
invited, and when its minutes are closed they are the case's 会商 (bot/services/joint.py).

Reminders are marks on the invitation (day_reminded_at, hour_reminded_at) set in the same unit of
work as their outbox rows, whose keys carry the meeting and the person: a sweep that runs twice, a
restart or a second process never reminds twice.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, func, select

from bot import texts
from bot.callbacks import MeetingAgenda, MeetingAnswer, MeetingNew, MeetingOpen, MeetingRoll, MeetingSignIn
from bot.services import audit, cases, joint, numbering, outbox, people, work_plans
from bot.services.access import CENTER
from bot.services.case_access import can_view, record_event, summary_line, visible_case
from bot.services.deadlines import RUNNING, DeadlinePolicy, fmt
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.recipients import tell, unit_contacts, with_role
from bot.services.workdays import WorkCalendar
from bot.texts import meetings as t
from bot.texts.notify import meetings as notify
from models import (
    Attendance,
    Case,
    CaseStatus,
    CaseType,
    ContactPoint,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingInvitee,
    MeetingKind,
    MeetingStatus,
    MinuteItem,
    Person,
    PersonRole,
    PlanPeriod,
    ReportSection,
    Role,
    SupervisionNotice,
    Unit,
    UrgentAlert,
    Village,
)

WEEKLY_AT = time(8, 30)
DAY_BEFORE_AT = time(16, 0)  # the day-before reminder: at 16:00 on the previous working day
HOUR_BEFORE = timedelta(hours=1)
SIGN_IN_FROM = timedelta(minutes=30)
JOINT_KINDS = (MeetingKind.joint, MeetingKind.joint_adhoc)
MEDIATION_UNITS_MAX = 8
OPEN_DECISIONS = (DecisionStatus.held, DecisionStatus.issued, DecisionStatus.received, DecisionStatus.reported)
NOTICE_OPEN = ("issued", "signed", "reported")
MAX_ITEM = 1000
MAX_AGENDA = 3500


# --- the weekly slot -------------------------------------------------------------------------------


def weekly_slot(cal: WorkCalendar, week_of: date) -> datetime | None:
    """The weekly meeting of the week containing `week_of`: Monday 08:30, or 08:30 of the first
    working day after it in the same week (National Day week 2026: Thursday 10-08). None when the
    week has no working day (Spring Festival week 2026-02-16): the next week's meeting covers it."""
    monday = week_of - timedelta(days=week_of.weekday())
    for offset in range(7):
        day = monday + timedelta(days=offset)
        if cal.is_workday(day)[0]:
            return cal.at(day, WEEKLY_AT)
    return None


def next_weekly_slot(cal: WorkCalendar, now: datetime) -> datetime:
    """The first weekly slot after `now` (this week's if it is still ahead)."""
    day = cal.local(now).date()
    for week in range(10):
        slot = weekly_slot(cal, day + timedelta(weeks=week))
        if slot is not None and slot > now:
            return slot
    raise RuntimeError("no working day within 10 weeks")


# --- who may schedule, who is invited --------------------------------------------------------------


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise NotAllowed()
    return person


def _roles(session: Session, person_id: int) -> set[Role]:
    return {Role(r) for r in session.exec(select(PersonRole.role).where(PersonRole.person_id == person_id))}


def _contact_villages(session: Session, person_id: int) -> set[int]:
    return set(session.exec(select(ContactPoint.village_id).where(ContactPoint.person_id == person_id)))


def may_schedule(session: Session, *, person_id: int, kind: MeetingKind, village_id: int | None = None) -> bool:
    roles = _roles(session, person_id)
    if Role.director in roles:
        return True
    if kind in JOINT_KINDS:
        return Role.staff in roles  # organised by the 综治办
    if kind == MeetingKind.mediation:
        return bool(roles & CENTER)  # as the 会商 recorded on the card (joint.py)
    if kind == MeetingKind.village:
        return village_id is not None and village_id in _contact_villages(session, person_id)
    return False


def schedulable_kinds(session: Session, *, person_id: int) -> list[MeetingKind]:
    """What the person may schedule (the /meetings buttons). A 调处会 is convened from its case's card."""
    found = [k for k in MeetingKind if k not in (MeetingKind.village, MeetingKind.mediation)
             and may_schedule(session, person_id=person_id, kind=k)]
    if _contact_villages(session, person_id) or Role.director in _roles(session, person_id):
        found.append(MeetingKind.village)
    return found


def _people_with(session: Session, roles) -> list[Person]:
    return list(session.exec(select(Person).join(PersonRole, PersonRole.person_id == Person.id).where(
        col(PersonRole.role).in_(list(roles)), col(Person.active)).distinct()))


def invitees_for(session: Session, *, kind: MeetingKind, organiser_id: int, village_id: int | None,
                 case: Case | None = None, unit_ids: list[int] = ()) -> list[tuple[Person, bool]]:
    """(person, 列席?) by role and unit. 工作例会 and 研判会: the whole center. 联席会议: its 参会人员
    are the party committee members (党委书记, 镇党政领导), every member unit's contacts and the
    whole center (联席会议制度 二), so all of them attend (出席). 联系点村会议: the organiser and the
    village's grid workers. 调处会: the organiser, the director who chairs it, the case's 包案领导 and
    the departments' contacts. Nobody sits in (列席) by rule; the flag stays for what the 纪要 prints."""
    found: dict[int, tuple[Person, bool]] = {}

    def add(persons, observer=False):
        for p in persons:
            if p.active and p.id not in found:
                found[p.id] = (p, observer)

    if kind in JOINT_KINDS:
        add(_people_with(session, {Role.director, Role.secretary, Role.township_leader}))
        add(with_role(session, Role.unit))
        add(_people_with(session, CENTER))
    elif kind == MeetingKind.village:
        add([session.get(Person, organiser_id)])
        add(session.exec(select(Person).join(PersonRole, PersonRole.person_id == Person.id).where(
            Person.village_id == village_id, PersonRole.role == Role.grid, col(Person.active))))
    elif kind == MeetingKind.mediation:
        add([session.get(Person, organiser_id)])
        add(_people_with(session, {Role.director}))
        if case is not None and case.leader_id:
            add([session.get(Person, case.leader_id)])
        for unit_id in unit_ids:
            add(unit_contacts(session, unit_id))
    else:
        add(_people_with(session, CENTER))
    return list(found.values())


# --- read models ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InviteeView:
    person_id: int
    name: str
    observer: bool
    answer: Attendance | None
    reason: str | None
    signed_in: bool


@dataclass(frozen=True)
class MeetingView:
    id: int
    kind: MeetingKind
    title: str  # 2026年第3次工作例会
    number: str  # 〔2026〕例会第3号
    starts_at: datetime
    place: str
    status: MeetingStatus
    organiser_id: int
    organiser: str
    chair: str  # 主持人: the director for a 联席会议 (chair_for), else the organiser
    village: str | None
    agenda: str | None
    agenda_sent: bool
    invitees: tuple[InviteeView, ...]
    minutes: tuple[str, ...]  # the items as text ("🎤 语音" for a voice note)
    cc: str | None
    case_id: int | None = None  # 调处会: the case mediated, and its departments
    case_number: str | None = None
    units: tuple[str, ...] = ()
    case_visible: bool = False  # the viewer may open the case (meeting_view)

    def invitee(self, person_id: int) -> InviteeView | None:
        return next((i for i in self.invitees if i.person_id == person_id), None)

    @property
    def unanswered(self) -> list[InviteeView]:
        return [i for i in self.invitees if i.answer is None]


def meeting_number(meeting: Meeting) -> str:
    return t.MEETING_NUMBER.format(year=meeting.year, short=t.KIND_SHORT[MeetingKind(meeting.kind)],
                                   number=meeting.number)


def meeting_title(meeting: Meeting) -> str:
    return t.MEETING_TITLE.format(year=meeting.year, number=meeting.number, kind=t.KIND_LABELS[MeetingKind(meeting.kind)])


def load(session: Session, meeting_id: int, *, lock: bool = False) -> Meeting:
    stmt = select(Meeting).where(Meeting.id == meeting_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    meeting = session.exec(stmt).first()
    if meeting is None:
        raise NotFound(t.NOT_FOUND)
    return meeting


def view_of(session: Session, meeting: Meeting) -> MeetingView:
    rows = session.exec(select(MeetingInvitee, Person).join(Person, Person.id == MeetingInvitee.person_id).where(
        MeetingInvitee.meeting_id == meeting.id).order_by(col(MeetingInvitee.observer), col(Person.id)))
    invitees = tuple(InviteeView(p.id, p.name, i.observer, Attendance(i.answer) if i.answer else None, i.reason,
                                 i.signed_in_at is not None) for i, p in rows)
    items = session.exec(select(MinuteItem).where(MinuteItem.meeting_id == meeting.id).order_by(col(MinuteItem.seq)))
    village = session.get(Village, meeting.village_id) if meeting.village_id else None
    case = session.get(Case, meeting.case_id) if meeting.case_id else None
    return MeetingView(
        id=meeting.id, kind=MeetingKind(meeting.kind), title=meeting_title(meeting), number=meeting_number(meeting),
        starts_at=meeting.starts_at, place=meeting.place, status=MeetingStatus(meeting.status),
        organiser_id=meeting.organiser_id, organiser=session.get(Person, meeting.organiser_id).name,
        chair=session.get(Person, meeting.chair_id).name if meeting.chair_id else "", village=village.name if village else None, agenda=meeting.agenda,
        agenda_sent=meeting.agenda_sent_at is not None, invitees=invitees,
        minutes=tuple(i.text if i.text else t.VOICE_ITEM for i in items), cc=meeting.cc,
        case_id=meeting.case_id, case_number=case.number if case else None,
        units=tuple(_unit_names(session, meeting.unit_ids)),
    )


def _unit_names(session: Session, unit_ids: list[int] | None) -> list[str]:
    return [u.name for u in (session.get(Unit, i) for i in unit_ids or ()) if u is not None]


def _may_see(session: Session, meeting: Meeting, person_id: int) -> bool:
    if meeting.organiser_id == person_id or session.get(MeetingInvitee, (meeting.id, person_id)) is not None:
        return True
    return bool(_roles(session, person_id) & {Role.director, Role.secretary})


def meeting_view(session: Session, *, actor_id: int, meeting_id: int) -> MeetingView:
    meeting = load(session, meeting_id)
    if not _may_see(session, meeting, actor_id):
        raise NotAllowed(t.NOT_INVITED)
    view = view_of(session, meeting)
    if meeting.case_id is None:
        return view
    return replace(view, case_visible=can_view(people.get(session, person_id=actor_id), session.get(Case, meeting.case_id)))


@dataclass(frozen=True)
class MeetingLine:
    id: int
    title: str
    starts_at: datetime
    status: MeetingStatus


def list_meetings(session: Session, *, actor_id: int, now: datetime, limit: int = 10) -> tuple[list[MeetingLine], list[MeetingLine]]:
    """(upcoming, past) meetings the person organises or is invited to (the director and the
    secretary see all)."""
    stmt = select(Meeting)
    if not _roles(session, actor_id) & {Role.director, Role.secretary}:
        invited = select(MeetingInvitee.meeting_id).where(MeetingInvitee.person_id == actor_id)
        stmt = stmt.where((Meeting.organiser_id == actor_id) | col(Meeting.id).in_(invited))
    upcoming = session.exec(stmt.where(Meeting.status == MeetingStatus.scheduled, Meeting.starts_at > now - timedelta(hours=12))
                            .order_by(col(Meeting.starts_at)).limit(limit))
    past = session.exec(stmt.where((Meeting.status != MeetingStatus.scheduled) | (Meeting.starts_at <= now - timedelta(hours=12)))
                        .order_by(col(Meeting.starts_at).desc()).limit(limit))

    def line(m):
        return MeetingLine(m.id, meeting_title(m), m.starts_at, MeetingStatus(m.status))

    return [line(m) for m in upcoming], [line(m) for m in past]


# --- scheduling ------------------------------------------------------------------------------------


def _tell_invitees(session: Session, meeting: Meeting, text: str, *, key: str, now: datetime, buttons=None,
                   only_unanswered: bool = False, exclude: int | None = None, case: Case | None = None) -> int:
    stmt = select(MeetingInvitee, Person).join(Person, Person.id == MeetingInvitee.person_id).where(
        MeetingInvitee.meeting_id == meeting.id)
    if only_unanswered:
        stmt = stmt.where(col(MeetingInvitee.answer).is_(None))
    sent = 0
    for _invitee, person in session.exec(stmt):
        if person.id == exclude or person.telegram_id is None or not person.active:
            continue
        sent += outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, text=text,
                               buttons=buttons(person) if callable(buttons) else buttons, key=f"{key}:p{person.id}",
                               now=now, case=case)
    return sent


def _answer_buttons(meeting_id: int):
    return [[(t.BUTTON_ATTEND, MeetingAnswer(meeting_id, Attendance.attend).pack()),
             (t.BUTTON_LEAVE, MeetingAnswer(meeting_id, Attendance.leave).pack())],
            [(t.BUTTON_OPEN, MeetingOpen(meeting_id).pack())]]


def _when(meeting: Meeting, tz) -> str:
    return t.when(meeting.starts_at.astimezone(tz))


def chair_for(session: Session, *, kind: MeetingKind, organiser: Person) -> Person:
    """The 主持人. A 联席会议 is convened (召集) by the center's director whoever organises it (the
    综治办: 联席会议制度 一), and so is a 调处会 (中心召集); without an active director, the organiser
    chairs. Any other meeting is chaired by whoever schedules it."""
    if kind in (*JOINT_KINDS, MeetingKind.mediation):
        directors = sorted(_people_with(session, {Role.director}), key=lambda p: p.id)
        if directors:
            return directors[0]
    return organiser


def schedule(session: Session, *, actor_id: int, kind: MeetingKind, starts_at: datetime, place: str, now: datetime,
             policy: DeadlinePolicy, village_id: int | None = None, case_id: int | None = None,
             unit_ids: list[int] = ()) -> MeetingView:
    """Schedule a meeting and invite by role and unit; the organiser attends by default. A 调处会
    takes its case and the departments picked (mediation_units)."""
    kind = MeetingKind(kind)
    actor = _person(session, actor_id)
    if kind == MeetingKind.village and village_id is None:
        raise InvalidInput(t.MAY_NOT_SCHEDULE)
    case = None
    if kind == MeetingKind.mediation:
        case = _mediation_case(session, actor_id, case_id, lock=True)
        unit_ids = _convened(_choices(session, case), unit_ids)
    elif case_id is not None or unit_ids:
        raise InvalidInput(t.MAY_NOT_SCHEDULE)
    if not may_schedule(session, person_id=actor_id, kind=kind, village_id=village_id):
        raise NotAllowed(t.MAY_NOT_SCHEDULE)
    if starts_at <= now:
        raise InvalidInput(t.IN_PAST)
    place = (place or "").strip()
    if not 2 <= len(place) <= 60:
        raise InvalidInput(t.PLACE_BAD)
    year = starts_at.astimezone(policy.tz).year
    meeting = Meeting(kind=kind, year=year, number=numbering.next_value(session, name=f"mtg-{t.KIND_SHORT[kind]}", year=year),
                      starts_at=starts_at, place=place, organiser_id=actor.id,
                      chair_id=chair_for(session, kind=kind, organiser=actor).id, village_id=village_id,
                      case_id=case.id if case else None, unit_ids=list(unit_ids) if case else None, created_at=now)
    session.add(meeting)
    session.flush()
    for person, observer in invitees_for(session, kind=kind, organiser_id=actor.id, village_id=village_id,
                                         case=case, unit_ids=unit_ids):
        mine = person.id == actor.id
        session.add(MeetingInvitee(meeting_id=meeting.id, person_id=person.id, observer=observer and not mine,
                                   answer=Attendance.attend if mine else None, answered_at=now if mine else None))
    session.flush()
    audit.record(session, actor_id=actor.id, action="meeting.schedule", subject_type="meeting", subject_id=meeting.id,
                 now=now, note=f"{meeting_title(meeting)} {fmt(starts_at, policy.tz)} {place}")
    about = None
    if case is not None:
        about = (case.number, None if case.confidential else summary_line(case), "、".join(_unit_names(session, unit_ids)))
        record_event(session, actor.id, case, "mediation", now,
                     note=f"{meeting_number(meeting)} {fmt(starts_at, policy.tz)} {place}")
    text = notify.invited(title=meeting_title(meeting), when=_when(meeting, policy.tz), place=place,
                          organiser=actor.name, case=about)
    _tell_invitees(session, meeting, text, key=f"meeting{meeting.id}:invite", now=now,
                   buttons=_answer_buttons(meeting.id), exclude=actor.id, case=case)
    return view_of(session, meeting)


# --- 调处会 -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MediationChoices:
    case_id: int
    number: str
    units: tuple[tuple[int, str, bool], ...]  # (id, name, fixed: the case's 主办/协办 unit, always convened)
    no_contact: frozenset[int] = frozenset()  # units with nobody to invite yet (told on the pick screen)


def _mediation_case(session: Session, actor_id: int, case_id: int | None, *, lock: bool = False) -> Case:
    if case_id is None:
        raise InvalidInput(t.MEDIATION_FROM_CASE)
    _, case = visible_case(session, actor_id, case_id, lock=lock)
    if not may_schedule(session, person_id=actor_id, kind=MeetingKind.mediation):
        raise NotAllowed(t.MEDIATION_NOT_CENTER)
    if CaseStatus(case.status) not in cases.OPEN:
        raise InvalidInput(t.MEDIATION_CLOSED.format(number=case.number,
                                                     status=texts.STATUS_LABELS[CaseStatus(case.status)]))
    return case


def mediation_choices(session: Session, *, actor_id: int, case_id: int) -> MediationChoices:
    """The departments a 调处会 may convene: every active unit, the case's own marked fixed."""
    return _choices(session, _mediation_case(session, actor_id, case_id))


def mediation_units(session: Session, *, actor_id: int, case_id: int, picked) -> list[int]:
    """The departments convened (see _convened), or why not."""
    return _convened(mediation_choices(session, actor_id=actor_id, case_id=case_id), picked)


def _choices(session: Session, case: Case) -> MediationChoices:
    fixed = {case.unit_id, *joint.co_unit_ids(session, case.id)}
    units = list(session.exec(select(Unit).where(col(Unit.active)).order_by(col(Unit.id))))
    return MediationChoices(case.id, case.number, tuple((u.id, u.name, u.id in fixed) for u in units),
                            frozenset(u.id for u in units if not unit_contacts(session, u.id)))


def _convened(choices: MediationChoices, picked) -> list[int]:
    """The case's 主办 and 协办 units first, then those picked; at least one, at most
    MEDIATION_UNITS_MAX, every one active."""
    active = {i for i, _, _ in choices.units}
    picked = [int(i) for i in picked]
    if any(i not in active for i in picked):
        raise InvalidInput(t.MEDIATION_BAD_UNIT)
    found = list(dict.fromkeys([*(i for i, _, fixed in choices.units if fixed), *picked]))
    if not found:
        raise InvalidInput(t.MEDIATION_NO_UNIT)
    if len(found) > MEDIATION_UNITS_MAX:
        raise InvalidInput(t.MEDIATION_TOO_MANY.format(limit=MEDIATION_UNITS_MAX))
    return found


def _record_mediation(session: Session, meeting: Meeting, *, actor_id: int, now: datetime) -> None:
    """A 调处会's closed minutes are its case's 会商: the people present who came for no department,
    the departments convened, and the minutes' text as the conclusion."""
    view = view_of(session, meeting)
    present = [i.person_id for i in view.invitees if i.signed_in or i.answer == Attendance.attend]
    units = set(meeting.unit_ids or ())
    person_ids = [p.id for p in (session.get(Person, i) for i in present) if p.unit_id not in units]
    written = [i.text for i in session.exec(select(MinuteItem).where(MinuteItem.meeting_id == meeting.id)
                                            .order_by(col(MinuteItem.seq))) if i.text]
    voices = len(view.minutes) - len(written)
    conclusion = "\n".join(written) or t.MEDIATION_SEE_MINUTES.format(number=view.number)
    if written and voices:
        conclusion += t.MEDIATION_VOICE.format(count=voices)
    joint.record_from_meeting(session, actor_id=actor_id, case_id=meeting.case_id, meeting_id=meeting.id,
                              held_at=meeting.starts_at, person_ids=person_ids, unit_ids=list(meeting.unit_ids or ()),
                              conclusion=conclusion, now=now)


def _organised(session: Session, actor_id: int, meeting_id: int, *, scheduled: bool = True) -> Meeting:
    meeting = load(session, meeting_id, lock=True)
    if meeting.organiser_id != actor_id and Role.director not in _roles(session, actor_id):
        raise NotAllowed(t.NOT_ORGANISER)
    if scheduled and meeting.status != MeetingStatus.scheduled:
        raise InvalidInput(t.NOT_SCHEDULED)
    return meeting


def reschedule(session: Session, *, actor_id: int, meeting_id: int, starts_at: datetime, now: datetime,
               policy: DeadlinePolicy, place: str | None = None) -> MeetingView:
    """改期: reminders are due again for the new time; everyone is told."""
    meeting = _organised(session, actor_id, meeting_id)
    if starts_at <= now:
        raise InvalidInput(t.IN_PAST)
    before = _when(meeting, policy.tz)
    meeting.starts_at = starts_at
    if place:
        meeting.place = place.strip()[:60]
    session.add(meeting)
    for invitee in session.exec(select(MeetingInvitee).where(MeetingInvitee.meeting_id == meeting.id)):
        invitee.day_reminded_at = invitee.hour_reminded_at = None
        session.add(invitee)
    audit.record(session, actor_id=actor_id, action="meeting.reschedule", subject_type="meeting",
                 subject_id=meeting.id, now=now, note=fmt(starts_at, policy.tz))
    text = notify.rescheduled(title=meeting_title(meeting), before=before, when=_when(meeting, policy.tz),
                              place=meeting.place)
    _tell_invitees(session, meeting, text, key=f"meeting{meeting.id}:moved:{starts_at:%Y%m%d%H%M}", now=now,
                   buttons=_answer_buttons(meeting.id), exclude=actor_id)
    return view_of(session, meeting)


def cancel(session: Session, *, actor_id: int, meeting_id: int, now: datetime, policy: DeadlinePolicy) -> MeetingView:
    meeting = _organised(session, actor_id, meeting_id)
    meeting.status, meeting.cancelled_at = MeetingStatus.cancelled, now
    session.add(meeting)
    audit.record(session, actor_id=actor_id, action="meeting.cancel", subject_type="meeting", subject_id=meeting.id,
                 now=now)
    _tell_invitees(session, meeting, notify.cancelled(title=meeting_title(meeting), when=_when(meeting, policy.tz)),
                   key=f"meeting{meeting.id}:cancel", now=now, exclude=actor_id)
    return view_of(session, meeting)


# --- answers, sign-in, the roll, the chase -----------------------------------------------------------


def _invitation(session: Session, meeting: Meeting, person_id: int) -> MeetingInvitee:
    invitee = session.get(MeetingInvitee, (meeting.id, person_id))
    if invitee is None:
        raise NotAllowed(t.NOT_INVITED)
    return invitee


def answer(session: Session, *, actor_id: int, meeting_id: int, attend: bool, now: datetime,
           reason: str | None = None) -> MeetingView:
    """参加, or 请假 with a reason; a later answer replaces the earlier one."""
    meeting = load(session, meeting_id)
    if meeting.status != MeetingStatus.scheduled:
        raise InvalidInput(t.NOT_SCHEDULED)
    invitee = _invitation(session, meeting, actor_id)
    if not attend:
        reason = (reason or "").strip()
        if not 2 <= len(reason) <= 200:
            raise InvalidInput(t.LEAVE_NEEDS_REASON)
    invitee.answer = Attendance.attend if attend else Attendance.leave
    invitee.reason = None if attend else reason
    invitee.answered_at = now
    session.add(invitee)
    if not attend and meeting.organiser_id != actor_id:  # the organiser hears of a leave at once
        organiser, person = session.get(Person, meeting.organiser_id), session.get(Person, actor_id)
        if organiser is not None and organiser.telegram_id is not None and organiser.active:
            outbox.enqueue(session, chat_id=organiser.telegram_id, person_id=organiser.id,
                           text=notify.leave(name=person.name, title=meeting_title(meeting), reason=reason),
                           buttons=[[(t.BUTTON_ROLL, MeetingRoll(meeting.id).pack())]],
                           key=f"meeting{meeting.id}:leave:p{actor_id}:{now:%Y%m%d%H%M%S}", now=now)
    audit.record(session, actor_id=actor_id, action="meeting.answer", subject_type="meeting", subject_id=meeting.id,
                 now=now, note=t.LEAVE_NOTE.format(answer=t.ANSWER_LABELS[invitee.answer], reason=reason) if not attend
                 else t.ANSWER_LABELS[invitee.answer])
    return view_of(session, meeting)


def sign_in(session: Session, *, actor_id: int, meeting_id: int, now: datetime) -> MeetingView:
    """签到: from 30 minutes before the start; signing in also answers 参加."""
    meeting = load(session, meeting_id)
    if meeting.status != MeetingStatus.scheduled:
        raise InvalidInput(t.NOT_SCHEDULED)
    invitee = _invitation(session, meeting, actor_id)
    if now < meeting.starts_at - SIGN_IN_FROM:
        raise InvalidInput(t.SIGN_IN_EARLY)
    if invitee.signed_in_at is None:
        invitee.signed_in_at = now
        invitee.answer, invitee.reason = Attendance.attend, None
        invitee.answered_at = invitee.answered_at or now
        session.add(invitee)
    return view_of(session, meeting)


def chase_unanswered(session: Session, *, actor_id: int, meeting_id: int, now: datetime,
                     policy: DeadlinePolicy) -> int:
    """One press: everyone who has not answered is asked again (once per minute at most)."""
    meeting = _organised(session, actor_id, meeting_id)
    text = notify.chase(title=meeting_title(meeting), when=_when(meeting, policy.tz), place=meeting.place)
    sent = _tell_invitees(session, meeting, text, key=f"meeting{meeting.id}:chase:{now:%Y%m%d%H%M}", now=now,
                          buttons=_answer_buttons(meeting.id), only_unanswered=True)
    for invitee in session.exec(select(MeetingInvitee).where(MeetingInvitee.meeting_id == meeting.id,
                                                             col(MeetingInvitee.answer).is_(None))):
        invitee.chased_at = now
        session.add(invitee)
    return sent


# --- reminders: the day before and an hour before -----------------------------------------------------


def day_before_moment(cal: WorkCalendar, starts_at: datetime) -> datetime:
    """16:00 on the last working day before the meeting's day (Friday for a Monday meeting)."""
    day = cal.local(starts_at).date() - timedelta(days=1)
    for _ in range(30):
        if cal.is_workday(day)[0]:
            break
        day -= timedelta(days=1)
    return cal.at(day, DAY_BEFORE_AT)


def sweep_reminders(session: Session, *, now: datetime, policy: DeadlinePolicy) -> int:
    """Remind every invitee who has not asked for leave, the day before and an hour before."""
    cal = policy.calendar(session)
    sent = 0
    soon = session.exec(select(Meeting).where(Meeting.status == MeetingStatus.scheduled, Meeting.starts_at > now,
                                              Meeting.starts_at <= now + timedelta(days=15)))
    for meeting in list(soon):
        hour = now >= meeting.starts_at - HOUR_BEFORE
        day = not hour and now >= day_before_moment(cal, meeting.starts_at)
        if not (hour or day):
            continue
        mark = "hour_reminded_at" if hour else "day_reminded_at"
        rows = session.exec(select(MeetingInvitee, Person).join(Person, Person.id == MeetingInvitee.person_id).where(
            MeetingInvitee.meeting_id == meeting.id, col(getattr(MeetingInvitee, mark)).is_(None)))
        agenda = None
        if not hour and meeting.agenda_sent_at is None:
            # the agenda goes out with the day-before reminder unless the organiser sent it already
            meeting.agenda = meeting.agenda or draft_agenda(session, meeting=meeting, now=now, policy=policy)
            meeting.agenda_sent_at = now
            session.add(meeting)
            agenda = meeting.agenda
        text = notify.reminder(title=meeting_title(meeting), when=_when(meeting, policy.tz), place=meeting.place,
                               hour=hour, agenda=agenda)
        for invitee, person in list(rows):
            setattr(invitee, mark, now)
            if hour:  # the hour reminder makes a day reminder not yet sent pointless
                invitee.day_reminded_at = invitee.day_reminded_at or now
            session.add(invitee)
            if invitee.answer == Attendance.leave or person.telegram_id is None or not person.active:
                continue
            # the day before, the agenda is one press away (the organiser may also have sent it)
            buttons = ([[(t.BUTTON_SIGN_IN, MeetingSignIn(meeting.id).pack())]] if hour
                       else [*_answer_buttons(meeting.id)[:1], [(t.BUTTON_AGENDA, MeetingAgenda(meeting.id).pack())]]
                       if invitee.answer is None
                       else [[(t.BUTTON_AGENDA, MeetingAgenda(meeting.id).pack()),
                              (t.BUTTON_OPEN, MeetingOpen(meeting.id).pack())]])
            sent += outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, text=text,
                                   buttons=buttons, now=now,
                                   key=f"meeting{meeting.id}:{'hour' if hour else 'day'}:"
                                       f"{meeting.starts_at:%Y%m%d%H%M}:p{person.id}")
    return sent


# --- the frequency: 每周一次工作例会, 每季度一次联席会议 -----------------------------------------------------


def _any_meeting(session: Session, kind: MeetingKind, lo: datetime, hi: datetime) -> bool:
    """A meeting of `kind` scheduled or held between lo and hi; a cancelled one does not count."""
    return session.exec(select(Meeting.id).where(
        Meeting.kind == kind, Meeting.status != MeetingStatus.cancelled, Meeting.starts_at >= lo,
        Meeting.starts_at < hi).limit(1)).first() is not None


def joint_warning_moment(cal: WorkCalendar, day: date) -> datetime | None:
    """08:30 of the first working day of the last month of `day`'s quarter (None: a month without one)."""
    first = _quarter_start(day)
    candidate = date(first.year, first.month + 2, 1)
    while candidate.month == first.month + 2:
        if cal.is_workday(candidate)[0]:
            return cal.at(candidate, WEEKLY_AT)
        candidate += timedelta(days=1)
    return None


def sweep_missing(session: Session, *, now: datetime, policy: DeadlinePolicy) -> int:
    """The regulations' frequency, chased. From the weekly slot (08:30 of the week's first working
    day), a week with no 工作例会 scheduled or held: whoever may schedule one is told (例会制度 一,
    主任职责 五). From 08:30 of the first working day of a quarter's last month, a quarter with no
    联席会议: the director, who convenes it (联席会议制度 一). A 临时联席会议 is extra, not the
    quarterly one. Each warning once per week / quarter by its outbox key (restarts and second
    processes included); quiet off-hours, caught up later in the week or quarter."""
    cal = policy.calendar(session)
    if not cal.is_working_time(now):
        return 0
    today = cal.local(now).date()
    sent = 0
    slot = weekly_slot(cal, today)
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    if slot is not None and now >= slot and not _any_meeting(
            session, MeetingKind.weekly, cal.at(monday, time(0)), cal.at(sunday + timedelta(days=1), time(0))):
        kind = MeetingKind.weekly
        schedulers = [p for p in _people_with(session, CENTER) if may_schedule(session, person_id=p.id, kind=kind)]
        sent += tell(session, schedulers, notify.weekly_missing(start=t.short_date(monday), end=t.short_date(sunday)),
                     [[(t.NEW_BUTTON.format(kind=t.KIND_LABELS[kind]), MeetingNew(kind).pack())]],
                     key=f"meetings:weekly-missing:{monday.isoformat()}", now=now)
    warn_at = joint_warning_moment(cal, today)
    first = _quarter_start(today)
    after = _quarter_start(first + timedelta(days=95))
    if warn_at is not None and now >= warn_at and not _any_meeting(
            session, MeetingKind.joint, cal.at(first, time(0)), cal.at(after, time(0))):
        kind, quarter = MeetingKind.joint, (first.month - 1) // 3 + 1
        sent += tell(session, _people_with(session, {Role.director}),
                     notify.joint_missing(year=first.year, quarter=quarter,
                                          end=t.short_date(after - timedelta(days=1))),
                     [[(t.NEW_BUTTON.format(kind=t.KIND_LABELS[kind]), MeetingNew(kind).pack())]],
                     key=f"meetings:joint-missing:{first.year}q{quarter}", now=now)
    return sent


# --- the agenda -------------------------------------------------------------------------------------


def section_map(session: Session) -> dict[str, str]:
    return {r.key: r.section for r in session.exec(select(ReportSection))}


def set_section(session: Session, *, actor_id: int, key: str, section: str | None, now: datetime) -> dict[str, str]:
    """An admin maps a category (or category/subtype) to a 通报 section, or removes the mapping."""
    if not _roles(session, actor_id) & {Role.admin, Role.director}:
        raise NotAllowed()
    key = key.strip()
    if not 2 <= len(key) <= 80:
        raise InvalidInput(t.SECTION_UNKNOWN)
    row = session.get(ReportSection, key)
    if section is None:
        if row is not None:
            session.delete(row)
    else:
        if section not in t.SECTIONS:
            raise InvalidInput(t.SECTION_UNKNOWN)
        session.add(ReportSection(key=key, section=section) if row is None else row)
        if row is not None:
            row.section = section
    session.flush()
    audit.record(session, actor_id=actor_id, action="meeting.section", subject_type="report_section", subject_id=None,
                 now=now, note=f"{key} → {section or '—'}")
    return section_map(session)


def section_of(mapping: dict[str, str], case_type: CaseType) -> str | None:
    return mapping.get(f"{case_type.category}/{case_type.subtype}") or mapping.get(case_type.category)


@dataclass(frozen=True)
class WeekFigures:
    start: date
    end: date
    new: int
    closed: int
    overdue: int
    red: int
    yellow: int
    baoan: int
    supervised: int
    alerts: int
    sections: dict[str, int]


def _count(session: Session, stmt) -> int:
    return session.exec(stmt).one()


def week_figures(session: Session, *, meeting_day: date, now: datetime, policy: DeadlinePolicy) -> WeekFigures:
    """Last week (Monday–Sunday before the meeting's week): new and closed cases; and at `now`:
    overdue (red), yellow, open 包案 and 督办, unacknowledged urgent alerts; new cases by section."""
    monday = meeting_day - timedelta(days=meeting_day.weekday())
    start, end = monday - timedelta(days=7), monday - timedelta(days=1)
    lo = datetime.combine(start, time(0), tzinfo=policy.tz)
    hi = datetime.combine(monday, time(0), tzinfo=policy.tz)
    running = col(Case.status).in_(RUNNING)
    new = _count(session, select(func.count()).select_from(Case).where(Case.created_at >= lo, Case.created_at < hi))
    closed = _count(session, select(func.count()).select_from(Case).where(Case.resolved_at >= lo, Case.resolved_at < hi))
    red = _count(session, select(func.count()).select_from(Case).where(running, col(Case.paused_at).is_(None),
                                                                        Case.due_at <= now))
    yellow = _count(session, select(func.count()).select_from(Case).where(
        running, col(Case.paused_at).is_(None), Case.due_at > now, Case.yellow_at <= now))
    baoan = _count(session, select(func.count()).select_from(Case).where(running, col(Case.leader_id).is_not(None)))
    supervised = _count(session, select(func.count()).select_from(SupervisionNotice).where(
        col(SupervisionNotice.status).in_(NOTICE_OPEN)))
    alerts = _count(session, select(func.count()).select_from(UrgentAlert).where(col(UrgentAlert.acked_at).is_(None)))
    mapping = section_map(session)
    sections = dict.fromkeys(t.SECTIONS, 0)
    rows = session.exec(select(CaseType, func.count()).join(Case, Case.type_id == CaseType.id).where(
        Case.created_at >= lo, Case.created_at < hi).group_by(CaseType.id))
    for case_type, count in rows:
        section = section_of(mapping, case_type)
        if section in sections:
            sections[section] += count
    return WeekFigures(start=start, end=end, new=new, closed=closed, overdue=red, red=red, yellow=yellow, baoan=baoan,
                       supervised=supervised, alerts=alerts, sections=sections)


@dataclass(frozen=True)
class QuarterFigures:
    start: date
    end: date
    new: int
    previous: int
    closed: int
    overdue: int
    hot: list[tuple[str, int, int]]  # (type or village, this quarter, previous quarter), most growth first


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_figures(session: Session, *, meeting_day: date, now: datetime, policy: DeadlinePolicy,
                    top: int = 3) -> QuarterFigures:
    """The quarter the meeting falls in, from its first day to the day before the meeting, against
    the whole previous quarter; hot issues are the case types and villages that grew most."""
    start = _quarter_start(meeting_day)
    prev_start = _quarter_start(start - timedelta(days=1))
    at = lambda d: datetime.combine(d, time(0), tzinfo=policy.tz)  # noqa: E731
    lo, hi, plo = at(start), at(meeting_day), at(prev_start)

    def counts(column, a, b):
        return dict(session.exec(select(column, func.count()).select_from(Case).where(
            Case.created_at >= a, Case.created_at < b, col(column).is_not(None)).group_by(column)).all())

    new = _count(session, select(func.count()).select_from(Case).where(Case.created_at >= lo, Case.created_at < hi))
    previous = _count(session, select(func.count()).select_from(Case).where(Case.created_at >= plo, Case.created_at < lo))
    closed = _count(session, select(func.count()).select_from(Case).where(Case.resolved_at >= lo, Case.resolved_at < hi))
    overdue = _count(session, select(func.count()).select_from(Case).where(col(Case.status).in_(RUNNING),
                                                                            Case.due_at <= now))
    hot = []
    for column, names in ((Case.type_id, {c.id: c.subtype for c in session.exec(select(CaseType))}),
                          (Case.village_id, {v.id: v.name for v in session.exec(select(Village))})):
        now_counts, before = counts(column, lo, hi), counts(column, plo, lo)
        for key, count in now_counts.items():
            if count > before.get(key, 0):
                hot.append((names.get(key, "—"), count, before.get(key, 0)))
    hot.sort(key=lambda h: (-(h[1] - h[2]), -h[1], h[0]))
    return QuarterFigures(start=start, end=meeting_day - timedelta(days=1), new=new, previous=previous, closed=closed,
                          overdue=overdue, hot=hot[:top])


def open_decision_lines(session: Session, *, before: Meeting, policy: DeadlinePolicy, joint_only: bool = False) -> list[str]:
    """The decisions of earlier meetings not yet closed (销号): they come back on every agenda."""
    stmt = select(Decision).join(Meeting, Meeting.id == Decision.meeting_id).where(
        col(Decision.status).in_(OPEN_DECISIONS), Meeting.id != before.id, Meeting.starts_at < before.starts_at)
    if joint_only:
        last = session.exec(select(Meeting.id).where(col(Meeting.kind).in_(JOINT_KINDS), Meeting.id != before.id,
                                                     Meeting.starts_at < before.starts_at,
                                                     Meeting.status == MeetingStatus.held)
                            .order_by(col(Meeting.starts_at).desc()).limit(1)).first()
        if last is None:
            return []
        stmt = stmt.where(Decision.meeting_id == last)
    lines, held = [], 0
    for decision in session.exec(stmt.order_by(col(Decision.id))):
        if decision.status == DecisionStatus.held:
            held += 1  # the agenda goes to the units: an unapproved decision is counted, never shown
            continue
        lines.append(t.AGENDA_DECISION_LINE.format(
            number=decision.number, text=decision.text[:60], owner=owner_name(session, decision),
            status=t.DECISION_STATUS[DecisionStatus(decision.status)],
            due=t.AGENDA_DUE.format(due=fmt(decision.due_at, policy.tz)) if decision.due_at else ""))
    if held:
        lines.append(t.AGENDA_HELD.format(count=held))
    return lines


def owner_name(session: Session, decision: Decision) -> str:
    """The decision's owner as printed: the unit, the person or the village."""
    if decision.owner_unit_id is not None:
        return session.get(Unit, decision.owner_unit_id).name
    if decision.owner_village_id is not None:
        return session.get(Village, decision.owner_village_id).name
    if decision.owner_person_id is not None:
        return session.get(Person, decision.owner_person_id).name
    return "—"


def draft_agenda(session: Session, *, meeting: Meeting, now: datetime, policy: DeadlinePolicy) -> str:
    day = meeting.starts_at.astimezone(policy.tz).date()
    title = meeting_title(meeting)
    kind = MeetingKind(meeting.kind)
    if kind == MeetingKind.weekly:
        f = week_figures(session, meeting_day=day, now=now, policy=policy)
        sections = "\n".join(
            (t.AGENDA_SECTION if f.sections[name] or name in section_map(session).values()
             else t.AGENDA_SECTION_UNMAPPED).format(name=name, count=f.sections[name]) for name in t.SECTIONS)
        opened = open_decision_lines(session, before=meeting, policy=policy)
        tasks = _plan_tasks(session, until=day + timedelta(days=6 - day.weekday()), now=now, policy=policy)
        return t.AGENDA_WEEKLY.format(plan_tasks=tasks,
            title=title, start=_cn_day(f.start), end=_cn_day(f.end), new=f.new, closed=f.closed, overdue=f.overdue,
            red=f.red, yellow=f.yellow, baoan=f.baoan, supervised=f.supervised, alerts=f.alerts, sections=sections,
            open_decisions="\n".join(opened) or t.AGENDA_NONE)
    if kind in JOINT_KINDS:
        q = quarter_figures(session, meeting_day=day, now=now, policy=policy)
        hot = "\n".join(t.AGENDA_HOT_LINE.format(name=n, now=a, before=b, growth=a - b) for n, a, b in q.hot)
        opened = open_decision_lines(session, before=meeting, policy=policy, joint_only=True)
        quarter = (day.month - 1) // 3 + 1  # 下阶段: to the end of the next quarter
        next_year, next_quarter = day.year + (quarter == 4), quarter % 4 + 1
        until = work_plans.period_days(PlanPeriod.quarter, next_year, next_quarter)[1]
        return t.AGENDA_JOINT.format(plan_tasks=_plan_tasks(session, until=until, now=now, policy=policy),title=title, start=_cn_day(q.start), end=_cn_day(q.end), new=q.new,
                                     prev=q.previous, closed=q.closed, overdue=q.overdue, hot=hot or t.AGENDA_NONE,
                                     open_decisions="\n".join(opened) or t.AGENDA_NONE)
    return t.AGENDA_PLAIN.format(title=title)


def _plan_tasks(session: Session, *, until: date, now: datetime, policy: DeadlinePolicy) -> str:
    """综治工作计划 tasks to deploy at the meeting: those due by `until` and not done (none: nothing)."""
    lines = work_plans.agenda_lines(session, until=until, today=now.astimezone(policy.tz).date())
    return "\n".join([t.AGENDA_PLAN_HEAD, *lines]) if lines else ""


def _cn_day(day: date) -> str:
    return t.short_date(day)


def agenda(session: Session, *, actor_id: int, meeting_id: int, now: datetime, policy: DeadlinePolicy) -> str:
    """The organiser's agenda: the edited text if there is one, else drafted from today's data."""
    meeting = load(session, meeting_id)
    if not _may_see(session, meeting, actor_id):
        raise NotAllowed(t.NOT_INVITED)
    return meeting.agenda or draft_agenda(session, meeting=meeting, now=now, policy=policy)


def set_agenda(session: Session, *, actor_id: int, meeting_id: int, text: str, now: datetime) -> str:
    meeting = _organised(session, actor_id, meeting_id)
    text = (text or "").strip()
    if not 2 <= len(text) <= MAX_AGENDA:
        raise InvalidInput(t.AGENDA_BAD)
    meeting.agenda = text
    session.add(meeting)
    audit.record(session, actor_id=actor_id, action="meeting.agenda", subject_type="meeting", subject_id=meeting.id,
                 now=now)
    return text


def send_agenda(session: Session, *, actor_id: int, meeting_id: int, now: datetime, policy: DeadlinePolicy) -> int:
    """The agenda to every invitee beforehand (the edited one, or the draft as it stands now)."""
    meeting = _organised(session, actor_id, meeting_id)
    if meeting.agenda is None:
        meeting.agenda = draft_agenda(session, meeting=meeting, now=now, policy=policy)
    meeting.agenda_sent_at = now
    session.add(meeting)
    text = notify.agenda(title=meeting_title(meeting), when=_when(meeting, policy.tz), place=meeting.place,
                         agenda=meeting.agenda)
    return _tell_invitees(session, meeting, text, key=f"meeting{meeting.id}:agenda:{now:%Y%m%d%H%M}", now=now,
                          buttons=[[(t.BUTTON_OPEN, MeetingOpen(meeting.id).pack())]], exclude=actor_id)


# --- minutes ---------------------------------------------------------------------------------------


def add_minute(session: Session, *, actor_id: int, meeting_id: int, now: datetime, text: str | None = None,
               voice_file_id: str | None = None) -> int:
    """One item of the minutes, committed at once (a restart mid-recording loses nothing)."""
    meeting = _organised(session, actor_id, meeting_id, scheduled=False)
    if meeting.status != MeetingStatus.scheduled:
        raise InvalidInput(t.MINUTES_CLOSED)
    text = (text or "").strip() or None
    if voice_file_id is None and (text is None or len(text) > MAX_ITEM):
        raise InvalidInput(t.ITEM_BAD)
    seq = (session.exec(select(func.max(MinuteItem.seq)).where(MinuteItem.meeting_id == meeting.id)).one() or 0) + 1
    session.add(MinuteItem(meeting_id=meeting.id, seq=seq, text=text, voice_file_id=voice_file_id,
                           author_id=actor_id, created_at=now))
    return seq


def attendance(view: MeetingView) -> tuple[list[str], list[str], list[str]]:
    """出席 / 列席 / 请假, filled in from the answers and the sign-in: whoever signed in or answered
    参加 is present; 请假 with the reason."""
    present = [i.name for i in view.invitees if not i.observer and (i.signed_in or i.answer == Attendance.attend)]
    observers = [i.name for i in view.invitees if i.observer and (i.signed_in or i.answer == Attendance.attend)]
    leave = [t.LEAVE_WITH_REASON.format(name=i.name, reason=i.reason) if i.reason else i.name for i in view.invitees
             if i.answer == Attendance.leave and not i.signed_in]
    return present, observers, leave


def close_minutes(session: Session, *, actor_id: int, meeting_id: int, now: datetime) -> MeetingView:
    """定稿: the meeting is held; items can no longer be added. Invitees who neither answered nor
    signed in stay absent on the 纪要."""
    meeting = _organised(session, actor_id, meeting_id)
    meeting.status, meeting.held_at = MeetingStatus.held, now
    session.add(meeting)
    audit.record(session, actor_id=actor_id, action="meeting.held", subject_type="meeting", subject_id=meeting.id,
                 now=now)
    if meeting.case_id is not None:
        _record_mediation(session, meeting, actor_id=actor_id, now=now)
    return view_of(session, meeting)


# --- choices offered as buttons -------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerChoices:
    units: list[tuple[int, str]]
    villages: list[tuple[int, str]]
    people: list[tuple[int, str]]  # the center's people


def owner_choices(session: Session) -> OwnerChoices:
    units = [(u.id, u.name) for u in session.exec(select(Unit).where(col(Unit.active)).order_by(col(Unit.id)))]
    villages = [(v.id, v.name) for v in session.exec(select(Village).where(col(Village.active)).order_by(col(Village.id)))]
    people = sorted({(p.id, p.name) for p in _people_with(session, CENTER)})
    return OwnerChoices(units=units, villages=villages, people=people)


def village_choices(session: Session, *, person_id: int) -> list[tuple[int, str]]:
    """The villages whose 联系点村会议 the person may schedule (the director: every village)."""
    stmt = select(Village).where(col(Village.active)).order_by(col(Village.id))
    if Role.director not in _roles(session, person_id):
        stmt = stmt.where(col(Village.id).in_(_contact_villages(session, person_id) or {-1}))
    return [(v.id, v.name) for v in session.exec(stmt)]


def default_weekly_day(session: Session, *, now: datetime, policy: DeadlinePolicy) -> datetime:
    return next_weekly_slot(policy.calendar(session), now)


def working_days_ahead(session: Session, *, now: datetime, policy: DeadlinePolicy, count: int = 10) -> list[date]:
    """The next working days from today (today included): the day buttons."""
    cal = policy.calendar(session)
    day, found = cal.local(now).date(), []
    for _ in range(60):
        if cal.is_workday(day)[0]:
            found.append(day)
            if len(found) == count:
                break
        day += timedelta(days=1)
    return found


def section_lines(session: Session) -> list[tuple[str, str]]:
    return sorted(section_map(session).items(), key=lambda kv: (t.SECTIONS.index(kv[1]) if kv[1] in t.SECTIONS else 9, kv[0]))
