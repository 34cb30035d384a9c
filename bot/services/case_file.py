"""The electronic case file (一案一档): one .zip per case with the case form (登记表 / 调处记录 /
办结报告 and the history, .docx), every attachment fetched from Telegram by its file id, and the case's
督办通知书 and 领导包案审批表.

It is asked for from the case card (「一案一档」) and made automatically at 归档. Both queue an outbox
row whose document is `casefile:<case>:<person>`; the sender (bot/sender.py) calls `plan` (database),
downloads the attachments (the Bot API's getFile, which is not a service's business), calls `pack`
(no database, no network) and sends the parts, then `remember`s their file ids. A file already kept
for the same content and the same view is sent again by its file ids, without building anything.

The file shows exactly what the case card shows this person (case_card.case_card): the same
visibility (reporters of a confidential case they may not see get nothing), parties masked unless
their rights show them, 督办通知书 only to those who may see them. It goes only to the person's private
chat, always with protect_content, and each request is audited.

Telegram bots may upload at most 50 MB per file: a bigger file is split into numbered .zip parts,
each a complete archive that opens on its own (the case form is in the first); a single attachment
is at most 20 MB (the most a bot may download), so every part fits.
"""

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from bot import texts
from bot.services import audit, case_card, cases, notice_docx, outbox, people, supervision
from bot.services.case_access import load_case, person_name, sees_personal_data
from bot.services.case_file_docx import build_baoan_form, build_case_form
from bot.services.deadlines import CENTER_TZ, DeadlinePolicy, met
from bot.services.errors import NotAllowed, NotFound
from bot.texts import case_file as words
from models import (
    Attachment,
    AuditEvent,
    BaoanRequest,
    Case,
    CaseFile,
    CaseStatus,
    Person,
    Severity,
    Source,
    SupervisionNotice,
)

UPLOAD_LIMIT = 50 * 1000 * 1000  # Telegram's upload limit for bots (50 MB)
PART_LIMIT = UPLOAD_LIMIT - 2 * 1000 * 1000  # room for the zip's directory and the case form
DOWNLOAD_LIMIT = 20 * 1000 * 1000  # the largest file a bot may download (getFile)
REF = "casefile"
may_have_file = case_card.may_have_file  # the card shows the button by the same rule
UNLISTED = case_card.UNLISTED  # views are audited but do not change what the file holds


# --- the plan: everything the file holds, read in one transaction ---------------------------------


@dataclass(frozen=True)
class AttachmentRow:
    file_id: str
    kind: str
    kind_label: str
    name: str  # the name inside the zip's 附件 folder
    sender: str
    at: datetime
    size: int | None
    included: bool = True


@dataclass(frozen=True)
class BaoanRow:
    at: datetime
    proposer: str
    leader: str
    reason: str
    decision: str
    decided_at: datetime | None


@dataclass(frozen=True)
class CaseRecord:
    """The case card as this person sees it, and what the form needs beyond the card."""

    card: case_card.CaseCard
    viewer: str
    built_at: datetime
    source: str
    severity: str
    status: str
    people: str
    accepted_at: datetime | None
    resolved_at: datetime | None
    due_at: datetime | None
    due_provisional: bool
    met: str
    joint_notice: str
    notices: tuple[str, ...]
    baoan_requests: tuple[BaoanRow, ...]


@dataclass(frozen=True)
class CaseFilePlan:
    case_id: int
    number: str
    archived: bool
    fingerprint: str
    kept: tuple[str, ...] = ()  # file ids of a file already built for this content and view
    record: CaseRecord | None = None
    attachments: tuple[AttachmentRow, ...] = ()
    documents: tuple[tuple[str, bytes], ...] = ()  # 督办通知书 and 包案审批表 (.docx)
    org: str = ""
    tz: ZoneInfo = CENTER_TZ


@dataclass(frozen=True)
class Part:
    name: str
    data: bytes | None = None  # the .zip in memory, or …
    path: Path | None = None  # … on disk (with `workdir`: a big case is never held in memory)

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else self.path.stat().st_size


def parse_ref(ref: str) -> tuple[int, int]:
    """"casefile:12:5" → (case id, person id)."""
    kind, _, rest = ref.partition(":")
    case_id, _, person_id = rest.partition(":")
    if kind != REF or not case_id.isdigit() or not person_id.isdigit():
        raise NotFound(f"未知的文件：{ref}")
    return int(case_id), int(person_id)


def is_ref(ref: str | None) -> bool:
    return bool(ref) and ref.startswith(REF + ":")


def _fingerprint(session: Session, case: Case, viewer: people.PersonView, notices: list[SupervisionNotice]) -> str:
    """What the file is built from: the case's last event (views and exports aside), its files,
    notices and 包案 requests, and what this viewer may see of them."""
    last_event = session.exec(select(func.max(AuditEvent.id)).where(
        AuditEvent.subject_type == "case", AuditEvent.subject_id == case.id,
        col(AuditEvent.action).not_in(list(UNLISTED)))).one()
    files = list(session.exec(select(Attachment.id).where(Attachment.case_id == case.id).order_by(col(Attachment.id))))
    requests = [(r.id, r.status) for r in session.exec(select(BaoanRequest).where(BaoanRequest.case_id == case.id)
                                                       .order_by(col(BaoanRequest.id)))]
    shown = [(n.id, n.status, n.level) for n in notices if supervision.may_see(viewer, n)]
    view = ("p" if sees_personal_data(viewer, case) else "m", tuple(shown))
    source = repr((case.id, case.updated_at.isoformat(), last_event, files, requests, view))
    return hashlib.sha256(source.encode()).hexdigest()


def _attachment_name(index: int, a: Attachment) -> str:
    ext = {"photo": ".jpg", "voice": ".ogg", "video": ".mp4", "audio": ".mp3"}.get(a.kind, "")
    name = (a.file_name or f"{words.KIND_LABELS.get(a.kind, a.kind)}{ext}").replace("/", "_").replace("\\", "_")
    return f"{index:02d}_{name}"


def plan(session: Session, *, viewer_id: int, case_id: int, now: datetime, policy: DeadlinePolicy | None = None,
         style: supervision.NoticeStyle = supervision.DEFAULT_STYLE, rebuild: bool = False) -> CaseFilePlan:
    """What to send this person: the kept file's ids, or everything needed to build it (always with
    `rebuild`: Telegram no longer knows the kept ids). NotAllowed if they may not have it (checked
    again at send time: the case may have become confidential)."""
    policy = policy or DeadlinePolicy()
    viewer = people.get(session, person_id=viewer_id)
    case = load_case(session, case_id)
    if not may_have_file(viewer, case):
        raise NotAllowed(words.NOT_ALLOWED)
    notices = list(session.exec(select(SupervisionNotice).where(SupervisionNotice.case_id == case.id)
                                .order_by(col(SupervisionNotice.id))))
    fingerprint = _fingerprint(session, case, viewer, notices)
    archived = CaseStatus(case.status) == CaseStatus.archived
    kept = session.exec(select(CaseFile).where(CaseFile.fingerprint == fingerprint)).first()
    if kept is not None and kept.file_ids and not rebuild:
        return CaseFilePlan(case_id=case.id, number=case.number, archived=archived, fingerprint=fingerprint,
                            kept=tuple(kept.file_ids))
    card = case_card.case_card(session, viewer_id=viewer_id, case_id=case_id, now=now, policy=policy)
    tz = policy.tz
    attachments = tuple(
        AttachmentRow(file_id=a.file_id, kind=a.kind, kind_label=words.KIND_LABELS.get(a.kind, a.kind),
                      name=_attachment_name(i, a), sender=person_name(session, a.sender_id), at=a.at, size=a.size)
        for i, a in enumerate(session.exec(select(Attachment).where(Attachment.case_id == case.id)
                                           .order_by(col(Attachment.id))), start=1)
    )
    visible = [n for n in notices if supervision.may_see(viewer, n)]
    notice_lines = tuple(
        words.NOTICE_LINE.format(number=n.number, level=texts.SV_LEVEL_LABELS[n.level],
                                 unit=supervision.addressee_name(session, n),
                                 status=texts.SV_STATUS_LABELS[n.status])
        for n in visible
    ) + ((words.NOTICE_LINE.format(number=f"另有 {len(notices) - len(visible)} 份", level="—", unit="—",
                                   status="无权查看"),) if len(notices) > len(visible) else ())
    requests = tuple(
        BaoanRow(at=r.created_at, proposer=person_name(session, r.proposer_id),
                 leader=person_name(session, r.chosen_leader_id or r.proposed_leader_id), reason=r.reason,
                 decision=words.BAOAN_DECISIONS.get(r.status, r.status) + (f"：{r.refusal_reason}" if r.refusal_reason else ""),
                 decided_at=r.decided_at)
        for r in session.exec(select(BaoanRequest).where(BaoanRequest.case_id == case.id).order_by(col(BaoanRequest.id)))
    )
    cal = policy.calendar(session)
    record = CaseRecord(
        card=card, viewer=viewer.name, built_at=now, source=texts.SOURCE_LABELS[Source(case.source)],
        severity=texts.SEVERITY_LABELS[Severity(case.severity)], status=texts.STATUS_LABELS[CaseStatus(case.status)],
        people=texts.people_count_label(case.people_count, case.people_count_approx) if case.people_count else "",
        accepted_at=case.accepted_at, resolved_at=case.resolved_at, due_at=case.due_at,
        due_provisional=case.due_provisional,
        met=met(case.due_at, case.resolved_at, cal) if case.due_at and case.resolved_at else "",
        joint_notice=case.joint_notice or "", notices=notice_lines, baoan_requests=requests,
    )
    documents = [(words.NOTICE_NAME.format(number=n.number),
                  notice_docx.build_docx(supervision.document_view(session, notice_id=n.id, now=now, tz=tz), style))
                 for n in visible]
    if requests or case.leader_id is not None:
        documents.append((words.BAOAN_NAME.format(number=case.number), build_baoan_form(record, tz=tz, org=style.org)))
    return CaseFilePlan(case_id=case.id, number=case.number, archived=archived, fingerprint=fingerprint,
                        record=record, attachments=attachments, documents=tuple(documents), org=style.org, tz=tz)


# --- the zip: no database, no network ---------------------------------------------------------


@dataclass
class _Bundle:
    entries: list[tuple[str, bytes]] = field(default_factory=list)
    size: int = 0


Fetched = bytes | Path | None  # an attachment's bytes, or the file it was downloaded to, or None (not given)


def _size(source: Fetched) -> int:
    return len(source) if isinstance(source, bytes) else Path(source).stat().st_size


def pack(built: CaseFilePlan, fetched: dict[str, Fetched], *, limit: int | None = None,
         workdir: Path | None = None) -> list[Part]:
    """The .zip part(s). `fetched` maps an attachment's file id to its bytes or the file it was
    downloaded to, or None when it could not be downloaded (listed as missing, with the reason).
    Parts are filled in order; each is a complete archive, the case form and documents in the
    first. With `workdir` the parts are written there, so memory holds one attachment at a time."""
    limit = PART_LIMIT if limit is None else limit
    record = built.record
    rows = [replace(a, included=fetched.get(a.file_id) is not None) for a in built.attachments]
    form = build_case_form(record, tz=built.tz, attachments=rows, org=built.org)
    first = [(words.FORM_NAME.format(number=built.number), form), *built.documents]
    bundles = [_Bundle(entries=list(first), size=sum(len(d) for _, d in first))]
    missing = []
    for i, a in enumerate(rows, start=1):
        source = fetched.get(a.file_id)
        if source is None:
            too_big = a.size is not None and a.size > DOWNLOAD_LIMIT
            missing.append(words.MISSING_LINE.format(i=i, name=a.name, kind=a.kind_label, sender=a.sender,
                                                     reason=words.MISSING_TOO_BIG if too_big else words.MISSING_GONE))
            continue
        size = _size(source)
        if bundles[-1].size + size > limit and bundles[-1].entries:
            bundles.append(_Bundle())
        bundles[-1].entries.append((f"{words.ATTACHMENT_DIR}/{a.name}", source))
        bundles[-1].size += size
    if missing:
        bundles[0].entries.append((words.MISSING_NAME, "\n".join(missing).encode("utf-8")))
    parts = []
    for n, bundle in enumerate(bundles, start=1):
        name = words.zip_name(built.number, n, len(bundles))
        target = io.BytesIO() if workdir is None else Path(workdir) / f"part{n}.zip"
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for entry, source in bundle.entries:
                if isinstance(source, bytes):
                    archive.writestr(entry, source)
                else:
                    archive.write(source, entry)
        parts.append(Part(name=name, data=target.getvalue()) if workdir is None else Part(name=name, path=target))
    return parts


def remember(session: Session, *, case_id: int, fingerprint: str, file_ids: list[str], size: int,
             now: datetime) -> None:
    """Keep the sent parts' file ids: the same file for the same content and view is not built again."""
    row = session.exec(select(CaseFile).where(CaseFile.fingerprint == fingerprint)).first()
    if row is None:
        row = CaseFile(case_id=case_id, fingerprint=fingerprint, built_at=now)
    row.file_ids, row.size, row.built_at = list(file_ids), size, now
    session.add(row)


def kept_files(session: Session, *, case_id: int) -> list[CaseFile]:
    return list(session.exec(select(CaseFile).where(CaseFile.case_id == case_id).order_by(col(CaseFile.id))))


# --- asking for it ------------------------------------------------------------------------------


def request(session: Session, *, viewer_id: int, case_id: int, now: datetime, archived: bool = False) -> str:
    """Queue the case file to the person's private chat (protected); returns the case number.
    NotAllowed for someone who may not have it (a forged or stale button)."""
    viewer = people.get(session, person_id=viewer_id)
    case = load_case(session, case_id)
    if not may_have_file(viewer, case):
        raise NotAllowed(words.NOT_ALLOWED)
    person = session.get(Person, viewer_id)
    if person is None or person.telegram_id is None:
        raise NotAllowed(words.NOT_ALLOWED)
    audit.record(session, actor_id=viewer_id, action="case_file.requested", subject_type="case_file",
                 subject_id=case.id, now=now, archived=archived)
    outbox.enqueue(session, chat_id=person.telegram_id, person_id=viewer_id, protect=True,
                   text=words.caption(case.number, archived=archived), document=f"{REF}:{case.id}:{viewer_id}",
                   key=f"casefile:{case.id}:p{viewer_id}:{uuid.uuid4().hex}", now=now)  # each press is a request
    return case.number


def archive(session: Session, *, actor_id: int, case_id: int, now: datetime) -> cases.CaseRef:
    """归档, and the case file to the person who archived it, in the same unit of work: the archive
    is not complete without its file (一案一档)."""
    ref = cases.archive(session, actor_id=actor_id, case_id=case_id, now=now)
    request(session, viewer_id=actor_id, case_id=case_id, now=now, archived=True)
    return ref
