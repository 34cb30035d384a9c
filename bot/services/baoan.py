"""领导包案 (leader case responsibility): a center leader or the director proposes that a leader
answer for a case → the party secretary approves (or names another leader, or refuses with a
reason) → the 包案领导 records the mediation plan (调处方案) and the handling deadline → an
extension needs the secretary's approval → the leader completes the case with the closing
materials, which are kept with it (综治中心领导包案制度).

Every change is one unit of work: the change, its audit event on the case (its history) and the
outbox rows for everyone who must know.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from bot import texts
from bot.callbacks import (
    BaoanApprove,
    BaoanApproveExtension,
    BaoanPick,
    BaoanRefuse,
    BaoanRefuseExtension,
    CaseView,
)
from bot.services import audit, cases, deadlines, people
from bot.services.access import LEADER_ROLES, PROPOSERS
from bot.services.case_access import (
    CaseRef,
    FileInput,
    add_files,
    can_view,
    case_ref,
    load_case,
    person_name,
    summary_line,
    type_name,
)
from bot.services.deadlines import NOTE_MAX, REASON_MAX, REASON_MIN, RUNNING, ChangeForm, DeadlinePolicy, fmt
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.recipients import tell, with_role
from bot.texts import notify
from models import (
    Agreement,
    Attachment,
    AuditEvent,
    BaoanRequest,
    BaoanStatus,
    Case,
    CaseStatus,
    CaseType,
    DeadlineRequest,
    Outcome,
    Person,
    RequestKind,
    RequestStatus,
    Role,
)

CLOSING_NOTE = "包案办结材料"
REFUSAL_MAX = 300  # BaoanRequest.refusal_reason
UPPER_MAX = 500  # one 上级协调 note: the department, what was reflected or asked, the result so far
UPPER_ACTION = "case.baoan_upper"


# --- plain results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalView:
    """A 包案 request as the secretary sees it before deciding."""

    id: int
    case_id: int
    number: str
    summary: str
    proposer: str
    proposed_leader_id: int
    proposed_leader: str
    reason: str
    status: BaoanStatus
    chosen_leader: str = ""
    refusal_reason: str = ""


@dataclass(frozen=True)
class LeaderChoice:
    id: int
    name: str


@dataclass(frozen=True)
class BaoanRef:
    """A row of /baoan: a case a leader answers for, with its warning light."""

    id: int
    number: str
    status: CaseStatus
    summary: str
    leader: str
    light: str  # 🟢 🟡 🔴 ⚪, or "" without a running deadline
    left: str  # "剩 2 个工作日", "已超期 1 个工作日"
    due: str
    plan_recorded: bool
    extension_pending: bool


# --- helpers -----------------------------------------------------------------------------------


def _clean(value: str | None, what: str, lo: int, hi: int) -> str:
    value = (value or "").strip()
    if len(value) < lo:
        raise InvalidInput(f"请写明{what}（至少 {lo} 个字）。")
    if len(value) > hi:
        raise InvalidInput(texts.TOO_LONG.format(limit=hi))
    return value


def _leader_case(session: Session, actor_id: int, case_id: int) -> tuple[people.PersonView, Case]:
    """The 包案领导 acting on their own case (they may act on it even when it is confidential)."""
    actor = people.get(session, person_id=actor_id)
    case = load_case(session, case_id, lock=True)
    if case.leader_id is None or case.leader_id != actor.id or not actor.active:
        raise NotAllowed("只有该事项的包案领导可以办理。")
    return actor, case


def _eligible_leader(session: Session, person_id: int) -> people.PersonView:
    try:
        leader = people.get(session, person_id=person_id)
    except NotFound:
        raise InvalidInput("没有找到这位领导，请重新选择。") from None
    if not leader.active or not leader.has(*LEADER_ROLES) or leader.telegram_id is None:
        raise InvalidInput(f"{leader.name} 不是在岗的中心领导、主任或镇党政领导，不能包案。请重新选择。")
    return leader


def _view_button(case: Case):
    return [(texts.NOTIFY_VIEW_BUTTON, CaseView(case.id).pack())]


def _record(session: Session, actor_id: int | None, case: Case, action: str, now: datetime, **details) -> None:
    audit.record(session, actor_id=actor_id, action=f"case.{action}", subject_type="case", subject_id=case.id,
                 now=now, **{k: v for k, v in details.items() if v is not None})


# --- proposal and approval ---------------------------------------------------------------------


def leader_choices(session: Session) -> list[LeaderChoice]:
    """Who may be named 包案领导: active people of LEADER_ROLES with a Telegram account."""
    found: dict[int, Person] = {}
    for role in LEADER_ROLES:
        for p in with_role(session, role):
            if p.telegram_id is not None:
                found.setdefault(p.id, p)
    return [LeaderChoice(p.id, p.name) for p in sorted(found.values(), key=lambda p: (p.name, p.id))]


def propose(session: Session, *, actor_id: int, case_id: int, leader_id: int, reason: str,
            now: datetime) -> BaoanRequest:
    """A center leader or the director proposes 包案; every secretary gets the approval request."""
    actor = people.get(session, person_id=actor_id)
    if not actor.has(*PROPOSERS):
        raise NotAllowed("只有中心领导或主任可以提议领导包案。")
    case = load_case(session, case_id, lock=True)
    if not can_view(actor, case):
        raise NotAllowed(texts.NO_ACCESS)
    if CaseStatus(case.status) not in RUNNING:
        raise InvalidInput(
            f"事项 {case.number} 当前状态为「{texts.STATUS_LABELS[CaseStatus(case.status)]}」，"
            "只有已受理、办理中的事项可以报请领导包案。"
        )
    if case.leader_id is not None:
        raise InvalidInput(f"事项 {case.number} 已由 {person_name(session, case.leader_id)} 包案。")
    pending = session.exec(select(BaoanRequest.id).where(
        BaoanRequest.case_id == case.id, BaoanRequest.status == BaoanStatus.pending)).first()
    if pending is not None:
        raise InvalidInput(f"事项 {case.number} 已有一份待党委书记审批的包案申请，请等待审批结果。")
    leader = _eligible_leader(session, leader_id)
    reason = _clean(reason, "报请包案的理由", REASON_MIN, REASON_MAX)
    secretaries = [p for p in with_role(session, Role.secretary) if p.telegram_id is not None]
    if not secretaries:
        raise InvalidInput("还没有登记党委书记，无法报批。请先用 /invite 邀请党委书记登记。")
    req = BaoanRequest(case_id=case.id, proposed_leader_id=leader.id, reason=reason, proposer_id=actor.id,
                       created_at=now)
    session.add(req)
    session.flush()
    _record(session, actor.id, case, "baoan_request", now, note=f"提议 {leader.name} 包案：{reason}",
            request_id=req.id)
    text = notify.baoan.proposed(
        proposer=actor.name, leader=leader.name, number=case.number,
        case_type=type_name(session.get(CaseType, case.type_id)), summary=summary_line(case, 60),
        confidential=case.confidential, reason=reason,
    )
    buttons = [
        [(texts.BA_APPROVE, BaoanApprove(req.id).pack()), (texts.BA_PICK, BaoanPick(req.id).pack())],
        [(texts.BA_REFUSE, BaoanRefuse(req.id).pack()), (texts.NOTIFY_VIEW_BUTTON, CaseView(case.id).pack())],
    ]
    tell(session, secretaries, text, buttons, key=f"ba{req.id}:ask", now=now, case=case)
    return req


def _request(session: Session, request_id: int, *, lock: bool = False) -> BaoanRequest:
    stmt = select(BaoanRequest).where(BaoanRequest.id == request_id)
    req = session.exec(stmt.with_for_update() if lock else stmt).first()
    if req is None:
        raise NotFound("没有找到这份包案申请。")
    return req


def _already_decided(session: Session, req: BaoanRequest) -> InvalidInput:
    if req.status == BaoanStatus.approved:
        return InvalidInput(f"这份包案申请已经批准（由 {person_name(session, req.chosen_leader_id)} 包案），无需重复处理。")
    return InvalidInput(f"这份包案申请已由 {person_name(session, req.decided_by_id)} 处理（不同意），无需重复处理。")


def request_view(session: Session, *, viewer_id: int, request_id: int) -> ProposalView:
    """The request as the secretary (or its proposer, or the director) sees it."""
    viewer = people.get(session, person_id=viewer_id)
    req = _request(session, request_id)
    if not (viewer.has(Role.secretary, Role.director) or viewer.id == req.proposer_id):
        raise NotAllowed("只有党委书记可以审批领导包案。")
    case = session.get(Case, req.case_id)
    return ProposalView(
        id=req.id, case_id=case.id, number=case.number, summary=summary_line(case, 80),
        proposer=person_name(session, req.proposer_id), proposed_leader_id=req.proposed_leader_id,
        proposed_leader=person_name(session, req.proposed_leader_id), reason=req.reason, status=BaoanStatus(req.status),
        chosen_leader=person_name(session, req.chosen_leader_id), refusal_reason=req.refusal_reason or "",
    )


def decide(session: Session, *, actor_id: int, request_id: int, approve: bool, now: datetime,
           chosen_leader_id: int | None = None, reason: str | None = None) -> BaoanRequest:
    """The party secretary approves (naming the proposed leader or another one) or refuses with a reason."""
    actor = people.get(session, person_id=actor_id)
    if not actor.has(Role.secretary):
        raise NotAllowed("只有党委书记可以审批领导包案。")
    req = _request(session, request_id, lock=True)
    if req.status != BaoanStatus.pending:
        raise _already_decided(session, req)
    case = load_case(session, req.case_id, lock=True)
    proposer = session.get(Person, req.proposer_id)
    view_button = [_view_button(case)]
    if not approve:
        reason = _clean(reason, "不同意的理由", 2, REFUSAL_MAX)
        req.status, req.refusal_reason = BaoanStatus.refused, reason
        req.decided_by_id, req.decided_at = actor.id, now
        session.add(req)
        _record(session, actor.id, case, "baoan_refuse", now, note=reason, request_id=req.id)
        text = notify.baoan.refused(number=case.number, reason=reason)
        tell(session, [proposer], text, view_button, key=f"ba{req.id}:decided", now=now, exclude=actor.id,
             case=case)
        return req
    if CaseStatus(case.status) not in RUNNING:
        raise InvalidInput(
            f"事项 {case.number} 当前状态为「{texts.STATUS_LABELS[CaseStatus(case.status)]}」，已不需要包案。"
        )
    if case.leader_id is not None:
        raise InvalidInput(f"事项 {case.number} 已由 {person_name(session, case.leader_id)} 包案。")
    leader = _eligible_leader(session, chosen_leader_id or req.proposed_leader_id)
    req.status, req.chosen_leader_id = BaoanStatus.approved, leader.id
    req.decided_by_id, req.decided_at = actor.id, now
    session.add(req)
    case.leader_id = leader.id
    case.updated_at = now
    session.add(case)
    other = "" if leader.id == req.proposed_leader_id else f"（另选，原提议 {person_name(session, req.proposed_leader_id)}）"
    _record(session, actor.id, case, "baoan_approve", now, note=f"由 {leader.name} 包案{other}", request_id=req.id)
    files = len(session.exec(select(Attachment.id).where(Attachment.case_id == case.id)).all())
    text = notify.baoan.to_leader(
        secretary=actor.name, number=case.number, case_type=type_name(session.get(CaseType, case.type_id)),
        summary=summary_line(case, 80), confidential=case.confidential, files=files,
    )
    tell(session, [session.get(Person, leader.id)], text, view_button, key=f"ba{req.id}:leader", now=now, case=case)
    if proposer is not None and proposer.id != leader.id:
        text = notify.baoan.approved(number=case.number, leader=leader.name)
        tell(session, [proposer], text, view_button, key=f"ba{req.id}:decided", now=now, exclude=actor.id,
             case=case)
    return req


def pending_proposals(session: Session, *, viewer_id: int) -> list[ProposalView]:
    """What waits for the secretary: pending 包案 requests, oldest first."""
    viewer = people.get(session, person_id=viewer_id)
    if not viewer.has(Role.secretary, Role.director):
        raise NotAllowed("只有党委书记可以审批领导包案。")
    ids = session.exec(select(BaoanRequest.id).where(BaoanRequest.status == BaoanStatus.pending)
                       .order_by(col(BaoanRequest.created_at), col(BaoanRequest.id))).all()
    return [request_view(session, viewer_id=viewer_id, request_id=i) for i in ids]


# --- the 包案领导 at work ------------------------------------------------------------------------


def plan_form(session: Session, *, actor_id: int, case_id: int, now: datetime,
              policy: DeadlinePolicy) -> ChangeForm:
    """The date choices for the 包案领导's plan (+1 … +7 working days from today), checked before
    they type: the 包案领导 need not be a center leader who may set deadlines (镇党政领导)."""
    _actor, case = _leader_case(session, actor_id, case_id)
    if CaseStatus(case.status) not in RUNNING:
        raise InvalidInput(f"事项 {case.number} 已不在办理中，不能再修改调处方案。")
    cal = policy.calendar(session)
    choices = tuple((n, cal.local(cal.add_working_days(now, n).at).date()) for n in deadlines.CHOICE_STEPS)
    shown = deadlines.light(case, now, cal, policy.tz) if case.due_at else None
    return ChangeForm(case_id=case.id, number=case.number, action="set", due=fmt(case.due_at, policy.tz),
                      light=f"{shown.symbol} {shown.left}".strip() if shown else "", choices=choices)


@dataclass(frozen=True)
class PlanRecorded:
    """The case after the plan, and the extension request its deadline became (or None when the
    deadline was within the current one and took effect)."""

    case: Case
    extension: DeadlineRequest | None = None


def record_plan(session: Session, *, actor_id: int, case_id: int, plan: str, due_date: date | None,
                now: datetime, policy: DeadlinePolicy) -> PlanRecorded:
    """调处方案 and the handling deadline (end of that working day). A deadline within the current
    one takes effect; a later one — the first plan's too — is an extension: the plan is kept and the
    date goes to the party secretary, the case keeping its deadline until approved (制度第四条)."""
    actor, case = _leader_case(session, actor_id, case_id)
    if CaseStatus(case.status) not in RUNNING:
        raise InvalidInput(f"事项 {case.number} 已不在办理中，不能再修改调处方案。")
    plan = _clean(plan, "调处方案", 2, cases.MAX_TEXT)
    first = case.mediation_plan is None
    new_due = None
    if due_date is not None:
        new_due = deadlines.end_of_day(due_date, policy)
        if new_due <= now:
            raise InvalidInput("调处期限应晚于现在。")
    elif first:
        raise InvalidInput("请给出调处期限（日期）。")
    case.mediation_plan = plan
    case.updated_at = now
    _record(session, actor.id, case, "baoan_plan", now, note=plan)
    extension = None
    if new_due is not None and case.due_at is not None and new_due > case.due_at:
        reason = texts.BA_PLAN_EXTENSION_REASON.format(plan=plan if len(plan) <= 200 else plan[:199] + "…")
        extension = _ask_secretary(session, actor, case, reason, new_due, now, policy)
    elif new_due is not None and new_due != case.due_at:
        cal = policy.calendar(session)
        deadlines.set_due(case, new_due, False, case.clock_started_at or now, cal, policy, now)
        _record(session, actor.id, case, "deadline", now, note=f"包案领导设定调处期限 {fmt(new_due, policy.tz)}")
    session.add(case)
    return PlanRecorded(case=case, extension=extension)


def record_upper(session: Session, *, actor_id: int, case_id: int, note: str, now: datetime) -> Case:
    """上级协调: the 包案领导 contacted a higher department during handling (制度第三条) — which one,
    what was reflected or asked, the answer so far. Kept as an event on the case (its history, the
    case file, the ledger); the party secretary who approved the 包案 is told of each one."""
    actor, case = _leader_case(session, actor_id, case_id)
    if CaseStatus(case.status) not in RUNNING:
        raise InvalidInput(f"事项 {case.number} 已不在办理中，不能再记录上级协调。")
    note = _clean(note, "上级协调情况", 2, UPPER_MAX)
    # The case row is locked: counting the earlier records gives each record its own message key.
    n = len(upper_notes(session, case_id=case.id)) + 1
    case.updated_at = now
    session.add(case)
    _record(session, actor.id, case, "baoan_upper", now, note=note)
    approved = session.exec(select(BaoanRequest).where(
        BaoanRequest.case_id == case.id, BaoanRequest.status == BaoanStatus.approved)).first()
    if approved is not None:
        text = notify.baoan.upper(leader=actor.name, number=case.number, note=note, confidential=case.confidential)
        tell(session, [session.get(Person, approved.decided_by_id)], text, [_view_button(case)],
             key=f"case{case.id}:baoan_upper{n}", now=now, exclude=actor.id, case=case)
    return case


@dataclass(frozen=True)
class UpperNote:
    at: datetime
    note: str


def upper_notes(session: Session, *, case_id: int) -> list[UpperNote]:
    """The case's 上级协调 records, oldest first."""
    stmt = (select(AuditEvent).where(AuditEvent.subject_type == "case", AuditEvent.subject_id == case_id,
                                     AuditEvent.action == UPPER_ACTION)
            .order_by(col(AuditEvent.at), col(AuditEvent.id)))
    return [UpperNote(ev.at, str(ev.details.get("note") or "")) for ev in session.exec(stmt)]


def request_extension(session: Session, *, actor_id: int, case_id: int, reason: str, new_due_date: date,
                      now: datetime, policy: DeadlinePolicy) -> DeadlineRequest:
    """The 包案领导 asks for more time; only the party secretary may approve (制度第四条)."""
    actor, case = _leader_case(session, actor_id, case_id)
    if CaseStatus(case.status) not in RUNNING or case.due_at is None:
        raise InvalidInput("只有正在计时的包案事项可以申请延期。请先录入调处方案和期限。")
    reason = _clean(reason, "延期理由", REASON_MIN, REASON_MAX)
    if new_due_date is None:
        raise InvalidInput("请给出新的期限日期。")
    new_due = deadlines.end_of_day(new_due_date, policy)
    if new_due <= case.due_at:
        raise InvalidInput(f"新期限应晚于当前期限（{fmt(case.due_at, policy.tz)}）。")
    return _ask_secretary(session, actor, case, reason, new_due, now, policy)


def _ask_secretary(session: Session, actor: people.PersonView, case: Case, reason: str, new_due: datetime,
                   now: datetime, policy: DeadlinePolicy) -> DeadlineRequest:
    """An extension of a 包案 deadline goes to the party secretaries to approve or refuse."""
    if deadlines.pending_requests(session, case_id=case.id):
        raise InvalidInput("已有一份待审批的申请，请等待审批结果。")
    secretaries = [p for p in with_role(session, Role.secretary) if p.telegram_id is not None]
    if not [p for p in secretaries if p.id != actor.id]:
        raise InvalidInput("还没有登记党委书记，无法报批延期。")
    req = DeadlineRequest(case_id=case.id, kind=RequestKind.extension, reason=reason, new_due_at=new_due,
                          requested_by_id=actor.id, requested_at=now)
    session.add(req)
    session.flush()
    _record(session, actor.id, case, "extension_request", now, note=f"申请延期至 {fmt(new_due, policy.tz)}：{reason}",
            request_id=req.id)
    text = notify.baoan.extension_asked(
        leader=actor.name, number=case.number, summary=summary_line(case, 60), confidential=case.confidential,
        due=fmt(case.due_at, policy.tz), new=fmt(new_due, policy.tz), reason=reason,
    )
    buttons = [
        [(texts.BA_EXTENSION_APPROVE, BaoanApproveExtension(req.id).pack()),
         (texts.BA_EXTENSION_REFUSE, BaoanRefuseExtension(req.id).pack())],
        _view_button(case),
    ]
    tell(session, secretaries, text, buttons, key=f"bax{req.id}:ask", now=now, exclude=actor.id, case=case)
    return req


def _extension_to_decide(session: Session, actor: people.PersonView, request_id: int, *,
                         lock: bool) -> tuple[DeadlineRequest, Case]:
    if not actor.has(Role.secretary):
        raise NotAllowed("包案事项延期须经党委书记同意，只有党委书记可以审批。")
    stmt = select(DeadlineRequest).where(DeadlineRequest.id == request_id)
    req = session.exec(stmt.with_for_update() if lock else stmt).first()
    if req is None or RequestKind(req.kind) != RequestKind.extension:
        raise NotFound("没有找到这份延期申请。")
    case = load_case(session, req.case_id, lock=True)
    if case.leader_id is None:
        raise InvalidInput("这不是包案事项的延期申请，请由中心领导审批。")
    if req.status != RequestStatus.pending:
        done = "已批准" if req.status == RequestStatus.approved else "已驳回"
        raise InvalidInput(f"这份延期申请已被处理（{done}），无需重复处理。")
    if req.requested_by_id == actor.id:
        raise NotAllowed("不能审批自己的延期申请。")
    return req, case


def check_extension(session: Session, *, actor_id: int, request_id: int) -> None:
    """Before the secretary types a refusal note: the request is still theirs to decide."""
    _extension_to_decide(session, people.get(session, person_id=actor_id), request_id, lock=False)


def decide_extension(session: Session, *, actor_id: int, request_id: int, approve: bool, now: datetime,
                     policy: DeadlinePolicy, note: str | None = None) -> DeadlineRequest:
    """The party secretary, and nobody else, decides an extension of a 包案 case."""
    actor = people.get(session, person_id=actor_id)
    req, case = _extension_to_decide(session, actor, request_id, lock=True)
    note = (note or "").strip() or None
    if not approve and (note is None or len(note) < 2):
        raise InvalidInput("请简要写明驳回理由。")
    if note is not None and len(note) > NOTE_MAX:
        raise InvalidInput(texts.TOO_LONG.format(limit=NOTE_MAX))
    if approve and CaseStatus(case.status) not in RUNNING:
        raise InvalidInput(f"事项 {case.number} 已不在办理中，无需延期。")
    req.status = RequestStatus.approved if approve else RequestStatus.refused
    req.decided_by_id, req.decided_at, req.decision_note = actor.id, now, note
    session.add(req)
    if approve:
        cal = policy.calendar(session)
        deadlines.set_due(case, req.new_due_at, False, case.clock_started_at or now, cal, policy, now)
        session.add(case)
        detail = f"党委书记批准延期，新期限 {fmt(case.due_at, policy.tz)}"
        text = notify.baoan.extension_approved(who=actor.name, number=case.number, due=fmt(case.due_at, policy.tz))
    else:
        detail = "党委书记驳回延期"
        text = notify.baoan.extension_refused(who=actor.name, number=case.number, note=note,
                                              due=fmt(case.due_at, policy.tz) if case.due_at else "—")
    _record(session, actor.id, case, "deadline", now, note=detail + (f"：{note}" if note else ""), request_id=req.id)
    told = [session.get(Person, req.requested_by_id), session.get(Person, case.leader_id)]
    tell(session, told, text, [_view_button(case)], key=f"bax{req.id}:decided", now=now, exclude=actor.id,
         case=case)
    return req


def complete(session: Session, *, actor_id: int, case_id: int, summary: str, files: tuple[FileInput, ...] = (),
             joint_notice: str | None = None, now: datetime, outcome: str = Outcome.mediated,
             agreement: str | None = None) -> CaseRef:
    """The 包案领导 finishes: the case is resolved (the cases state machine's 办结), the closing
    materials are kept with it, and a matter handled jointly with a higher level records the
    written notice of the result (制度第五条)."""
    actor, case = _leader_case(session, actor_id, case_id)
    status = CaseStatus(case.status)
    if status not in cases.TRANSITIONS["resolve"].from_states:
        raise cases.InvalidTransition(
            f"事项 {case.number} 当前状态为「{texts.STATUS_LABELS[status]}」，不能办结。请刷新卡片查看最新状态。"
        )
    if not Outcome.has(outcome):
        raise InvalidInput("请选择办结结果。")
    if agreement is not None and not Agreement.has(agreement):
        raise InvalidInput("请选择协议类型。")
    summary = _clean(summary, "办结情况", 2, cases.MAX_TEXT)
    joint = (joint_notice or "").strip() or None
    if joint is not None and len(joint) > cases.MAX_TEXT:
        raise InvalidInput(texts.TOO_LONG.format(limit=cases.MAX_TEXT))
    add_files(session, case.id, actor.id, files, now, note=CLOSING_NOTE)
    case.outcome, case.agreement, case.result = outcome, agreement, summary
    case.resolved_at = now
    if joint is not None:
        case.joint_notice = joint
    cases.apply_transition(session, case, "resolve", actor, now, notify_detail=f"（{outcome}）",
                  note=f"{outcome}；{agreement or '—'}；{summary}")
    _record(session, actor.id, case, "baoan_complete", now,
            note=f"办结材料 {len(files)} 个" + (f"；与上级联合调处书面告知：{joint}" if joint else ""))
    text = notify.baoan.completed(number=case.number, leader=actor.name, outcome=outcome, files=len(files),
                                  joint=joint)
    approved = session.exec(select(BaoanRequest).where(
        BaoanRequest.case_id == case.id, BaoanRequest.status == BaoanStatus.approved)).first()
    told = [*with_role(session, Role.director), *with_role(session, Role.secretary)]
    if approved is not None:
        told.append(session.get(Person, approved.proposer_id))
    tell(session, told, text, [_view_button(case)], key=f"case{case.id}:baoan_done", now=now, exclude=actor.id,
         case=case)
    return case_ref(case)


# --- /baoan ------------------------------------------------------------------------------------


def my_cases(session: Session, *, viewer_id: int, now: datetime, policy: DeadlinePolicy,
             state: str = "open") -> list[BaoanRef]:
    """The cases a leader answers for; the director and the secretary see every 包案 case."""
    viewer = people.get(session, person_id=viewer_id)
    stmt = select(Case).where(col(Case.leader_id).is_not(None))
    if viewer.has(Role.director, Role.secretary):
        pass
    elif viewer.has(*LEADER_ROLES):
        stmt = stmt.where(Case.leader_id == viewer.id)
    else:
        raise NotAllowed("只有包案领导、主任和党委书记可以查看包案事项。")
    if state == "open":
        stmt = stmt.where(col(Case.status).in_(cases.OPEN))
    elif state != "all":
        raise InvalidInput("未知的列表。")
    rows = list(session.exec(stmt.order_by(col(Case.due_at).is_(None), col(Case.due_at), col(Case.id))))
    if not rows:
        return []
    cal = policy.calendar(session)
    pending = set(session.exec(select(DeadlineRequest.case_id).where(
        col(DeadlineRequest.case_id).in_([c.id for c in rows]), DeadlineRequest.status == RequestStatus.pending)))
    leaders = {}
    result = []
    for case in rows:
        shown = deadlines.light(case, now, cal, policy.tz)
        if case.leader_id not in leaders:
            leaders[case.leader_id] = person_name(session, case.leader_id)
        result.append(BaoanRef(
            id=case.id, number=case.number, status=CaseStatus(case.status),
            summary=summary_line(case),
            leader=leaders[case.leader_id], light=shown.symbol, left=shown.left, due=shown.due,
            plan_recorded=case.mediation_plan is not None, extension_pending=case.id in pending,
        ))
    return result
