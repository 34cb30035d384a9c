"""The only place that registers handlers.

Group -1: the access gate (stops strangers and deactivated people before anything else).
Group 0: every feature, conversations first, then commands and buttons, then the fallbacks
that answer whatever nothing else took. One group, so exactly one handler answers an update.
"""

import warnings

from telegram import Update
from telegram.ext import Application, TypeHandler
from telegram.warnings import PTBUserWarning

from handlers import (
    admin,
    announce,
    assessment,
    assignments,
    baoan,
    case_file,
    case_types,
    cases,
    contact,
    digests,
    fallback,
    focus,
    home_visits,
    importing,
    info_report,
    instruct,
    invite,
    joint,
    ledger,
    meetings,
    menus,
    notices,
    paicha,
    plans,
    report,
    scene,
    situation,
    staff_record,
    start,
    stats,
    supervise,
    teams,
    upward_reports,
    visit,
)
from handlers import calendar as work_calendar
from handlers import deadlines as deadline_flows
from handlers import duty as duty_roster
from handlers.common import TIMEOUT_TICK, Flow, expire_flows, expire_idle
from handlers.errors import error_handler
from handlers.gate import gate

GATE_GROUP = -1
FEATURE_GROUP = 0
MENUS_AFTER = 5.0  # seconds after start-up: everyone's command menu sent again if it changed (menus.refresh_menus)

# Our conversations start from buttons but track per chat and user on purpose.
warnings.filterwarnings("ignore", message=r".*per_message=False.*", category=PTBUserWarning)


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, gate), group=GATE_GROUP)
    feature_handlers = [
        # The admin's name-editing conversation and the registration conversation come first; the
        # rest of the admin module only answers `/admin` and `adm:` buttons, which nothing else takes.
        *admin.handlers(),
        *start.handlers(),
        *menus.handlers(),
        *report.handlers(),
        *visit.handlers(),
        *cases.handlers(),
        *deadline_flows.handlers(),
        *baoan.handlers(),
        *supervise.handlers(),
        *notices.handlers(),
        *info_report.handlers(),
        *duty_roster.handlers(),
        *work_calendar.handlers(),
        *invite.handlers(),
        *digests.handlers(),  # /settings and 不再接收 (issue 14)
        *case_file.handlers(),  # 一案一档 on the case card (issue 14)
        *stats.handlers(),  # 统计分析 (issue 14)
        *ledger.handlers(),  # 台账 (issue 14)
        *meetings.handlers(),  # issue 15
        *announce.handlers(),  # 传达 (issue 16)
        *paicha.handlers(),  # 排查 returns (issue 16)
        *assignments.handlers(),  # 上级交办 (issue 16)
        *home_visits.handlers(),  # 上门受理 (issue 16)
        *focus.handlers(),  # 社会治安重点整治区域 (工作联系点制度 二.6)
        *plans.handlers(),  # 综治工作计划 (工作职责 1)
        *assessment.handlers(),  # 目标管理考核 /score (issue 17)
        *staff_record.handlers(),  # per-person records /myrecord (issue 17)
        *teams.handlers(),  # 群防群治 and 平安创建 /teams (issue 17)
        *contact.handlers(),  # 工作联系点 records /contact
        *situation.handlers(),  # 社会治安形势分析 /analysis
        *case_types.handlers(),  # 事项类型 under /admin (issue 16)
        *joint.handlers(), *instruct.handlers(), *scene.handlers(),  # 联合办理/会商, 请示, 已到场 (issue 16)
        *upward_reports.handlers(),  # 上报上级
        # After the conversations: a document sent inside a report is an attachment, not an import.
        *importing.handlers(),
        *fallback.handlers(),
    ]
    for handler in feature_handlers:
        if isinstance(handler, Flow):
            handler.bind(app)
        app.add_handler(handler, group=FEATURE_GROUP)
    app.job_queue.run_repeating(expire_idle, interval=TIMEOUT_TICK, first=TIMEOUT_TICK, data=_flows(app),
                                name="conversation-timeouts")
    app.job_queue.run_once(menus.refresh_menus, when=MENUS_AFTER, name="refresh-menus")
    app.add_error_handler(error_handler)


def _flows(app: Application) -> list[Flow]:
    return [handler for handler in app.handlers.get(FEATURE_GROUP, []) if isinstance(handler, Flow)]


async def time_passed(app: Application, seconds: float) -> int:
    """The sandbox's clock jumped `seconds` ahead: the conversations idle past their timeout by then
    end now, as they would have. Returns how many ended."""
    return await expire_flows(_flows(app), passed=seconds)
