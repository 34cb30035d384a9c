"""请示 on a 督办通知书 (信息督办制度: 如遇特殊情况，无法在限时内办结或发生重大变化，应立即向中心领导请示).

The unit's contact asks from the notice (a reason picked, the detail typed); every center leader
and the director get it with the answers as buttons: 同意延期 (a new deadline), 同意结案 or 同意移送
(closed through close_or_transfer, so the unit must tell the party within 3 days and is chased by
the sweep until it records it), 不同意. The first answer counts; it is recorded on the notice (its
history) and on the case, and the unit is told.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from bot.callbacks import InstructAnswerPick
from bot.services import deadlines, people
from bot.services.case_access import person_name
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.recipients import with_role
from bot.services.supervision.base import (
    APPROVERS,
    DEPARTMENT_MAX,
    MAX_TEXT,
    OPEN,
    N,
    addressee_name,
    answerers,
    closed_error,
    is_contact,
    load_notice,
    long_date,
    may_approve,
    new_entry,
    record_on_case,
    required_text,
    send_to,
    touch_notice,
    view_button,
)
from bot.services.supervision.director import close_or_transfer
from bot.texts import instruct as words
from bot.texts import notify
from models import Case, InstructionAnswer, InstructionReason, NoticeEntry, Role, SupervisionNotice

ASK = "instruction"  # NoticeEntry.kind of the unit's 请示 (open until answered)
ANSWER = "instruction_reply"  # NoticeEntry.kind of the leader's answer
DETAIL_MAX = 1000


@dataclass(frozen=True)
class OpenInstruction:
    """A 请示 a leader is about to answer."""

    id: int
    notice_id: int
    number: str
    unit: str
    text: str
    due: str  # the notice's deadline now
    due_at: datetime


def open_instruction_of(session: Session, notice_id: int) -> NoticeEntry | None:
    return session.exec(select(NoticeEntry).where(NoticeEntry.notice_id == notice_id, NoticeEntry.kind == ASK,
                                                  col(NoticeEntry.open)).order_by(col(NoticeEntry.id).desc())).first()


def may_ask(viewer: people.PersonView, notice: SupervisionNotice, has_open: bool) -> bool:
    """The card offers 请示 to the unit's contact of a signed, open notice without a pending 请示."""
    return is_contact(viewer, notice) and N(notice.status) in (N.signed, N.reported) and not has_open


def check_ask(session: Session, *, actor_id: int, notice_id: int) -> str:
    """Before the unit types: still theirs and askable. Returns the notice's number."""
    notice = load_notice(session, notice_id)
    _check_ask(session, actor_id, notice)
    return notice.number


def _check_ask(session: Session, actor_id: int, notice: SupervisionNotice) -> people.PersonView:
    actor = people.get(session, person_id=actor_id)
    if not is_contact(actor, notice):
        raise NotAllowed(words.NOT_CONTACT)
    if N(notice.status) == N.issued:
        raise InvalidInput(f"请先点「签收」督办通知书 {notice.number}，再请示。")
    if N(notice.status) not in OPEN:
        raise closed_error(notice)
    if open_instruction_of(session, notice.id) is not None:
        raise InvalidInput(words.ALREADY_OPEN.format(number=notice.number))
    return actor


def ask(session: Session, *, actor_id: int, notice_id: int, reason: InstructionReason, detail: str,
        now: datetime, tz=deadlines.CENTER_TZ) -> NoticeEntry:
    """The unit's 请示: recorded on the notice (open) and sent to every center leader and the director."""
    notice = load_notice(session, notice_id, lock=True)
    actor = _check_ask(session, actor_id, notice)
    reason = InstructionReason(reason)
    detail = required_text(detail, "请示的具体情况", DETAIL_MAX)
    label = words.REASON_LABELS[reason]
    entry = new_entry(session, notice, ASK, f"{label}：{detail}", actor.id, now, open_=True)
    touch_notice(notice, now)
    session.add(notice)
    record_on_case(session, actor.id, notice, "supervise_instruction", now, f"请示（{label}）：{detail}")
    case = session.get(Case, notice.case_id)
    text = notify.joint.instruction_asked(unit=addressee_name(session, notice), number=notice.number,
                                          case_number=case.number, reason=label, detail=detail,
                                          due=long_date(notice.due_at, tz))
    answers = [(words.ANSWER_LABELS[a], InstructAnswerPick(entry.id, a).pack()) for a in InstructionAnswer]
    buttons = [answers[:2], answers[2:], view_button(notice)]
    approvers = [p for p in _approvers(session) if p.id != actor.id]
    send_to(session, approvers, text, buttons, f"sv{notice.id}:e{entry.id}", now, notice=notice)
    return entry


def _approvers(session: Session):
    return [*with_role(session, Role.leader), *with_role(session, Role.director)]


def _load_open(session: Session, actor_id: int, entry_id: int, *, lock: bool = False):
    actor = people.get(session, person_id=actor_id)
    if not actor.has(*APPROVERS):
        raise NotAllowed(words.NOT_APPROVER)
    stmt = select(NoticeEntry).where(NoticeEntry.id == entry_id)
    entry = session.exec(stmt.with_for_update() if lock else stmt).first()
    if entry is None or entry.kind != ASK:
        raise NotFound(words.NOT_FOUND)
    notice = load_notice(session, entry.notice_id, lock=lock)
    if not may_approve(actor, notice):  # a leader who is the notice's 承办人员 asked it: another answers
        raise NotAllowed(words.OWN_INSTRUCTION)
    if not entry.open:
        answer = session.exec(select(NoticeEntry).where(NoticeEntry.notice_id == notice.id, NoticeEntry.kind == ANSWER,
                                                        NoticeEntry.at >= entry.at).order_by(col(NoticeEntry.id))).first()
        who = person_name(session, answer.actor_id) if answer else ""
        said = answer.text.partition("：")[0].partition("（")[0] if answer else ""  # the answer's label
        raise InvalidInput(words.ANSWERED.format(who=who or "其他领导", answer=said or "已答复"))
    if N(notice.status) not in OPEN:
        raise closed_error(notice)
    return actor, entry, notice


def open_instruction(session: Session, *, actor_id: int, entry_id: int, tz=deadlines.CENTER_TZ) -> OpenInstruction:
    """Before a leader answers: an approver, and the 请示 still waiting."""
    _, entry, notice = _load_open(session, actor_id, entry_id)
    return OpenInstruction(id=entry.id, notice_id=notice.id, number=notice.number,
                           unit=addressee_name(session, notice), text=entry.text,
                           due=long_date(notice.due_at, tz), due_at=notice.due_at)


def answer(session: Session, *, actor_id: int, entry_id: int, answer: InstructionAnswer, text: str, now: datetime,
           policy: DeadlinePolicy, new_due: date | None = None, department: str | None = None) -> SupervisionNotice:
    """The leader's answer; the first one counts (a second press is told who answered)."""
    actor, entry, notice = _load_open(session, actor_id, entry_id, lock=True)
    answer = InstructionAnswer(answer)
    text = required_text(text, "答复意见", MAX_TEXT)
    label = words.ANSWER_LABELS[answer]
    tz = policy.tz
    new_due_text = ""
    if answer == InstructionAnswer.extend:
        if new_due is None:
            raise InvalidInput(words.ANSWER_PICK_DATE)
        due = deadlines.end_of_day(new_due, policy)
        if due <= notice.due_at or due <= now:
            raise InvalidInput(words.ANSWER_DATE_EARLY.format(due=long_date(notice.due_at, tz)))
        notice.due_at = due
        notice.overdue_asked_at = None  # the overdue question is asked again at the new deadline
        new_due_text = long_date(due, tz)
    elif answer == InstructionAnswer.transfer:
        department = required_text(department, "接收部门", DEPARTMENT_MAX)
    entry.open, entry.answered_at = False, now
    session.add(entry)
    body = f"{label}" + (f"（新期限 {new_due_text}）" if new_due_text else "") + (
        f"（移送 {department}）" if answer == InstructionAnswer.transfer else "") + f"：{text}"
    reply = new_entry(session, notice, ANSWER, body, actor.id, now)
    record_on_case(session, actor.id, notice, "supervise_instruction_reply", now, f"请示答复 {body}")
    if answer in (InstructionAnswer.close, InstructionAnswer.transfer):
        # The approval itself closes the item: the party must be told within 3 days (chased).
        # close_or_transfer tells the unit, with the 「已告知当事人」 button.
        close_or_transfer(session, actor_id=actor.id, notice_id=notice.id, transfer=answer == InstructionAnswer.transfer,
                          note=text, now=now, department=department, tz=tz)
        return notice
    touch_notice(notice, now)
    session.add(notice)
    message = notify.joint.instruction_answered(number=notice.number, who=actor.name, answer=label, text=text,
                                                new_due=new_due_text)
    send_to(session, answerers(session, notice), message, [view_button(notice)],
            f"sv{notice.id}:e{reply.id}", now, notice=notice)
    return notice
