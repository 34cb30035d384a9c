"""The outbox: notifications are rows written in the same transaction as the change that caused
them (DESIGN.md rule 2), and a sender job delivers them. Nothing is lost, nothing sent twice.

A row's life: `enqueue` → pending → `claim_due` (leased: next_attempt_at pushed ahead, attempts+1)
→ `mark_sent`, or back to pending (`mark_failed` with backoff, `release` without counting the
attempt), or dead (`mark_dead`, `mark_unreachable`, or too many attempts). A dead row always
queues an alert to the admins, so nothing disappears silently. A sender that dies mid-send
leaves its claimed rows pending; they come due again when the lease runs out.
"""

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import ColumnElement, and_, bindparam, func, update
from sqlmodel import Session, col, select

from bot.services.sql import INSERTS
from bot.services.workdays import CENTER_TZ
from bot.texts import notify
from models import Case, Outbox, OutboxStatus, Person, PersonRole, Role, Setting

log = logging.getLogger(__name__)

Buttons = list[list[tuple[str, str]]]  # rows of (label, callback data)

ALERT_KEY_PREFIX = "alert:"  # alerts about undeliverable alerts are only logged (no alert loops)
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class OutboxMessage:
    """A claimed row, detached from the session: what the sender needs to deliver it."""

    id: int
    chat_id: int
    person_id: int | None
    text: str
    buttons: Buttons  # empty when the message has no inline keyboard
    urgent: bool
    attempts: int  # including the current one
    document: str | None = None  # a reference for bot/services/documents.py; the text is its caption
    protect: bool = False  # sent with protect_content (no forwarding or saving)
    edit_key: str | None = None  # an edit of the message sent for this key (see `edit_target`)


@dataclass(frozen=True)
class EditTarget:
    """What an edit row rewrites: a message Telegram holds, or nothing left to do."""

    chat_id: int
    tg_message_id: int | None  # None: nothing to edit (the original was rewritten before it went, or is dead)
    document: bool  # the original is a document: its caption is edited
    retry: bool = False  # the original is being sent right now: try the edit again shortly


def enqueue(
    session: Session,
    *,
    chat_id: int,
    text: str,
    key: str,
    now: datetime,
    person_id: int | None = None,
    buttons: Buttons | None = None,
    urgent: bool = False,
    document: str | None = None,
    protect: bool = False,
    edit_key: str | None = None,
    case: Case | None = None,
    new_key: bool = False,
) -> bool:
    """Queue one message. The key makes it idempotent: a second enqueue with the same key is a no-op.

    With `document` (a reference such as "notice:12") the message is that document with the
    text as its caption (at most 1024 characters). `protect` sends it with protect_content
    (confidential matters). With `edit_key` the row is not a new message but an edit of the one
    queued under that key: its text and buttons replace the original's (no buttons: the keyboard
    goes), in the chat or, if it has not gone out yet, before it goes. `case` is the case the
    message is about: every message about a confidential case is protected (保密事项), so a
    notification needs only say which case it concerns. `new_key`: the caller has just inserted, in
    this transaction, the unique row the key stands for (a reminder), so the key cannot exist yet and
    neither the lookup nor a savepoint is needed (a sweep queues hundreds)."""
    values = dict(
        key=key, chat_id=chat_id, person_id=person_id, text=text,
        buttons=json.dumps(buttons, ensure_ascii=False) if buttons else None,
        urgent=urgent, document=document, protect=protect or protect_for(case), edit_key=edit_key,
        next_attempt_at=now, created_at=now,
    )
    if new_key:
        session.add(Outbox(**values))  # flushed with the others: one INSERT for the lot
        return True
    # One statement: a key already queued (also by a concurrent transaction) inserts nothing.
    return session.execute(_queue_statement(session.get_bind().dialect.name, tuple(values)), values).first() is not None


def rewrite_waiting_edit(session: Session, *, edit_key: str, text: str, buttons: list | None) -> bool:
    """An edit of `edit_key`'s message still waiting (never claimed by a sender) takes this text and
    these buttons instead of a new edit being queued: for a message that shows a running count, the
    outbox (one message a second per chat) then sends the latest count once, not every step of it.
    False when there is none: queue the edit. One statement, so a sender claiming the row meanwhile
    leaves it untouched (its attempts are no longer 0) on either database."""
    changed = session.execute(
        update(Outbox)
        .where(col(Outbox.status) == OutboxStatus.pending, col(Outbox.edit_key) == edit_key, col(Outbox.attempts) == 0)
        .values(text=text, buttons=json.dumps(buttons, ensure_ascii=False) if buttons else None)
    )
    return changed.rowcount > 0


@cache  # built once per dialect: building the upsert cost more than running it
def _queue_statement(dialect: str, columns: tuple[str, ...]):
    table = Outbox.__table__
    return (INSERTS[dialect](table).values({c: bindparam(c, type_=table.c[c].type) for c in columns})
            .on_conflict_do_nothing(index_elements=["key"]).returning(table.c.id))


def protect_for(case: Case | None) -> bool:
    """Whether a message about `case` is sent with protect_content (no forwarding or saving)."""
    return bool(case is not None and case.confidential)


def backoff_seconds(attempts: int, *, base: float = 2.0, cap: float = 300.0) -> float:
    """Wait before the next try after `attempts` failed ones: 2, 4, 8 … seconds, at most 5 minutes."""
    return min(cap, base * 2 ** max(attempts - 1, 0))


def claim_due(
    session: Session,
    *,
    now: datetime,
    limit: int = 50,
    lease_seconds: float = 60,
    per_chat: int | None = None,
) -> list[OutboxMessage]:
    """Claim up to `limit` due rows, urgent first, then oldest.

    Claiming leases a row: next_attempt_at moves to now + lease and attempts goes up by one, so
    no other sender takes it meanwhile and a sender that dies leaves it to be retried later.
    PostgreSQL: FOR UPDATE SKIP LOCKED lets concurrent senders pass each other's rows. SQLite:
    every transaction is BEGIN IMMEDIATE (bot/db.py), so claims are serialised anyway.
    `per_chat` caps the rows taken per chat: Telegram allows about one message a second per
    chat, so a batch spread over many chats is sent faster than one stuck behind a busy chat.
    """
    due = (col(Outbox.status) == OutboxStatus.pending) & (col(Outbox.next_attempt_at) <= now)
    order = (col(Outbox.urgent).desc(), col(Outbox.created_at), col(Outbox.id))
    # The due condition is on the outer query too: PostgreSQL re-checks it on a row that a
    # concurrent claim updated, so a row claimed meanwhile is never claimed twice.
    stmt = select(Outbox).where(due)
    if per_chat is not None:
        ranked = (
            select(
                col(Outbox.id).label("id"),
                func.row_number().over(partition_by=col(Outbox.chat_id), order_by=order).label("rank"),
            )
            .where(due)
            .subquery()
        )
        stmt = stmt.where(col(Outbox.id).in_(select(ranked.c.id).where(ranked.c.rank <= per_chat)))
    stmt = stmt.order_by(*order).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    rows = list(session.exec(stmt))
    until = now + timedelta(seconds=lease_seconds)
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = until
        session.add(row)
    session.flush()
    return [
        OutboxMessage(
            id=row.id,
            chat_id=row.chat_id,
            person_id=row.person_id,
            text=row.text,
            buttons=[[(str(label), str(data)) for label, data in line] for line in json.loads(row.buttons)]
            if row.buttons
            else [],
            urgent=row.urgent,
            attempts=row.attempts,
            document=row.document,
            protect=row.protect,
            edit_key=row.edit_key,
        )
        for row in rows
    ]


def keys_under(session: Session, prefix: str) -> ColumnElement[bool]:
    """Rows whose key starts with `prefix` (a 传达's copies, an alert's), found by an index as the
    outbox grows: SQLite orders keys bytewise, so the prefix is a range of its key index; on
    PostgreSQL a collation may not, so LIKE uses ix_outbox_key_prefix (varchar_pattern_ops)."""
    if session.get_bind().dialect.name == "sqlite":
        return and_(col(Outbox.key) >= prefix, col(Outbox.key) < prefix[:-1] + chr(ord(prefix[-1]) + 1))
    return col(Outbox.key).startswith(prefix, autoescape=True)


def edit_key_for(key: str, suffix: str) -> str:
    """A unique key for an edit of the row `key` (keys are at most 120 characters)."""
    return f"edit:{suffix}:{key}"[:120]


def edit_target(session: Session, *, message_id: int, now: datetime) -> EditTarget:
    """Resolve the edit row `message_id`. An original still waiting in the outbox takes the new
    text and buttons itself (the person then receives only the final version); one being sent
    right now (leased) is retried shortly, so its message id is known for the edit."""
    edit = session.get(Outbox, message_id)
    original = session.exec(select(Outbox).where(Outbox.key == edit.edit_key)).first() if edit else None
    if edit is None or original is None or original.status == OutboxStatus.dead:
        return EditTarget(chat_id=edit.chat_id if edit else 0, tg_message_id=None, document=False)
    if original.status == OutboxStatus.pending:
        if original.attempts > 0 and original.next_attempt_at > now:  # claimed by a sender
            return EditTarget(chat_id=original.chat_id, tg_message_id=None, document=False, retry=True)
        original.text = edit.text
        original.buttons = edit.buttons
        session.add(original)
        return EditTarget(chat_id=original.chat_id, tg_message_id=None, document=False)
    return EditTarget(
        chat_id=original.chat_id, tg_message_id=original.tg_message_id, document=original.document is not None
    )


def mark_sent(session: Session, *, message_id: int, now: datetime, tg_message_id: int | None = None) -> None:
    """Telegram accepted the message. A person who had blocked the bot evidently unblocked it."""
    row = session.get(Outbox, message_id)
    if row is None:
        return
    row.status = OutboxStatus.sent
    row.sent_at = now
    if tg_message_id is not None:
        row.tg_message_id = tg_message_id
    session.add(row)
    person = _recipient(session, row)
    if person is not None and person.unreachable:
        person.unreachable = False
        session.add(person)


def release(
    session: Session, *, message_id: int, now: datetime, delay_seconds: float = 0.0, error: str | None = None
) -> None:
    """Give a claimed row back without counting the attempt (flood control, shutdown, busy chat)."""
    row = session.get(Outbox, message_id)
    if row is None or row.status != OutboxStatus.pending:
        return
    row.attempts = max(row.attempts - 1, 0)
    row.next_attempt_at = now + timedelta(seconds=delay_seconds)
    if error:
        row.last_error = error[:300]
    session.add(row)


def mark_failed(
    session: Session,
    *,
    message_id: int,
    error: str,
    retry_in_seconds: float,
    now: datetime,
    max_attempts: int = MAX_ATTEMPTS,
) -> OutboxStatus | None:
    """A try failed for a reason that may pass (timeout, network, 5xx): retry later, or give up
    after `max_attempts` tries and tell the admins. Returns the row's status afterwards."""
    row = session.get(Outbox, message_id)
    if row is None:
        return None
    if row.status != OutboxStatus.pending:  # e.g. another sender delivered it after our lease ran out
        return row.status
    row.last_error = error[:300]
    if row.attempts >= max_attempts:
        _bury(session, row, error=error, now=now)
        return row.status
    row.next_attempt_at = now + timedelta(seconds=retry_in_seconds)
    session.add(row)
    return row.status


def mark_dead(session: Session, *, message_id: int, error: str, now: datetime) -> None:
    """A failure that retrying cannot fix (chat not found, malformed text): dead letter + admin alert."""
    row = session.get(Outbox, message_id)
    if row is None or row.status != OutboxStatus.pending:
        return
    row.last_error = error[:300]
    _bury(session, row, error=error, now=now)


def mark_unreachable(
    session: Session, *, message_id: int, now: datetime, error: str = "Forbidden: bot was blocked by the user"
) -> None:
    """The person blocked the bot (or cannot receive from it): the row is dead, the person is
    flagged unreachable, and the admins are asked to phone them, with what was not delivered."""
    row = session.get(Outbox, message_id)
    if row is None or row.status != OutboxStatus.pending:
        return
    row.status = OutboxStatus.dead
    row.last_error = error[:300]
    session.add(row)
    person = _recipient(session, row)
    if person is not None:
        person.unreachable = True
        session.add(person)
    session.flush()
    if "blocked" in error.lower():
        text = notify.outbox.blocked(**_who(person, row.chat_id), text=row.text)
    else:
        text = notify.outbox.unreachable(**_who(person, row.chat_id), error=error, text=row.text)
    # One alert per person per local day: five messages queued to someone who blocked the bot
    # are one phone call, not five alerts.
    who = f"p{person.id}" if person is not None else f"c{row.chat_id}"
    _alert_admins(session, row=row, kind="unreachable", text=text, now=now,
                  subject=f"{who}:{now.astimezone(CENTER_TZ).date().isoformat()}")


# --- helpers ------------------------------------------------------------------------------------


def _bury(session: Session, row: Outbox, *, error: str, now: datetime) -> None:
    row.status = OutboxStatus.dead
    session.add(row)
    session.flush()
    text = notify.outbox.dead(attempts=row.attempts, **_who(_recipient(session, row), row.chat_id), error=error,
                              text=row.text)
    _alert_admins(session, row=row, kind="dead", text=text, now=now)


# The night's clearing goes in short batches with a pause between them: on SQLite a batch holds the one
# write lock, and a unit of work that waited for it retries only every few tens of ms (its busy
# handler), so back-to-back batches would keep the bot's own writes waiting for the whole drain.
FORGET_BATCH = 500
FORGET_PAUSE_SECONDS = 0.1
FORGET_MARK = "outbox_texts_cleared_to"  # Setting: every row up to this id is done with


@dataclass(frozen=True)
class Forgotten:
    rows: int  # texts cleared by this batch
    more: bool  # the next batch has rows to look at


def forget_texts(session: Session, *, before: datetime, limit: int = FORGET_BATCH) -> Forgotten:
    """Clear the text of delivered (or given-up) messages queued before `before`: a notification
    carries names, phone numbers and what was reported, and the case record keeps all of it anyway.
    What stays is who got what kind of message when (key, chat, status, times) and the Telegram
    message id, so later edits still find their message and a key is never queued twice.

    A batch reads the next `limit` rows up the primary key from where the last one stopped (a mark in
    `setting`), so its cost does not grow with the table and no night reads a row twice. Rows are
    queued in time order: the first one queued after `before`, or still waiting to go, ends tonight's
    work, and the mark never passes it."""
    mark = session.get(Setting, FORGET_MARK)
    done_to = int(mark.value) if mark else 0
    has_text = (col(Outbox.text) != "").label("has_text")
    rows = list(session.exec(
        select(Outbox.id, Outbox.status, Outbox.created_at, has_text)
        .where(col(Outbox.id) > done_to).order_by(col(Outbox.id)).limit(limit)
    ))
    ids, more = [], len(rows) == limit
    for row_id, status, created_at, text in rows:
        if created_at >= before or status == OutboxStatus.pending:
            more = False
            break
        if text:
            ids.append(row_id)
        done_to = row_id
    if ids:
        session.execute(update(Outbox).where(col(Outbox.id).in_(ids)).values(text=""))
    session.merge(Setting(key=FORGET_MARK, value=str(done_to)))
    return Forgotten(rows=len(ids), more=more)


def _alert_admins(
    session: Session, *, row: Outbox, kind: str, text: str, now: datetime, subject: str | None = None
) -> int:
    """Queue one alert per reachable admin about `subject` (default: this row); the key makes a
    repeated call harmless."""
    if row.key.startswith(ALERT_KEY_PREFIX):
        # An alert that cannot be delivered is not alerted about again (that could loop forever).
        log.error("undeliverable admin alert %s to %s: %s", row.id, row.chat_id, row.last_error)
        return 0
    stmt = (
        select(Person.id, Person.telegram_id)
        .join(PersonRole, col(PersonRole.person_id) == col(Person.id))
        .where(
            col(PersonRole.role) == Role.admin,
            col(Person.active),
            col(Person.telegram_id).is_not(None),
            col(Person.unreachable).is_(False),
        )
        .distinct()
    )
    admins = list(session.exec(stmt))
    if not admins:
        log.error("outbox message %s is %s and no admin can be told: %s", row.id, kind, row.last_error)
    for person_id, chat_id in admins:
        enqueue(
            session, chat_id=chat_id, person_id=person_id, text=text, urgent=True, now=now,
            key=f"{ALERT_KEY_PREFIX}{kind}:{subject or row.id}:{chat_id}",
        )
    return len(admins)


def _recipient(session: Session, row: Outbox) -> Person | None:
    if row.person_id is not None:
        return session.get(Person, row.person_id)
    return session.exec(select(Person).where(col(Person.telegram_id) == row.chat_id)).first()


def _who(person: Person | None, chat_id: int) -> dict:
    """Whom the alert names: the person (None: nobody known for the chat)."""
    return {"name": person.name if person else None, "phone": person.phone if person else None, "chat_id": chat_id}
