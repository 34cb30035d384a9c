"""The case card as a read model: what a viewer sees of a case and every button the card offers
them (the case actions, the deadline actions with the 包案 exception, 包案 and 督办). The handlers
only render it; each action is checked again by its service when pressed.

This is the one module that reads both the case rules and 包案/督办, so neither imports the other.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlmodel import Session, col, select

from bot import texts
from bot.services import (
    assignments,
    audit,
    baoan,
    cases,
    deadlines,
    info_reports,
    joint,
    people,
    reference,
    scene,
    supervision,
    upward_reports,
)
from bot.services.access import CENTER, DECIDERS, PROPOSERS
from bot.services.case_access import (
    can_view,
    is_assigned,
    person_name,
    reporter_view,
    sees_personal_data,
    type_name,
    village_name,
    visible_case,
)
from bot.services.deadlines import DeadlinePolicy
from bot.services.identity import mask_id_number, mask_phone
from bot.services.joint import JointOnCard
from models import (
    Attachment,
    BaoanRequest,
    BaoanStatus,
    Case,
    CaseParty,
    CaseStatus,
    Role,
    Severity,
    Source,
    SupervisionNotice,
    Unit,
)
from models.paicha import PaichaItem

UNLISTED = frozenset({"case.view_confidential", "case.view_personal"})  # audited views, not case history


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    note: str


@dataclass(frozen=True)
class BaoanOnCard:
    """领导包案 on the card: who answers for the case, the plan, and what this viewer may do about it."""

    leader: str = ""  # the 包案领导, "" while there is none
    plan: str = ""  # 调处方案
    mine: bool = False  # the viewer is the 包案领导
    actions: tuple[str, ...] = ()  # propose / plan / upper / extend / complete; each checked again when done
    upper: baoan.UpperNote | None = None  # the latest 上级协调 recorded


@dataclass(frozen=True)
class CaseCard:
    id: int
    number: str
    status: CaseStatus
    type_name: str
    severity: Severity
    urgent: bool
    confidential: bool
    source: Source
    village: str
    address: str
    latitude: float | None
    longitude: float | None
    occurred_at: datetime | None
    description: str
    request: str
    people_count: int | None
    amount: float | None
    parties: tuple[tuple[str, str, str], ...]  # name, phone, id number (masked unless allowed)
    reporter: str
    first_inquiry: str
    handler: str
    unit: str
    transfer_to: str
    guidance: str
    outcome: str
    agreement: str
    result: str
    reply_method: str
    replied_at: datetime | None
    satisfaction: str
    created_at: datetime
    files: tuple[tuple[int, str, str], ...]  # id, kind, name
    history: tuple[HistoryEntry, ...] = ()
    actions: tuple[str, ...] = ()
    duplicate_of: str = ""
    deadline: deadlines.Light | None = None
    paused: bool = False
    deadline_actions: tuple[str, ...] = ()  # extension / pause / resume / set, in the card's order
    baoan: BaoanOnCard = BaoanOnCard()
    may_supervise: bool = False  # the director may issue a 督办通知书 about this open case
    people_count_approx: bool = False  # 涉及人数 is an estimate: shown 「约40人」
    notices: tuple = ()  # open 督办通知书 this viewer may open (supervision.NoticeOnCard)
    reporter_view: bool = False  # the reporter of a confidential case: what they reported and the outcome only
    may_file: bool = False  # 一案一档: the electronic case file (bot/services/case_file.py) may go to this viewer
    found_by_paicha: bool = False  # reported as an item of a 排查 return (issue 16, models/paicha.py)
    assignment: assignments.AssignmentOnCard | None = None  # 上级交办 (issue 16)
    may_assign: bool = False  # the card offers 「上级交办」 to record one
    joint: JointOnCard = field(default_factory=JointOnCard)  # 主办/协办 and 会商 (bot/services/joint.py)
    arrivals: tuple = ()  # 工作联系点 leaders at the scene (scene.ArrivalOnCard)
    info_reports: int = 0  # 信息报告 this viewer may read (the reporter view: only those asked of / sent by them)
    upward: upward_reports.UpwardRecord | None = None  # the latest 上报上级 (the answer only for the full card)
    may_report_up: bool = False  # the card offers 「📤 上报上级」


def history(session: Session, *, case_id: int, only_by: int | None = None,
            viewer: people.PersonView | None = None) -> list[HistoryEntry]:
    """The case's events, oldest first; with `only_by`, only that person's own (a reporter's view).
    A 督办 event shows `viewer` only the notice's number unless they may see that notice."""
    entries = []
    for ev in audit.events_for(session, subject_type="case", subject_id=case_id):
        if ev.action in UNLISTED or (only_by is not None and ev.actor_id != only_by):
            continue
        action = ev.action.removeprefix("case.")
        note = str(ev.details.get("note") or "")
        notice = session.get(SupervisionNotice, ev.details["notice_id"]) if ev.details.get("notice_id") else None
        if notice is not None and viewer is not None and not supervision.may_see(viewer, notice):
            note = notice.number
        entries.append(HistoryEntry(
            at=ev.at, actor=person_name(session, ev.actor_id), action=texts.ACTION_LABELS.get(action, action), note=note,
        ))
    return entries


def _baoan_on_card(session: Session, viewer: people.PersonView, case: Case, deadline_pending: bool) -> BaoanOnCard:
    """The same rules as bot/services/baoan.py, so the card offers only what would be accepted."""
    status = CaseStatus(case.status)
    mine = case.leader_id is not None and case.leader_id == viewer.id
    actions = []
    if case.leader_id is None:
        proposed = session.exec(select(BaoanRequest.id).where(
            BaoanRequest.case_id == case.id, BaoanRequest.status == BaoanStatus.pending)).first()
        if viewer.has(*PROPOSERS) and status in deadlines.RUNNING and proposed is None:
            actions.append("propose")
    elif mine:
        if status in deadlines.RUNNING:
            actions += ["plan", "upper"]
            if case.due_at is not None and not deadline_pending:
                actions.append("extend")
        if status in cases.TRANSITIONS["resolve"].from_states:
            actions.append("complete")
    upper = baoan.upper_notes(session, case_id=case.id) if case.leader_id is not None else []
    return BaoanOnCard(leader=person_name(session, case.leader_id), plan=case.mediation_plan or "", mine=mine,
                       actions=tuple(actions), upper=upper[-1] if upper else None)


def case_card(session: Session, *, viewer_id: int, case_id: int, now: datetime, with_history: bool = True,
              policy: DeadlinePolicy | None = None) -> CaseCard:
    viewer, case = visible_case(session, viewer_id, case_id, reporter=True)
    policy = policy or DeadlinePolicy()
    limited = reporter_view(viewer, case)
    light = deadlines.light(case, now, policy.calendar(session), policy.tz) if case.due_at and not limited else None
    if case.confidential:
        audit.record(session, actor_id=viewer.id, action="case.view_confidential", subject_type="case",
                     subject_id=case.id, now=now)
    unmasked = sees_personal_data(viewer, case)
    rows = list(session.exec(select(CaseParty).where(CaseParty.case_id == case.id).order_by(col(CaseParty.id))))
    parties = tuple(
        (p.name, p.phone if unmasked else mask_phone(p.phone), p.id_number if unmasked else mask_id_number(p.id_number))
        for p in rows
    )
    if unmasked and viewer.id not in (case.reporter_id, case.first_inquiry_id) and any(
            p.phone or p.id_number for p in rows):  # personal data shown in full: who saw it, when
        audit.record(session, actor_id=viewer.id, action="case.view_personal", subject_type="case",
                     subject_id=case.id, now=now)
    files = tuple(
        (a.id, a.kind, a.file_name or "")
        for a in session.exec(select(Attachment).where(Attachment.case_id == case.id).order_by(col(Attachment.id)))
        if not limited or a.sender_id == viewer.id
    )
    unit = session.get(Unit, case.unit_id) if case.unit_id else None
    dup = session.get(Case, case.duplicate_of_id) if case.duplicate_of_id else None
    pending = bool(deadlines.pending_requests(session, case_id=case.id))
    on_card = _baoan_on_card(session, viewer, case, pending)
    assignment, may_assign = assignments.on_card(session, viewer, case, now)
    card = CaseCard(
        id=case.id, number=case.number, status=CaseStatus(case.status),
        type_name=type_name(reference.case_type(session, case.type_id)), severity=Severity(case.severity),
        urgent=case.urgent, confidential=case.confidential, source=Source(case.source),
        village=village_name(session, case), address=case.address or "", latitude=case.latitude,
        longitude=case.longitude, occurred_at=case.occurred_at, description=case.description,
        request=case.request or "", people_count=case.people_count, people_count_approx=case.people_count_approx,
        amount=float(case.amount) if case.amount is not None else None, parties=parties,
        reporter=person_name(session, case.reporter_id), first_inquiry=person_name(session, case.first_inquiry_id),
        handler=person_name(session, case.handler_id), unit=unit.name if unit else "", transfer_to=case.transfer_to or "",
        guidance=case.guidance or "", outcome=case.outcome or "", agreement=case.agreement or "",
        result=case.result or "", reply_method=case.reply_method or "", replied_at=case.replied_at,
        satisfaction=case.satisfaction or "", created_at=case.created_at, files=files,
        history=tuple(history(session, case_id=case.id, viewer=viewer)) if with_history else (),
        actions=tuple(cases.allowed_actions(viewer, case)), duplicate_of=dup.number if dup else "",
        deadline=light, paused=case.paused_at is not None,
        deadline_actions=_deadline_actions(viewer, case, light, pending, bool(on_card.leader)),
        baoan=on_card,
        may_supervise=viewer.has(Role.director) and CaseStatus(case.status) in cases.OPEN,
        notices=_notices_on_card(session, viewer, case, policy),
        may_file=may_have_file(viewer, case),
        found_by_paicha=session.get(PaichaItem, case.id) is not None,
        assignment=assignment, may_assign=may_assign,
        joint=joint.on_card(session, viewer, case), arrivals=scene.on_card(session, case_id=case.id),
        info_reports=info_reports.readable_count(session, viewer=viewer, case=case),
        upward=_latest_upward(session, viewer, case),
        may_report_up=upward_reports.may_record(session, viewer, case),
    )
    if limited:  # what they reported, its status and outcome; nothing others added, nothing to do
        card = replace(card, handler="", unit="", duplicate_of="", actions=(), deadline_actions=(),
                       baoan=BaoanOnCard(), may_supervise=False, may_file=False, assignment=None, may_assign=False,
                       joint=JointOnCard(), arrivals=(),
                       history=tuple(history(session, case_id=case.id, only_by=viewer.id)) if with_history else (),
                       reporter_view=True)
    return card


def _latest_upward(session: Session, viewer: people.PersonView, case: Case) -> upward_reports.UpwardRecord | None:
    shown = upward_reports.seen_by(viewer, case, upward_reports.records(session, case_id=case.id))
    return shown[-1] if shown else None


def may_have_file(viewer: people.PersonView, case: Case) -> bool:
    """Who may get the electronic case file (一案一档): whoever may see the whole card (never the
    limited view a confidential case's reporter gets)."""
    return viewer.active and can_view(viewer, case)


def _notices_on_card(session: Session, viewer: people.PersonView, case: Case, policy: DeadlinePolicy) -> tuple:
    return supervision.open_notices_on_card(session, viewer=viewer, case_id=case.id, tz=policy.tz)


def deadline_actions(*, running: bool, has_deadline: bool, paused: bool, may_request: bool, may_decide: bool,
                     pending: bool = False, baoan_case: bool = False) -> tuple[str, ...]:
    """The deadline changes a case card offers this viewer.

    running: the case is accepted/assigned/in progress; has_deadline: its clock was started;
    may_request: center staff or the assigned handler; may_decide: a leader or the director;
    pending: a change request already awaits a decision (then nobody may ask again);
    baoan_case: a 包案 deadline is extended only through 包案 (the party secretary decides).
    """
    if not running:
        return ()
    found = []
    if may_request and has_deadline and not pending:
        found += ["resume"] if paused else ["extension", "pause"]
    if may_decide:
        found.append("set")
    if baoan_case:
        found = [a for a in found if a != "extension"]
    return tuple(found)


def _deadline_actions(viewer: people.PersonView, case: Case, light: deadlines.Light | None, pending: bool,
                      baoan_case: bool) -> tuple[str, ...]:
    return deadline_actions(
        running=CaseStatus(case.status) in deadlines.RUNNING, has_deadline=light is not None,
        paused=case.paused_at is not None, may_request=viewer.has(*CENTER) or is_assigned(viewer, case),
        may_decide=viewer.has(*DECIDERS), pending=pending, baoan_case=baoan_case,
    )
