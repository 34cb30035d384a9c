"""Documents the outbox delivers by reference (Outbox.document), e.g. "notice:12".

The file is made when it is first sent, not when the row is queued, so the row stays small and a
crash between the two loses nothing. Once Telegram has it, its file id is remembered and later
sends reuse it instead of uploading again.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.services import notice_docx, supervision
from bot.services.errors import NotFound


@dataclass(frozen=True)
class Document:
    file_name: str
    file_id: str | None = None  # already on Telegram
    data: bytes | None = None  # to upload


def _notice_id(ref: str) -> int:
    kind, _, ident = ref.partition(":")
    if kind != "notice" or not ident.isdigit():
        raise NotFound(f"未知的文件：{ref}")
    return int(ident)


def resolve(session: Session, *, ref: str, now: datetime, tz: ZoneInfo,
            style: supervision.NoticeStyle = supervision.DEFAULT_STYLE) -> Document:
    view = supervision.document_view(session, notice_id=_notice_id(ref), now=now, tz=tz)
    name = f"督办通知书{view.number}.docx"
    if view.docx_file_id:
        return Document(file_name=name, file_id=view.docx_file_id)
    return Document(file_name=name, data=notice_docx.build_docx(view, style))


def remember(session: Session, *, ref: str, file_id: str) -> None:
    supervision.remember_docx(session, notice_id=_notice_id(ref), file_id=file_id)
