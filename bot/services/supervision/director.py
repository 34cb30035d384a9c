"""The director's side: accept or reject and re-issue, 调阅 and 汇报, close or transfer."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot import texts
from bot.callbacks import (
    NoticeAnswer,
    NoticeParty,
)
from bot.services import cases, deadlines, people
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.supervision.base import (
    DEPARTMENT_MAX,
    LEVEL_ORDER,
    MAX_TEXT,
    OPEN,
    PARTY_NOTICE_DAYS,
    UNFINISHED,
    N,
    answerers,
    closed_error,
    director_only,
    holds_case,
    load_notice,
    long_date,
    may_approve,
    new_entry,
    optional_text,
    record_on_case,
    required_text,
    send_to,
    touch_notice,
    view_button,
)
from bot.services.supervision.issue import (
    check_notice,
    create_notice,
)
from bot.services.supervision.numbers import (
    DEFAULT_STYLE,
    NoticeStyle,
)
from bot.texts import notify
from models import (
    Case,
    CaseStatus,
    NoticeEntry,
    NoticeLevel,
    NoticeSource,
    Outcome,
    SupervisionNotice,
)

# --- the director's side -----------------------------------------------------------------------


def accept_result(session: Session, *, actor_id: int, notice_id: int, now: datetime,
                  note: str | None = None) -> SupervisionNotice:
    """The director accepts the reported result: the notice is closed."""
    actor = director_only(session, actor_id)
    notice = load_notice(session, notice_id, lock=True)
    if N(notice.status) != N.reported:
        if N(notice.status) in UNFINISHED:
            raise InvalidInput(f"督办通知书 {notice.number} 还没有报送办理结果。")
        raise closed_error(notice)
    note = optional_text(note, MAX_TEXT)
    notice.status, notice.closed_at, notice.closing_note = N.accepted, now, note
    touch_notice(notice, now)
    session.add(notice)
    entry = new_entry(session, notice, "accept", note or texts.SV_ENTRY_LABELS["accept"], actor.id, now)
    record_on_case(session, actor.id, notice, "supervise_accept", now, note or "")
    message = notify.supervision.accepted(number=notice.number)
    send_to(session, answerers(session, notice), message, [view_button(notice)],
          f"sv{notice.id}:e{entry.id}", now, notice=notice)
    _resolve_case(session, actor, notice, note, now)
    return notice


def _resolve_case(session: Session, actor: people.PersonView, notice: SupervisionNotice, note: str | None,
                  now: datetime) -> None:
    """认可 of the unit handling the case is the case's 办结, through the normal resolve (the reporter
    is told; the reply to the party and the satisfaction follow as for any case). The result of a
    unit the case has since moved away from (a later notice to another unit) does not close it."""
    case = session.get(Case, notice.case_id)
    if not holds_case(session, notice, case) or CaseStatus(case.status) not in cases.TRANSITIONS["resolve"].from_states:
        return
    result = session.exec(select(NoticeEntry.text).where(NoticeEntry.notice_id == notice.id, NoticeEntry.kind == "result")
                          .order_by(col(NoticeEntry.at).desc(), col(NoticeEntry.id).desc())).first() or ""
    summary = texts.SV_CASE_RESULT.format(number=notice.number, result=result,
                                          note=texts.SV_CASE_RESULT_NOTE.format(note=note) if note else "")
    if len(summary) > MAX_TEXT:
        summary = summary[: MAX_TEXT - 1] + "…"
    # The director accepted the result as settling the matter: 调解成功 (化解) in the ledger.
    cases.resolve(session, actor_id=actor.id, case_id=case.id, outcome=Outcome.mediated, agreement=None,
                  summary=summary, now=now)


def reject_and_reissue(session: Session, *, actor_id: int, notice_id: int, reason: str, due_date: date,
                       now: datetime, policy: DeadlinePolicy, requirements: str | None = None,
                       level: NoticeLevel | None = None, feedback: str | None = None,
                       cc: str | None = None, style: NoticeStyle = DEFAULT_STYLE) -> SupervisionNotice:
    """重新督办: the result is not accepted; a NEW notice (new number) linked to the old one goes to
    the same unit or person, at the same or a stricter level, never a lower one. The old one is 'reissued'."""
    actor = director_only(session, actor_id)
    old = load_notice(session, notice_id, lock=True)
    if N(old.status) not in OPEN:
        raise closed_error(old)
    reason = required_text(reason, "不认可的理由", MAX_TEXT)
    old_level = NoticeLevel(old.level)
    level = NoticeLevel(level) if level is not None else old_level
    if LEVEL_ORDER[level] < LEVEL_ORDER[old_level]:
        raise InvalidInput(
            f"督办级别只能提高、不能降低（原通知书为{texts.SV_LEVEL_LABELS[old_level.value]}）。"
        )
    c = check_notice(session, case_id=old.case_id, unit_id=old.unit_id, assignee_id=old.assignee_id,
               due_date=due_date,
               requirements=requirements or old.requirements, level=level, source=NoticeSource(old.source),
               feedback=feedback or old.feedback, cc=cc if cc is not None else old.cc, now=now, policy=policy,
               cc_person_ids=old.cc_person_ids or (), cc_unit_ids=old.cc_unit_ids or ())
    old.status, old.closed_at, old.closing_note = N.reissued, now, reason
    touch_notice(old, now)
    session.add(old)
    new_entry(session, old, "reject", reason, actor.id, now)
    record_on_case(session, actor.id, old, "supervise_reissue", now, f"不认可：{reason}")
    return create_notice(session, actor, c, now, policy, original_due_at=old.due_at, parent=old, style=style)


def _request(session: Session, *, actor_id: int, notice_id: int, kind: str, text: str | None,
             now: datetime) -> NoticeEntry:
    actor = director_only(session, actor_id)
    notice = load_notice(session, notice_id, lock=True)
    if N(notice.status) not in OPEN:
        raise closed_error(notice)
    body = optional_text(text, MAX_TEXT) or texts.SV_REQUEST_DEFAULTS[kind]
    entry = new_entry(session, notice, kind, body, actor.id, now, open_=True)
    label = texts.SV_REQUEST_LABELS[kind]
    record_on_case(session, actor.id, notice, "supervise_request", now, f"{label}：{body}")
    case = session.get(Case, notice.case_id)
    message = notify.supervision.requested(kind=kind, number=notice.number, case_number=case.number, text=body)
    buttons = [[(texts.SV_ANSWER, NoticeAnswer(entry.id).pack()), *view_button(notice)]]
    send_to(session, answerers(session, notice), message, buttons, f"sv{notice.id}:e{entry.id}", now, notice=notice)
    return entry


def request_materials(session: Session, *, actor_id: int, notice_id: int, now: datetime,
                      text: str | None = None) -> NoticeEntry:
    """调阅: the director asks the unit for the case materials; tracked until answered."""
    return _request(session, actor_id=actor_id, notice_id=notice_id, kind="materials", text=text, now=now)


def request_briefing(session: Session, *, actor_id: int, notice_id: int, now: datetime,
                     text: str | None = None) -> NoticeEntry:
    """汇报: the director summons the unit's leader or handler to report; tracked until answered."""
    return _request(session, actor_id=actor_id, notice_id=notice_id, kind="briefing", text=text, now=now)


def close_or_transfer(session: Session, *, actor_id: int, notice_id: int, transfer: bool, note: str,
                      now: datetime, department: str | None = None, tz: ZoneInfo = deadlines.CENTER_TZ
                      ) -> SupervisionNotice:
    """With a leader's (or the director's) approval the item is closed or moved to another
    department; the unit must tell the party within 3 days and is reminded until it records it."""
    actor = people.get(session, person_id=actor_id)
    notice = load_notice(session, notice_id, lock=True)
    if not may_approve(actor, notice):
        raise NotAllowed(texts.SV_NOT_APPROVER)
    if N(notice.status) not in OPEN:
        raise closed_error(notice)
    note = required_text(note, "结案或移送的说明", MAX_TEXT)
    if transfer:
        department = required_text(department, "接收部门", DEPARTMENT_MAX)
        what = texts.SV_TRANSFER_WHAT.format(department=department)
        notice.status, notice.closing_note = N.transferred, f"移送 {department}：{note}"
    else:
        what = texts.SV_CLOSE_WHAT
        notice.status, notice.closing_note = N.closed, note
    notice.closed_at = now
    notice.party_notice_due_at = now + timedelta(days=PARTY_NOTICE_DAYS)
    touch_notice(notice, now)
    session.add(notice)
    kind = "transfer" if transfer else "close"
    entry = new_entry(session, notice, kind, notice.closing_note, actor.id, now)
    record_on_case(session, actor.id, notice, f"supervise_{kind}", now, f"经 {actor.name} 批准：{notice.closing_note}")
    message = notify.supervision.closed(who=actor.name, number=notice.number, what=what, note=note,
                                        due=long_date(notice.party_notice_due_at, tz))
    buttons = [[(texts.SV_PARTY_BUTTON, NoticeParty(notice.id).pack()), *view_button(notice)]]
    send_to(session, answerers(session, notice), message, buttons, f"sv{notice.id}:e{entry.id}", now, notice=notice)
    return notice
