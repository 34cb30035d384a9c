"""Notice numbers: 综治〔2026〕12号, the style they are written in, and reading one back."""

import re
import unicodedata
from dataclasses import dataclass

from bot.services.errors import InvalidInput

# --- numbers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeStyle:
    """How the center's notices are numbered and headed (settings NOTICE_ISSUER_*, GB/T 9704)."""

    org: str = "综治中心"  # 发文机关 full name: the red header and the signature
    code: str = "综治"  # 机关代字, the head of the number: 综治〔2026〕12号
    legacy_number: bool = False  # keep the old form 〔2026〕第012号 for new numbers

    @classmethod
    def from_settings(cls, settings) -> "NoticeStyle":
        return cls(org=settings.notice_issuer_org, code=settings.notice_issuer_code,
                   legacy_number=settings.notice_number_legacy)


DEFAULT_STYLE = NoticeStyle()


def format_number(year: int, seq: int, style: NoticeStyle = DEFAULT_STYLE) -> str:
    """GB/T 9704 发文字号: 机关代字〔年份〕序号号, no 第 and no zero padding (or the old form by setting)."""
    if style.legacy_number:
        return f"〔{year}〕第{seq:03d}号"
    return f"{style.code}〔{year}〕{seq}号"


# The year in brackets (〔〕[]() after NFKC), or followed by - / 年; then 第, the sequence and 号.
_NUMBER_RE = re.compile(r"(?:^|\D)(\d{4})\s*(?:[〔\[(]\s*)?(?:[〕\])]|[-/_.年—－])\s*第?\s*(\d{1,4})\s*号?\s*$")
_BARE_RE = re.compile(r"^\D*[〔\[(]\s*(\d{4})\s*[〕\])]\s*第?\s*(\d{1,4})\s*号?\s*$")


def parse_number(text: str) -> tuple[int, int]:
    """Both forms, with or without the 机关代字: 综治〔2026〕12号, 〔2026〕第012号, [2026]12, 2026-12,
    2026年第12号 → (2026, 12). A notice is found by year and sequence, whatever its stored form."""
    typed = unicodedata.normalize("NFKC", text or "").strip()
    match = _BARE_RE.match(typed) or _NUMBER_RE.search(typed)
    if match is None or not 1 <= int(match.group(2)) <= 9999:
        raise InvalidInput("督办通知书编号不对，应形如 综治〔2026〕12号（也可写 2026-12）。")
    return int(match.group(1)), int(match.group(2))
