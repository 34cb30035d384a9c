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


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:3] + "*" * max(len(phone) - 7, 0) + phone[-4:] if len(phone) >= 7 else "*" * len(phone)


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
