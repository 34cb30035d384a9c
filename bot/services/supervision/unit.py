"""The handling unit's side: 签收, progress, result, overdue reason, answers to requests, the party told."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot import texts
from bot.callbacks import (
    NoticeAccept,
    NoticeReissue,
)
from bot.services import deadlines, people
from bot.services.case_access import FileInput, add_files, person_name
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.supervision.base import (
    FEEDBACK_NOTE,
    MAX_TEXT,
    OPEN,
    REQUEST_KINDS,
    UNIT_ENTRY_KINDS,
    N,
    all_directors,
    answering_side,
    closed_error,
    contact_only,
    is_contact,
    load_notice,
    long_date,
    new_entry,
    record_on_case,
    required_text,
    send_to,
    touch_notice,
    view_button,
)
from bot.texts import notify
from models import (
    NoticeEntry,
    Role,
    SupervisionNotice,
)

# --- the unit's side ---------------------------------------------------------------------------


def sign(session: Session, *, actor_id: int, notice_id: int, now: datetime,
         tz: ZoneInfo = deadlines.CENTER_TZ) -> SupervisionNotice:
    """签收: the sign-for person and time are recorded; the director is told."""
    notice = load_notice(session, notice_id, lock=True)
    actor = contact_only(session, actor_id, notice)
    if N(notice.status) != N.issued:
        if notice.signed_at is not None:
            raise InvalidInput(
                f"督办通知书 {notice.number} 已由 {person_name(session, notice.signed_by_id)} 于 "
                f"{long_date(notice.signed_at, tz)} 签收，无需重复签收。"
            )
        raise closed_error(notice)
    notice.status, notice.signed_by_id, notice.signed_at = N.signed, actor.id, now
    touch_notice(notice, now)
    session.add(notice)
    record_on_case(session, actor.id, notice, "supervise_sign", now, f"{actor.name} 签收")
    text = notify.supervision.signed(unit=answering_side(session, notice), who=actor.name, number=notice.number)
    send_to(session, all_directors(session), text, [view_button(notice)], f"sv{notice.id}:signed", now, notice=notice)
    return notice


def add_entry(session: Session, *, actor_id: int, notice_id: int, kind: str, text: str, now: datetime,
              files: tuple[FileInput, ...] = ()) -> NoticeEntry:
    """The unit reports progress, the result, or (when overdue) the reason and its progress."""
    if kind not in UNIT_ENTRY_KINDS:
        raise InvalidInput("未知的反馈类型。")
    notice = load_notice(session, notice_id, lock=True)
    actor = contact_only(session, actor_id, notice)
    status = N(notice.status)
    if status == N.issued:
        raise InvalidInput(f"请先点「签收」督办通知书 {notice.number}，再报送{texts.SV_ENTRY_LABELS[kind]}。")
    if status == N.reported and kind == "result":
        raise InvalidInput(f"督办通知书 {notice.number} 的办理结果已报送，等待中心审核。可以继续报送进展。")
    if status not in OPEN:
        raise closed_error(notice)
    body = required_text(text, texts.SV_ENTRY_LABELS[kind], MAX_TEXT)
    add_files(session, notice.case_id, actor.id, files, now, note=FEEDBACK_NOTE)
    entry = new_entry(session, notice, kind, body, actor.id, now)
    if kind == "result":
        notice.status = N.reported
        touch_notice(notice, now)
        session.add(notice)
    record_on_case(session, actor.id, notice, "supervise_entry", now, f"{texts.SV_ENTRY_LABELS[kind]}：{body}")
    message = notify.supervision.entry_reported(
        unit=answering_side(session, notice), who=actor.name, number=notice.number, kind=kind, text=body,
        files=len(files),
    )
    buttons = [view_button(notice)]
    if kind == "result":
        buttons.insert(0, [(texts.SV_ACCEPT, NoticeAccept(notice.id).pack()), (texts.SV_REJECT, NoticeReissue(notice.id).pack())])
    send_to(session, all_directors(session), message, buttons, f"sv{notice.id}:e{entry.id}", now, notice=notice)
    return entry


def answer_request(session: Session, *, actor_id: int, entry_id: int, text: str, now: datetime,
                   files: tuple[FileInput, ...] = ()) -> NoticeEntry:
    """The unit answers a 调阅 (materials) or 汇报 (briefing) request; the director is told."""
    request = session.exec(select(NoticeEntry).where(NoticeEntry.id == entry_id).with_for_update()).first()
    if request is None or request.kind not in REQUEST_KINDS:
        raise NotFound("没有找到这项要求。")
    notice = load_notice(session, request.notice_id, lock=True)
    actor = contact_only(session, actor_id, notice)
    if not request.open:
        raise InvalidInput("这项要求已经答复过了，无需重复答复。")
    body = required_text(text, "答复内容", MAX_TEXT)
    add_files(session, notice.case_id, actor.id, files, now, note=FEEDBACK_NOTE)
    request.open, request.answered_at = False, now
    session.add(request)
    label = texts.SV_REQUEST_LABELS[request.kind]
    answer = new_entry(session, notice, "answer", f"答复「{label}」：{body}", actor.id, now)
    record_on_case(session, actor.id, notice, "supervise_answer", now, f"答复「{label}」：{body}")
    message = notify.supervision.answered(
        unit=answering_side(session, notice), who=actor.name, number=notice.number, kind=request.kind,
        text=body, files=len(files),
    )
    send_to(session, all_directors(session), message, [view_button(notice)], f"sv{notice.id}:e{answer.id}", now, notice=notice)
    return answer


def record_party_notice(session: Session, *, actor_id: int, notice_id: int, text: str,
                        now: datetime) -> SupervisionNotice:
    """After a close or transfer: the unit records how and when the party was told; reminders stop."""
    notice = load_notice(session, notice_id, lock=True)
    actor = people.get(session, person_id=actor_id)
    if not (is_contact(actor, notice) or actor.has(Role.director)):
        raise NotAllowed(texts.SV_PARTY_NOT_ALLOWED)
    if notice.party_notice_due_at is None:
        raise InvalidInput(f"督办通知书 {notice.number} 没有经批准结案或移送，无需登记告知当事人。")
    if notice.party_notified_at is not None:
        raise InvalidInput(f"督办通知书 {notice.number} 已登记告知当事人，无需重复登记。")
    body = required_text(text, "告知情况（何时、以何种方式告知）", MAX_TEXT)
    notice.party_notified_at = now
    touch_notice(notice, now)
    session.add(notice)
    entry = new_entry(session, notice, "party_notice", body, actor.id, now)
    record_on_case(session, actor.id, notice, "supervise_party", now, body)
    message = notify.supervision.party_recorded(
        unit=answering_side(session, notice), who=actor.name, number=notice.number, text=body)
    send_to(session, [p for p in all_directors(session) if p.id != actor.id], message, [view_button(notice)],
          f"sv{notice.id}:e{entry.id}", now, notice=notice)
    return notice
