"""传达: announcements and documents sent by the center to people by role, village, unit or to
everyone, with read receipts (已阅); for 学习 also the attendance (参加 / 请假 with a reason).

Every message goes through the outbox under a key naming the announcement and the person, so a
retry or a second process never sends twice. A file is kept by its Telegram file id and sent with
protect_content. The sender's own reminder (people still unread after a number of working hours)
is a mark on the announcement set in the same unit of work as its outbox row: the sweep is
idempotent and restart-safe. The sender's status message (已阅 n/m) goes out through the outbox
too, so each 已阅 or answer can rewrite it in the same unit of work that records it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sqlmodel import Session, col, select

from bot.callbacks import AnnounceAnswer, AnnounceRead, AnnounceRemind, AnnounceStatus
from bot.services import audit, outbox
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.workdays import CENTER_TZ
from bot.texts import announce as t
from bot.texts.notify import announce as notify
from models import Attendance, Outbox, OutboxStatus, Person, PersonRole, Role, Unit, Village
from models.announcements import Announcement, AnnouncementKind, AnnouncementRecipient

SENDERS = {Role.director, Role.secretary, Role.township_leader, Role.leader, Role.staff}
MAX_TEXT = 3000  # a plain message (Telegram's limit is 4096 with the heading)
MAX_CAPTION = 900  # with a file the text is the caption (Telegram's limit is 1024)
MAX_REASON = 200
DEFAULT_REMIND_HOURS = 4.0  # working hours before the sender hears who has still not read it
SWEEP_DAYS = 30  # older announcements are no longer chased
REF_PREFIX = "announce"
EVERYONE = "all"


def _roles(session: Session, person_id: int) -> set[Role]:
    return {Role(r) for r in session.exec(select(PersonRole.role).where(PersonRole.person_id == person_id))}


def _active(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise NotAllowed(t.NOT_ALLOWED)
    return person


def may_announce(session: Session, *, person_id: int) -> bool:
    person = session.get(Person, person_id)
    return bool(person and person.active and _roles(session, person_id) & SENDERS)


# --- the recipients ---------------------------------------------------------------------------------


def group_choices(session: Session) -> list[tuple[str, str]]:
    """(group code, label) for the buttons: everyone, each role, each village, each unit."""
    found = [(EVERYONE, t.EVERYONE)]
    found += [(f"r-{role}", label) for role, label in t.ROLE_GROUPS.items()]
    found += [(f"v-{v.id}", v.name) for v in session.exec(select(Village).where(col(Village.active))
                                                          .order_by(col(Village.id)))]
    found += [(f"u-{u.id}", u.name) for u in session.exec(select(Unit).where(col(Unit.active))
                                                       .order_by(col(Unit.id)))]
    return found


def group_label(session: Session, group: str) -> str:
    return dict(group_choices(session)).get(group, "")


def recipients(session: Session, *, groups: list[str], sender_id: int) -> list[Person]:
    """The active people of the chosen groups, the sender left out, in name order (no doubles)."""
    people: dict[int, Person] = {}
    for group in groups:
        kind, _, ident = group.partition("-")
        stmt = select(Person).where(col(Person.active))
        if group == EVERYONE:
            pass
        elif kind == "r" and ident in t.ROLE_GROUPS:
            stmt = stmt.join(PersonRole, PersonRole.person_id == Person.id).where(PersonRole.role == Role(ident))
        elif kind == "v" and ident.isdigit():
            stmt = stmt.where(Person.village_id == int(ident))
        elif kind == "u" and ident.isdigit():
            stmt = stmt.where(Person.unit_id == int(ident))
        else:
            raise InvalidInput(t.STALE)  # a forged or stale group
        for person in session.exec(stmt):
            if person.id != sender_id:
                people[person.id] = person
    return sorted(people.values(), key=lambda p: (p.name, p.id))


# --- sending ----------------------------------------------------------------------------------------


def check_content(text: str | None, file_id: str | None) -> str | None:
    """The text as it will be sent; InvalidInput when empty or too long for its place."""
    text = (text or "").strip() or None
    if text is None and file_id is None:
        raise InvalidInput(t.EMPTY)
    limit = MAX_CAPTION if file_id else MAX_TEXT
    if text and len(text) > limit:
        raise InvalidInput(t.TOO_LONG.format(limit=limit))
    return text


def _buttons(announcement: Announcement, recipient: AnnouncementRecipient | None = None):
    rows = []
    if recipient is None or recipient.read_at is None:
        rows.append([(t.BUTTON_READ, AnnounceRead(announcement.id).pack())])
    if announcement.kind == AnnouncementKind.study and (recipient is None or recipient.attendance is None):
        rows.append([(t.ANSWER_LABELS[a], AnnounceAnswer(announcement.id, a).pack()) for a in Attendance])
    return rows


def _message(announcement: Announcement, sender: Person) -> str:
    return notify.message(kind=t.KIND_LABELS[AnnouncementKind(announcement.kind)], sender=sender.name,
                          body=announcement.text)


def _enqueue_to(session: Session, announcement: Announcement, person: Person, *, text: str, key: str,
                now: datetime, recipient: AnnouncementRecipient | None = None, new_key: bool = False) -> bool:
    if person.telegram_id is None:
        return False
    return outbox.enqueue(
        session, chat_id=person.telegram_id, person_id=person.id, text=text, key=key, now=now,
        buttons=_buttons(announcement, recipient),
        document=f"{REF_PREFIX}:{announcement.id}" if announcement.file_id else None,
        protect=bool(announcement.file_id), new_key=new_key)


def send(session: Session, *, sender_id: int, kind: AnnouncementKind, text: str | None, groups: list[str],
         now: datetime, file_id: str | None = None, file_kind: str | None = None,
         file_name: str | None = None, tz: tzinfo = CENTER_TZ) -> tuple[Announcement, int]:
    """Record the announcement and queue it to every recipient; (announcement, recipients)."""
    sender = _active(session, sender_id)
    if not may_announce(session, person_id=sender_id):
        raise NotAllowed(t.NOT_ALLOWED)
    text = check_content(text, file_id)
    people = recipients(session, groups=groups, sender_id=sender_id)
    if not people:
        raise InvalidInput(t.NO_TARGETS)
    audience = "、".join(filter(None, (group_label(session, g) for g in groups)))[:300]
    announcement = Announcement(kind=kind, sender_id=sender_id, text=text, file_id=file_id, file_kind=file_kind,
                                file_name=(file_name or "")[:120] or None, audience=audience, sent_at=now)
    session.add(announcement)
    session.flush()
    body = _message(announcement, sender)
    for person in people:
        session.add(AnnouncementRecipient(announcement_id=announcement.id, person_id=person.id))
        _enqueue_to(session, announcement, person, text=body, key=f"announce{announcement.id}:p{person.id}",
                    now=now, new_key=True)
    audit.record(session, actor_id=sender_id, action="announce.send", subject_type="announcement",
                 subject_id=announcement.id, now=now, kind=str(kind), recipients=len(people))
    if sender.telegram_id is not None:
        outbox.enqueue(session, chat_id=sender.telegram_id, person_id=sender.id, key=_status_key(announcement.id),
                       text=status_text(_status(session, announcement), tz), now=now,
                       buttons=status_buttons(announcement.id, unread=False))  # nobody could have read it yet
    return announcement, len(people)


def _status_key(announcement_id: int) -> str:
    return f"annstatus{announcement_id}"  # not under announce{id}: those are the recipients' copies


def _tell_sender(session: Session, announcement: Announcement, *, now: datetime, tz: tzinfo) -> None:
    """The sender's status message shows the new count: an edit of it, or the waiting edit rewritten."""
    sender = session.get(Person, announcement.sender_id)
    if sender is None or sender.telegram_id is None:
        return
    st = _status(session, announcement)
    text, buttons = status_text(st, tz), status_buttons(announcement.id, unread=bool(st.unread))
    key = _status_key(announcement.id)
    if not outbox.rewrite_waiting_edit(session, edit_key=key, text=text, buttons=buttons):
        moment = f"{now:%Y%m%d%H%M%S%f}:{st.read}:{st.attend}:{len(st.leave)}"  # each edit its own key
        outbox.enqueue(session, chat_id=sender.telegram_id, person_id=sender.id, text=text, buttons=buttons,
                       edit_key=key, key=outbox.edit_key_for(key, moment), now=now)


# --- the recipient's answers ------------------------------------------------------------------------


def _receipt(session: Session, *, announcement_id: int, person_id: int) -> tuple[Announcement, AnnouncementRecipient]:
    announcement = session.get(Announcement, announcement_id)
    receipt = session.get(AnnouncementRecipient, (announcement_id, person_id))
    if announcement is None:
        raise NotFound(t.STALE)
    if receipt is None:
        raise NotAllowed(t.NOT_RECIPIENT)
    return announcement, receipt


def mark_read(session: Session, *, announcement_id: int, person_id: int, now: datetime,
              tz: tzinfo = CENTER_TZ) -> bool:
    """已阅: True the first time, False when already read (a second press changes nothing)."""
    announcement, receipt = _receipt(session, announcement_id=announcement_id, person_id=person_id)
    if receipt.read_at is not None:
        return False
    receipt.read_at = now
    session.add(receipt)
    _tell_sender(session, announcement, now=now, tz=tz)
    return True


def answer(session: Session, *, announcement_id: int, person_id: int, attendance: Attendance, now: datetime,
           reason: str | None = None, tz: tzinfo = CENTER_TZ) -> None:
    """学习: 参加, or 请假 with a reason. Answering counts as having read it."""
    announcement, receipt = _receipt(session, announcement_id=announcement_id, person_id=person_id)
    if announcement.kind != AnnouncementKind.study:
        raise InvalidInput(t.NOT_STUDY)
    reason = (reason or "").strip() or None
    if attendance == Attendance.leave:
        if reason is None:
            raise InvalidInput(t.ASK_REASON)
        if len(reason) > MAX_REASON:
            raise InvalidInput(t.REASON_TOO_LONG)
    receipt.attendance = attendance
    receipt.reason = reason if attendance == Attendance.leave else None
    receipt.read_at = receipt.read_at or now
    session.add(receipt)
    _tell_sender(session, announcement, now=now, tz=tz)


def recipient_buttons(session: Session, *, announcement_id: int, person_id: int):
    """What is left to press on the recipient's message after an answer."""
    announcement, receipt = _receipt(session, announcement_id=announcement_id, person_id=person_id)
    return _buttons(announcement, receipt)


# --- the sender's view ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    announcement_id: int
    kind: AnnouncementKind
    sent_at: datetime
    text: str | None
    file_name: str | None
    read: int
    total: int
    unread: list[str]  # names of the active people who have not read it and could receive it
    unreachable: list[str]  # names of those Telegram refused it to (they blocked the bot): phone them
    attend: int
    leave: list[tuple[str, str]]  # (name, reason)


def _rows(session: Session, announcement_id: int) -> list[tuple[AnnouncementRecipient, Person]]:
    return list(session.exec(select(AnnouncementRecipient, Person)
                             .join(Person, Person.id == AnnouncementRecipient.person_id)
                             .where(AnnouncementRecipient.announcement_id == announcement_id)
                             .order_by(col(Person.name), col(Person.id))))


def _counted(rows) -> list[tuple[AnnouncementRecipient, Person]]:
    """Someone deactivated after it was sent is no longer counted unless they read it already."""
    return [(r, p) for r, p in rows if p.active or r.read_at is not None]


def _undelivered(session: Session, announcement_id: int) -> set[int]:
    """People a copy of this 传达 could not reach (Telegram refused it: they blocked the bot, their
    account is gone) and none reached later: unreachable, not unread forever, and not reminded."""
    rows = session.exec(select(Outbox.person_id, Outbox.status).where(
        outbox.keys_under(session, f"announce{announcement_id}:"), col(Outbox.person_id).is_not(None)))
    dead, sent = set(), set()
    for person_id, state in rows:
        (dead if state == OutboxStatus.dead else sent if state == OutboxStatus.sent else set()).add(person_id)
    return dead - sent


def _waiting(session: Session, announcement_id: int) -> list[tuple[AnnouncementRecipient, Person]]:
    """Active recipients who have not read it and can be reached: the unread, the ones reminded."""
    gone = _undelivered(session, announcement_id)
    return [(r, p) for r, p in _rows(session, announcement_id)
            if r.read_at is None and p.active and p.id not in gone]


def _own(session: Session, *, announcement_id: int, actor_id: int) -> Announcement:
    announcement = session.get(Announcement, announcement_id)
    if announcement is None:
        raise NotFound(t.STALE)
    if announcement.sender_id != actor_id:
        raise NotAllowed(t.ONLY_SENDER)
    return announcement


def status(session: Session, *, announcement_id: int, actor_id: int) -> Status:
    announcement = _own(session, announcement_id=announcement_id, actor_id=actor_id)
    return _status(session, announcement)


def _status(session: Session, announcement: Announcement) -> Status:
    rows = _counted(_rows(session, announcement.id))
    gone = _undelivered(session, announcement.id)
    return Status(
        announcement_id=announcement.id, kind=AnnouncementKind(announcement.kind), sent_at=announcement.sent_at,
        text=announcement.text, file_name=announcement.file_name,
        read=sum(1 for r, _ in rows if r.read_at is not None), total=len(rows),
        unread=[p.name for r, p in rows if r.read_at is None and p.id not in gone],
        unreachable=[p.name for r, p in rows if r.read_at is None and p.id in gone],
        attend=sum(1 for r, _ in rows if r.attendance == Attendance.attend),
        leave=[(p.name, r.reason or "") for r, p in rows if r.attendance == Attendance.leave])


def status_text(st: Status, tz: tzinfo) -> str:
    local = st.sent_at.astimezone(tz)
    return notify.status(st, when=f"{t.cn_date(local)} {local:%H:%M}")


def remind_unread(session: Session, *, announcement_id: int, actor_id: int, now: datetime) -> int:
    """The sender's one press: every active recipient who has not read it is reminded once per
    minute at most (a double press sends nothing more)."""
    announcement = _own(session, announcement_id=announcement_id, actor_id=actor_id)
    sender = session.get(Person, announcement.sender_id)
    text = notify.reminder(sender=sender.name, kind=t.KIND_LABELS[AnnouncementKind(announcement.kind)],
                           body=announcement.text or announcement.file_name)
    sent = 0
    for receipt, person in _waiting(session, announcement_id):
        receipt.reminded_at = now
        session.add(receipt)
        sent += _enqueue_to(session, announcement, person, text=text, now=now, recipient=receipt,
                            key=f"announce{announcement_id}:remind:{now:%Y%m%d%H%M}:p{person.id}")
    return sent


@dataclass(frozen=True)
class Sent:
    announcement_id: int
    kind: AnnouncementKind
    sent_at: datetime
    read: int
    total: int


def recent(session: Session, *, sender_id: int, limit: int = 8) -> list[Sent]:
    found = session.exec(select(Announcement).where(Announcement.sender_id == sender_id)
                         .order_by(col(Announcement.sent_at).desc(), col(Announcement.id).desc()).limit(limit))
    out = []
    for a in list(found):
        s = _status(session, a)
        out.append(Sent(a.id, s.kind, a.sent_at, s.read, s.total))
    return out


def status_buttons(announcement_id: int, *, unread: bool):
    rows = [[(t.BUTTON_STATUS, AnnounceStatus(announcement_id).pack())]]
    if unread:
        rows.append([(t.BUTTON_REMIND, AnnounceRemind(announcement_id).pack())])
    return rows


# --- the sweep --------------------------------------------------------------------------------------


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy,
          hours: float = DEFAULT_REMIND_HOURS) -> int:
    """Tell each sender once who has still not read their announcement after `hours` working
    hours (the work calendar: nights, weekends and holidays do not count)."""
    cal = policy.calendar(session)
    due = session.exec(select(Announcement).where(col(Announcement.sender_reminded_at).is_(None),
                                                  Announcement.sent_at > now - timedelta(days=SWEEP_DAYS)))
    sent = 0
    for announcement in list(due):
        if cal.working_seconds(announcement.sent_at, now) < hours * 3600:
            continue
        announcement.sender_reminded_at = now
        session.add(announcement)
        sender = session.get(Person, announcement.sender_id)
        state = _status(session, announcement)
        unread = [p.name for _, p in _waiting(session, announcement.id)]
        if not unread or sender is None or not sender.active or sender.telegram_id is None:
            continue
        local = announcement.sent_at.astimezone(policy.tz)
        sent += outbox.enqueue(
            session, chat_id=sender.telegram_id, person_id=sender.id, now=now,
            key=f"announce{announcement.id}:sender", new_key=True,
            text=notify.sender_reminder(when=f"{t.cn_date(local)} {local:%H:%M}", kind=t.KIND_LABELS[state.kind],
                                        names=unread),
            buttons=status_buttons(announcement.id, unread=True))
    return sent


# --- the 传达台账 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    seq: int
    when: str  # 2026年12月4日 09:30
    kind: str
    sender: str
    content: str  # the text's first line, or the file's name
    audience: str
    total: int
    read: int
    attend: int  # 学习 only
    on_leave: int
    note: str


def ledger_rows(session: Session, *, start: date, end: date, tz) -> list[LedgerRow]:
    """The 传达台账 for local days start … end (both included), in order of sending."""
    lo = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    found = session.exec(select(Announcement).where(Announcement.sent_at >= lo, Announcement.sent_at < hi)
                         .order_by(col(Announcement.sent_at), col(Announcement.id)))
    rows = []
    for seq, a in enumerate(list(found), start=1):
        s = _status(session, a)
        sender = session.get(Person, a.sender_id)
        local = a.sent_at.astimezone(tz)
        content = (a.text or "").split("\n", 1)[0][:60] or (a.file_name or "")
        if a.file_name and a.text:
            content = f"{content}{t.FILE_LABEL}{a.file_name}"
        rows.append(LedgerRow(
            seq=seq, when=f"{t.cn_date(local)} {local:%H:%M}", kind=t.KIND_LABELS[s.kind],
            sender=sender.name if sender else "", content=content, audience=a.audience, total=s.total, read=s.read,
            attend=s.attend, on_leave=len(s.leave),
            note=f"未阅：{'、'.join(s.unread)}" if s.unread else ""))
    return rows


# --- the file ---------------------------------------------------------------------------------------


def from_ref(ref: str | None) -> int | None:
    kind, _, ident = (ref or "").partition(":")
    return int(ident) if kind == REF_PREFIX and ident.isdigit() else None


def file_of(session: Session, announcement_id: int) -> tuple[str, str, str]:
    """(file id, kind, name) of the announcement's file, for the outbox sender."""
    a = session.get(Announcement, announcement_id)
    if a is None or not a.file_id:
        raise NotFound(t.STALE)
    return a.file_id, a.file_kind or "document", a.file_name or "传达文件"
