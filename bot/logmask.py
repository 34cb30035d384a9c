"""Logs never hold the bot token, a database password, a phone number or an ID number, whatever
logged them.

A filter on the root logger's handlers rewrites each record's text (and its traceback) before
it is written, so Bot API URLs logged by httpx, request parameters logged by PTB at DEBUG and SQL
parameters all come out masked.
"""

import logging
import re

TOKEN = re.compile(r"(?<![A-Za-z0-9_])(bot)?(\d{5,}):[A-Za-z0-9_-]{8,}")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![\d-])(1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})(?!\d)")
# The webhook's secret token (setWebhook's parameter at DEBUG, the header Telegram sends).
WEBHOOK_SECRET = re.compile(r"(secret[_-]token['\"]?\s*[:=]\s*['\"]?)[A-Za-z0-9_-]+", re.IGNORECASE)
# A password in a database URL (scheme://user:password@host), e.g. in a driver's error.
URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^/\s]+@")
LANDLINE = re.compile(r"(?<![\d-])(\(?0\d{2,3}\)?[- ]?)\d{3,4}(\d{4})(?!\d)")


def mask(text: str) -> str:
    """bot123:secret → bot123:***, postgresql://u:pw@h → postgresql://u:***@h, 13812345678 → 138****5678,
    18-digit ID → 1101**********002X, 0571-88123456 → 0571-****3456."""
    text = TOKEN.sub(lambda m: f"{m[1] or ''}{m[2]}:***", text)
    text = URL_PASSWORD.sub(lambda m: f"{m[1]}***@", text)
    text = WEBHOOK_SECRET.sub(lambda m: f"{m[1]}***", text)
    text = ID_NUMBER.sub(lambda m: f"{m[1]}{'*' * 10}{m[2]}", text)
    text = MOBILE.sub(lambda m: f"{m[1]}****{m[2]}", text)
    return LANDLINE.sub(lambda m: f"{m[1]}****{m[2]}", text)


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler's own error report
            return True
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def install() -> None:
    """Put the mask on every handler of the root logger (once each); call after logging is set up."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, MaskPersonalData) for f in handler.filters):
            handler.addFilter(MaskPersonalData())
