"""Personal data of parties: validation (ID check digit, phones) and masking for display."""

import re
from datetime import date

from bot.services.errors import InvalidInput

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def validate_id_number(value: str) -> str:
    """A mainland resident ID (GB 11643): 18 characters, a real birth date, the right check digit."""
    v = value.strip().upper().replace(" ", "")
    if not re.fullmatch(r"\d{17}[\dX]", v):
        raise InvalidInput("身份证号应为 18 位（最后一位可以是 X），请核对后重新输入。")
    try:
        date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        raise InvalidInput("身份证号中的出生日期不对，请核对后重新输入。") from None
    check = ID_CHECK[sum(int(d) * w for d, w in zip(v[:17], ID_WEIGHTS, strict=True)) % 11]
    if v[17] != check:
        raise InvalidInput("身份证号校验位不对，请核对后重新输入。")
    return v


MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
PHONE_MESSAGE = "电话号码格式不对：手机号为 1 开头的 11 位数字；座机请带区号，如 0571-88888888 或 010-12345678（分机写在后面，如 0571-88888888-123）。"
MOBILE_MESSAGE = "手机号格式不对：应为 1 开头的 11 位手机号。"
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_COUNTRY = re.compile(r"^\s*(?:\+|00)?86(?=[\s\-(（]|1[3-9]\d{9}\D*$)")


def validate_phone(value: str, *, mobile_only: bool = False) -> str:
    """Every phone a person types: a mobile (1 + 10 digits) or a landline with its area code
    (010/02X + 8 digits, other 4-digit area codes + 7–8 digits, optional extension). Stored as 13800138000 or 0571-88888888[-123]."""
    text = value.strip()
    ext = None
    if match := _EXTENSION.search(text):
        ext, text = match.group(1), text[: match.start()]
    international = bool(_COUNTRY.match(text))
    text = _COUNTRY.sub("", text)
    groups = re.findall(r"\d+", text)
    digits = "".join(groups)
    if re.fullmatch(r"[\d\s\-()（）+]*", text) and MOBILE_RE.match(digits) and ext is None:
        return digits
    if mobile_only or not re.fullmatch(r"[\d\s\-()（）]*", text):
        raise InvalidInput(MOBILE_MESSAGE if mobile_only else PHONE_MESSAGE)
    if international and not digits.startswith("0"):
        digits = "0" + digits  # +86 571 88888888
    landline = _landline(digits)
    if landline is None and ext is None and len(groups) >= 3 and len(groups[-1]) <= 6:
        ext, landline = groups[-1], _landline(digits[: -len(groups[-1])])  # 0571-88888888-123
    if landline is None:
        raise InvalidInput(PHONE_MESSAGE)
    return f"{landline}-{ext}" if ext else landline


def _landline(digits: str) -> str | None:
    if not digits.startswith("0") or len(digits) < 3:
        return None
    area_len = 3 if digits[1] in "12" else 4  # 010 and 02X; every other area code has four digits
    area, local = digits[:area_len], digits[area_len:]
    if not re.fullmatch(r"[1-9]\d{6,7}", local):
        return None
    return f"{area}-{local}"


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:3] + "*" * max(len(phone) - 7, 0) + phone[-4:] if len(phone) >= 7 else "*" * len(phone)


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
