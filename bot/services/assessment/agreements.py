"""目标管理责任书: the year's agreement goes to every head of a unit or village as a .docx (through the
outbox, protected), each confirms it (签订) by button, and the center sees who has not and chases them.
The sweep reminds a head who has not signed N working days after it was sent (once), and N working days
after that reminder tells the center (the director and the admins) who is still missing — N is
ASSESSMENT_SIGN_REMIND_DAYS, local policy. The moments are stored on the row: restart-safe, never twice."""

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from docx.enum.text import WD_ALIGN_PARAGRAPH
from sqlmodel import Session, col, select

from bot.callbacks import ScoreAgreements, ScoreSign
from bot.services import audit, outbox, work_plans
from bot.services.assessment import catalogue
from bot.services.assessment.measures import Subject
from bot.services.assessment.scoring import MANAGERS, heads, require, subject_name, subjects
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import NotAllowed, NotFound
from bot.services.notice_docx import (
    HEADING_FONT,
    INDENT,
    TITLE_FONT,
    TITLE_SIZE,
    gbt9704_document,
    paragraph,
    plain,
)
from bot.services.recipients import with_role
from bot.texts import assessment as t
from models import ItemKind, Person, SubjectKind, TargetAgreement

REF_PREFIX = "agreement"


def _subject(row: TargetAgreement) -> Subject:
    return (Subject(SubjectKind.unit, row.unit_id) if row.unit_id is not None
            else Subject(SubjectKind.village, row.village_id))


def send(session: Session, *, actor_id: int, year: int, now: datetime, commend_score) -> int:
    """The 责任书 to every head not sent one yet this year; how many went out."""
    require(session, actor_id, MANAGERS)
    catalogue.ensure(session, year=year)
    sent = 0
    for subject, _name in subjects(session):
        for person in heads(session, subject):
            exists = session.exec(select(TargetAgreement.id).where(TargetAgreement.year == year,
                                                                   TargetAgreement.person_id == person.id)).first()
            if exists is not None:
                continue
            row = TargetAgreement(year=year, person_id=person.id, sent_at=now, commend_score=Decimal(str(commend_score)),
                                  unit_id=subject.id if subject.kind == SubjectKind.unit else None,
                                  village_id=subject.id if subject.kind == SubjectKind.village else None)
            session.add(row)
            session.flush()
            sent += 1
            if person.telegram_id is not None:
                outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, now=now,
                               key=f"assess:agreement{row.id}", new_key=True, protect=True,
                               document=f"{REF_PREFIX}:{row.id}",
                               text=t.AGREEMENT_CAPTION.format(year=year), buttons=sign_buttons(row.id))
    audit.record(session, actor_id=actor_id, action="assessment.agreements_sent", subject_type="assessment_year",
                 subject_id=year, now=now, sent=sent)
    return sent


def agreement_of(session: Session, *, person_id: int, year: int) -> int | None:
    """The id of the 责任书 sent to the person for the year, if any."""
    return session.exec(select(TargetAgreement.id).where(TargetAgreement.year == year,
                                                         TargetAgreement.person_id == person_id)).first()


def sign_buttons(agreement_id: int):
    return [[(t.BUTTON_SIGN, ScoreSign(agreement_id).pack())]]


def sign(session: Session, *, actor_id: int, agreement_id: int, now: datetime) -> bool:
    """签订: True the first time; only the person it was sent to."""
    row = session.get(TargetAgreement, agreement_id)
    if row is None:
        raise NotFound(t.STALE)
    if row.person_id != actor_id:
        raise NotAllowed(t.NOT_YOUR_AGREEMENT)
    if row.signed_at is not None:
        return False
    row.signed_at = now
    session.add(row)
    audit.record(session, actor_id=actor_id, action="assessment.agreement_signed", subject_type="target_agreement",
                 subject_id=row.id, now=now)
    return True


@dataclass(frozen=True)
class SignStatus:
    year: int
    signed: list[str]  # 镇司法所 司法所老李
    unsigned: list[str]
    not_sent: list[str]  # units and villages without a registered head


def status(session: Session, *, actor_id: int, year: int) -> SignStatus:
    require(session, actor_id, MANAGERS)
    rows = session.exec(select(TargetAgreement, Person).join(Person, Person.id == TargetAgreement.person_id)
                        .where(TargetAgreement.year == year).order_by(col(TargetAgreement.id))).all()
    signed, unsigned = [], []
    for row, person in rows:
        who = f"{subject_name(session, _subject(row))} {person.name}"
        (signed if row.signed_at else unsigned).append(who)
    not_sent = [name for subject, name in subjects(session) if not heads(session, subject)]
    return SignStatus(year, signed, unsigned, not_sent)


def chase(session: Session, *, actor_id: int, year: int, now: datetime) -> int:
    """Remind everyone who has not signed (at most once a minute per person: a double press sends nothing more)."""
    require(session, actor_id, MANAGERS)
    rows = session.exec(select(TargetAgreement, Person).join(Person, Person.id == TargetAgreement.person_id)
                        .where(TargetAgreement.year == year, col(TargetAgreement.signed_at).is_(None))).all()
    sent = 0
    for row, person in rows:
        row.chased_at = now
        session.add(row)
        if person.active and person.telegram_id is not None:
            sent += outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, now=now,
                                   key=f"assess:agreement{row.id}:chase:{now:%Y%m%d%H%M}",
                                   text=t.AGREEMENT_CHASE.format(year=year), buttons=sign_buttons(row.id))
    return sent


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy, days: int) -> int:
    """The scheduled 签订 reminder, in working hours: the head once when `days` working days have passed
    since the 责任书 was sent (the end of that working day), then the center once per batch of heads still
    unsigned `days` working days after their reminder. Returns the messages queued."""
    cal = policy.calendar(session)
    if not cal.is_working_time(now):
        return 0
    rows = session.exec(select(TargetAgreement, Person).join(Person, Person.id == TargetAgreement.person_id)
                        .where(col(TargetAgreement.signed_at).is_(None),
                               col(TargetAgreement.center_told_at).is_(None))
                        .order_by(col(TargetAgreement.id))).all()
    sent = 0
    missing: dict[int, list[str]] = {}
    for row, person in rows:
        if row.reminded_at is None:
            if cal.add_working_days(row.sent_at, days).at > now:
                continue
            row.reminded_at = now
            session.add(row)
            if person.active and person.telegram_id is not None:
                sent += outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, now=now,
                                       key=f"assess:agreement{row.id}:remind", new_key=True,
                                       text=t.AGREEMENT_REMIND.format(year=row.year, days=days),
                                       buttons=sign_buttons(row.id))
        elif cal.add_working_days(row.reminded_at, days).at <= now:
            row.center_told_at = now
            session.add(row)
            missing.setdefault(row.year, []).append(f"{subject_name(session, _subject(row))} {person.name}")
    if missing:
        managers = {p.id: p for role in MANAGERS for p in with_role(session, role)}
        for year, names in missing.items():
            for boss in managers.values():
                if boss.telegram_id is not None:
                    sent += outbox.enqueue(
                        session, chat_id=boss.telegram_id, person_id=boss.id, now=now,
                        key=f"assess:agreements{year}:told:{now:%Y%m%d%H%M%S}:p{boss.id}",
                        text=t.agreements_missing(year=year, names=names),
                        buttons=[[(t.BUTTON_AGREEMENTS_STATUS, ScoreAgreements(year).pack())]])
    return sent


# --- the document --------------------------------------------------------------------------------------


def from_ref(ref: str | None) -> int | None:
    kind, _, ident = (ref or "").partition(":")
    return int(ident) if kind == REF_PREFIX and ident.isdigit() else None


def document(session: Session, *, agreement_id: int, org: str, tz: ZoneInfo) -> tuple[str, bytes]:
    row = session.get(TargetAgreement, agreement_id)
    if row is None:
        raise NotFound(t.STALE)
    name = subject_name(session, _subject(row))
    items = catalogue.ensure(session, year=row.year)
    signed = row.signed_at.astimezone(tz).date() if row.signed_at else None
    data = build_docx(year=row.year, org=org, party=name, items=[(i.seq, i.name, catalogue.num(i.points),
                                                                  catalogue.rule_text(i), i.standard,
                                                                  ItemKind(i.kind)) for i in items],
                      commend=catalogue.num(row.commend_score), signed_on=t.cn_date(signed) if signed else None,
                      tasks=work_plans.year_tasks(session, year=row.year, unit_id=row.unit_id, village_id=row.village_id))
    return t.AGREEMENT_FILE.format(year=row.year, name=name), data


def build_docx(*, year: int, org: str, party: str, items: list[tuple], commend: str, signed_on: str | None,
               tasks: list[str] = ()) -> bytes:
    """The 责任书 in the layout of notice_docx (GB/T 9704-like): title, the parties, 一、目标任务 (the
    catalogue, then the party's tasks in the year's 综治工作计划), 二、考核办法, 三、奖惩, then both
    parties' signatures."""
    doc = gbt9704_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(doc, t.AGREEMENT_TITLE.format(year=year), align=center, font=TITLE_FONT, size=TITLE_SIZE, exact=False)
    paragraph(doc)
    paragraph(doc, t.AGREEMENT_PARTY_A.format(org=plain(org)))
    paragraph(doc, t.AGREEMENT_PARTY_B.format(name=plain(party)))
    paragraph(doc, t.AGREEMENT_INTRO.format(year=year), indent=INDENT)
    paragraph(doc, t.AGREEMENT_H1, font=HEADING_FONT, indent=INDENT).paragraph_format.keep_with_next = True
    for seq, name, points, rule, standard, kind in items:
        head = t.AGREEMENT_ITEM_VETO if kind == ItemKind.veto else t.AGREEMENT_ITEM
        paragraph(doc, head.format(seq=seq, name=plain(name), points=points, rule=rule), indent=INDENT)
        if standard:
            paragraph(doc, plain(standard), indent=INDENT)
    if tasks:
        paragraph(doc, t.AGREEMENT_TASKS.format(year=year), indent=INDENT)
        for n, task in enumerate(tasks, start=1):
            paragraph(doc, t.AGREEMENT_TASK.format(n=n, text=plain(task)), indent=INDENT)
    paragraph(doc, t.AGREEMENT_H2, font=HEADING_FONT, indent=INDENT).paragraph_format.keep_with_next = True
    for line in t.AGREEMENT_METHOD:
        paragraph(doc, line, indent=INDENT)
    paragraph(doc, t.AGREEMENT_H3, font=HEADING_FONT, indent=INDENT).paragraph_format.keep_with_next = True
    for line in t.AGREEMENT_REWARDS:
        paragraph(doc, line.format(commend=commend), indent=INDENT)
    paragraph(doc)
    paragraph(doc, t.AGREEMENT_SIGN_A.format(org=plain(org)))
    paragraph(doc, t.AGREEMENT_SIGN_B.format(name=plain(party), signed=signed_on or t.DOCX_BLANK))
    doc.core_properties.title = t.AGREEMENT_TITLE.format(year=year)
    doc.core_properties.language = "zh-CN"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
