"""Documents the outbox delivers by reference (Outbox.document), e.g. "notice:12" or a ledger's
"ledger:…" (bot/services/ledgers: built afresh for every send, never cached by file id).

The file is made when it is first sent, not when the row is queued, so the row stays small and a
crash between the two loses nothing. Once Telegram has it, its file id is remembered and later
sends reuse it instead of uploading again.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.services import (
    announcements,
    assignments,
    ledgers,
    month_pack,
    notice_docx,
    report_docx,
    supervision,
)
from bot.services.assessment import agreements as target_agreements
from bot.services.errors import NotFound


@dataclass(frozen=True)
class Document:
    file_name: str
    file_id: str | None = None  # already on Telegram
    data: bytes | None = None  # to upload
    photo: bool = False  # a photo's file id (a 传达's picture) is sent as a photo


def _notice_id(ref: str) -> int:
    kind, _, ident = ref.partition(":")
    if kind != "notice" or not ident.isdigit():
        raise NotFound(f"未知的文件：{ref}")
    return int(ident)


def resolve(session: Session, *, ref: str, now: datetime, tz: ZoneInfo,
            style: supervision.NoticeStyle = supervision.DEFAULT_STYLE) -> Document:
    if (announced := announcements.from_ref(ref)) is not None:  # a 传达's file, kept by its file id
        file_id, kind, name = announcements.file_of(session, announced)
        return Document(file_name=name, file_id=file_id, photo=kind == "photo")
    if (agreement := target_agreements.from_ref(ref)) is not None:  # 目标管理责任书 (issue 17): built afresh
        name, data = target_agreements.document(session, agreement_id=agreement, org=style.org, tz=tz)
        return Document(file_name=name, data=data)
    if (ledger := ledgers.from_ref(ref)) is not None:
        return _ledger(session, ledger, now=now, tz=tz, org=style.org)
    if (report := assignments.parse_ref(ref)) is not None:  # 办理情况报告: the card's visibility, when sent
        view = assignments.report_view(session, viewer_id=report[1], case_id=report[0], now=now, tz=tz, org=style.org)
        return Document(file_name=f"办理情况报告{view.number}.docx", data=report_docx.build_docx(view))
    if (made := month_pack.stats_document(session, ref=ref, now=now, tz=tz)) is not None:
        return Document(file_name=made.file_name, data=made.data)
    view = supervision.document_view(session, notice_id=_notice_id(ref), now=now, tz=tz)
    name = f"督办通知书{view.number}.docx"
    if view.docx_file_id:
        return Document(file_name=name, file_id=view.docx_file_id)
    return Document(file_name=name, data=notice_docx.build_docx(view, style))


def _ledger(session: Session, ledger, *, now: datetime, tz: ZoneInfo, org: str) -> Document:
    kind, period, viewer_id, scope = ledger
    made = ledgers.build(session, kind=kind, period=period, viewer_id=viewer_id, now=now, tz=tz, scope=scope, org=org)
    try:
        return Document(file_name=made.file_name, data=made.path.read_bytes())
    finally:
        made.path.unlink(missing_ok=True)


def remember(session: Session, *, ref: str, file_id: str) -> None:
    if announcements.from_ref(ref) is not None:
        return  # sent by the file id it came with
    if (ledgers.from_ref(ref) is not None or ref.startswith(f"{month_pack.REF_PREFIX}:")
            or assignments.parse_ref(ref) is not None or target_agreements.from_ref(ref) is not None):
        return  # ledgers, figures, reports back and 责任书 show the data as it is when sent: built afresh
    supervision.remember_docx(session, notice_id=_notice_id(ref), file_id=file_id)
