"""督办通知书 (supervision notices), per 综治中心信息督办制度.

The director issues a numbered notice (one sequence per year: 综治〔2026〕12号) to a handling unit
about a case; the unit's contact signs for it (签收), reports progress and the result; the
director accepts the result or rejects it and re-issues (a new notice linked to the first, never
at a lower level), asks for the case materials (调阅) or a briefing (汇报); with a leader's
approval an item is closed or moved to another department, and the unit must tell the party
within 3 days. A sweep drives the clock: sign-for reminders and escalation, automatic yellow and
red cards, the overdue question, and the daily party-notice reminders.

Every change is one unit of work: the change, its audit event on the case and the outbox rows.

A package: numbers, base (shared), issue, unit, director, card, sweep; this module re-exports the
public names so call sites stay `supervision.issue(...)`.
"""

from bot.services.supervision import instruct
from bot.services.supervision.base import (
    APPROVERS,
    BATCH,
    CC_MAX,
    DEPARTMENT_MAX,
    FEEDBACK_MAX,
    FEEDBACK_NOTE,
    LEVEL_ORDER,
    MAX_TEXT,
    OPEN,
    PARTY_NOTICE_DAYS,
    REQUEST_KINDS,
    SEE_ALL,
    SEQUENCE,
    SUMMARY_MAX,
    UNFINISHED,
    UNIT_ENTRY_KINDS,
    EntryView,
    N,
    NoticeRef,
    NoticeView,
    SuperviseCommand,
    SuperviseDraft,
    SweepResult,
    docx_ref,
    long_date,
)
from bot.services.supervision.card import (
    DUE_STEPS,
    NOTICE_ACTIONS,
    NoticeCard,
    NoticeOnCard,
    OpenRequest,
    ReissueForm,
    document_view,
    due_choices,
    find_notice,
    list_notices,
    may_list,
    may_see,
    notice_actions,
    notice_card,
    notice_view,
    open_notices_on_card,
    open_request,
    reissue_form,
    remember_docx,
    send_docx,
)
from bot.services.supervision.director import (
    accept_result,
    close_or_transfer,
    reject_and_reissue,
    request_briefing,
    request_materials,
)
from bot.services.supervision.issue import (
    CC_PICKS_MAX,
    CC_ROLES,
    CcChoice,
    cc_choices,
    find_unit,
    issue,
    parse_command,
    preview,
    resolve_command,
)
from bot.services.supervision.numbers import (
    DEFAULT_STYLE,
    NoticeStyle,
    format_number,
    parse_number,
)
from bot.services.supervision.sweep import (
    sweep,
)
from bot.services.supervision.unit import (
    add_entry,
    answer_request,
    record_party_notice,
    sign,
)

__all__ = [
    "APPROVERS",
    "BATCH",
    "CC_MAX",
    "CC_PICKS_MAX",
    "CC_ROLES",
    "DEFAULT_STYLE",
    "DEPARTMENT_MAX",
    "DUE_STEPS",
    "FEEDBACK_MAX",
    "FEEDBACK_NOTE",
    "LEVEL_ORDER",
    "MAX_TEXT",
    "NOTICE_ACTIONS",
    "OPEN",
    "PARTY_NOTICE_DAYS",
    "REQUEST_KINDS",
    "SEE_ALL",
    "SEQUENCE",
    "SUMMARY_MAX",
    "UNFINISHED",
    "UNIT_ENTRY_KINDS",
    "CcChoice",
    "EntryView",
    "N",
    "NoticeCard",
    "NoticeOnCard",
    "NoticeRef",
    "NoticeStyle",
    "NoticeView",
    "OpenRequest",
    "ReissueForm",
    "SuperviseCommand",
    "SuperviseDraft",
    "SweepResult",
    "accept_result",
    "add_entry",
    "answer_request",
    "cc_choices",
    "close_or_transfer",
    "document_view",
    "docx_ref",
    "due_choices",
    "find_notice",
    "find_unit",
    "format_number",
    "instruct",
    "issue",
    "list_notices",
    "long_date",
    "may_list",
    "may_see",
    "notice_actions",
    "notice_card",
    "notice_view",
    "open_notices_on_card",
    "open_request",
    "parse_command",
    "parse_number",
    "preview",
    "record_party_notice",
    "reissue_form",
    "reject_and_reissue",
    "remember_docx",
    "request_briefing",
    "request_materials",
    "resolve_command",
    "send_docx",
    "sign",
    "sweep",
]
