"""Chat steps the bot tests share: say and wait, press and wait, open a card, register a person.

They lived in the test module that first needed them and were imported from there; test modules
now import them from here (and fixtures from conftest.py), never from each other.
"""

import os
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import col, func, select

from bot import texts
from bot.services import baoan, case_card, places
from bot.services.cases import CaseDraft
from bot.sweeps import sweep_all
from models import AuditEvent, BaoanRequest, Case, DeadlineRequest, Severity
from tests.bot.harness import BOT_USERNAME, TOKEN, invite_code, press, say

# --- from test_deadline_flows.py ------------------------------------------------

SH = ZoneInfo("Asia/Shanghai")


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)


# Notifications that may arrive at any moment (from this feature and the center's other timers).
NOTICE_STARTS = ("🆕", "📌", "🔔", "🚨", "🟡", "⏰", "🔴", "⏳ 待审批", "✅ 您的", "❌ 您的", "⚠️", "📅", "📋",
                 "🗂", "📄", "⏳ 事项")


def has(*parts: str):
    return lambda m: all(p in (m.plain_text or "") for p in parts)


def ours(message) -> bool:
    """An answer to what the person just did, not a notification delivered meanwhile."""
    return not (message.plain_text or "").startswith(NOTICE_STARTS)


async def toast(user, message, label: str | None = None, *, data: str | None = None) -> str:
    """Press a button (or forge its data) and return the text the press was answered with."""
    cq = await user.press(message, label) if data is None else await user.press(message, data=data)
    return (await user.wait_for_callback_answer(cq)).text or ""


async def tap(user, message, label: str, *expect: str):
    await user.press(message, label)
    return await user.wait_for_message(predicate=has(*expect))


async def type_in(user, text: str, *expect: str):
    """Send a text and return the bot's next message that says all of `expect`."""
    await user.send_text(text)
    return await user.wait_for_message(predicate=has(*expect))


async def sweep_at(bot, moment) -> None:
    """The scheduler's sweep at `moment`, and everything it queued delivered."""
    bot.clock.set(moment)
    await sweep_all(bot.app)
    await bot.drain_outbox()


async def write(user, text: str, *expect: str):
    await user.send_text(text)
    return await user.wait_for_message(predicate=has(*expect) if expect else ours)


async def sticker(user):
    await user.send_sticker()
    return await user.wait_for_message(predicate=ours)


# --- from test_baoan.py ---------------------------------------------------------

REASON = "涉及多个部门，需党委、政府协调处理"


async def open_card(user, number: str):
    await user.send_text(f"/case {number}")
    return await user.wait_for_message(predicate=has(f"📋 事项 {number}"))


# --- from test_notices.py -------------------------------------------------------

FIRST, SECOND = "综治〔2026〕1号", "综治〔2026〕2号"


def card_of(number: str, *more: str):
    return has(f"督办通知书 {number}", "状态：", *more)


# --- from test_supervise.py -----------------------------------------------------

def button_starting(message, start: str) -> str:
    return next(b for b in message.buttons if b.startswith(start))


# --- from test_timers.py --------------------------------------------------------

def draft(types, village, grid, subtype="邻里纠纷", severity=Severity.general):
    return CaseDraft(type_id=types[subtype], severity=severity, description="两户因排水沟争吵",
                     village_id=village.id, grid_id=grid.id)


# --- from test_onboarding.py ----------------------------------------------------

async def make_places(bot):
    """A village with a grid and a unit, created through the services (the admin flow has its own tests)."""
    db = bot.db
    now = bot.clock.now()
    village = db.call(places.create_village, actor_id=1, name="东山村", now=now)
    grid = db.call(places.create_grid, actor_id=1, village_id=village.id, name="第一网格", now=now)
    unit = db.call(places.create_unit, actor_id=1, name="镇司法所", now=now)
    return village, grid, unit


async def invite(director, role_label: str, *steps: str) -> str:
    msg = await say(director, "/invite")
    assert "请选择对方的身份" in msg.plain_text
    msg = await press(director, msg, role_label)
    for step in steps:
        msg = await press(director, msg, step)
    assert f"t.me/{BOT_USERNAME}?start=" in msg.plain_text, msg.plain_text
    return invite_code(msg.plain_text)


async def register(bot, user_id: int, code: str, name: str, phone: str):
    user = bot.user(user_id, "新人")
    msg = await say(user, f"/start {code}")
    assert "请输入您的真实姓名" in msg.plain_text
    msg = await say(user, name)
    assert "发送我的手机号" in msg.plain_text
    assert msg.keyboard == ["📱 发送我的手机号"]
    await user.send_contact(phone)
    msg = await user.wait_for_message()
    return user, msg


# --- from test_report.py --------------------------------------------------------

async def wait(user, fragment: str, timeout: float = 5.0):
    """The next bot message containing `fragment` (skipping acknowledgements and edits before it)."""
    return await user.wait_for_message(timeout=timeout, predicate=lambda m: fragment in (m.plain_text or ""))


async def to_place_step(user, category="矛盾纠纷", subtype="邻里纠纷", severity="一般"):
    msg = await say(user, "/report")
    msg = await press(user, msg, category)
    if subtype:
        msg = await press(user, msg, subtype)
    msg = await press(user, msg, severity)
    await user.press(msg, "使用 东山村 第一网格")
    return await wait(user, "事发地点")


# --- from test_process.py -------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def run_bot_process(env: dict[str, str], cwd, name: str = "bot", *, program: str = "run_bot.py",
                    args: tuple[str, ...] = ()) -> subprocess.Popen:
    """A bot (run_bot.py, or a bench's bare bot) as its own process. Its log goes to a file of its own,
    `proc.log`: a pipe read only at the end would stall a bot that logs much once full."""
    with tempfile.NamedTemporaryFile(dir=cwd, prefix=f"{name}-", suffix=".log", delete=False) as log:
        proc = subprocess.Popen([sys.executable, str(ROOT / program), *args], cwd=cwd, env=env,
                                stdout=subprocess.DEVNULL, stderr=log)
    proc.log = Path(log.name)
    return proc


def _env(db_url: str, server, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "BOOTSTRAP_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        DATABASE_URL=db_url,
        TELEGRAM_API_BASE_URL=server.base_url,
        TELEGRAM_FILE_BASE_URL=server.base_file_url,
        BOOTSTRAP_ADMIN_IDS="1",
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


# --- from test_case_card.py ----------------------------------------------------

# Notifications the case-card tests skip over (delivered from the outbox, or an admin alert).
CARD_NOTICE_STARTS = ("🆕", "📌", "🔔", "↩️ 事项", "⚠️")


async def ask(user, text: str):
    """Send a text and return the bot's answer (skipping notifications delivered meanwhile)."""
    await user.send_text(text)
    return await user.wait_for_message(predicate=lambda m: not (m.plain_text or "").startswith(CARD_NOTICE_STARTS))


async def alert(user, message, *, label: str | None = None, data: str | None = None) -> str:
    cq = await user.press(message, label, data=data) if data is None else await user.press(message, data=data)
    answer = await user.wait_for_callback_answer(cq)
    return answer.text or ""


# --- what an action leaves behind, and forged presses -----------------------------------------


def snapshot(town, case_id: int) -> tuple:
    """Everything an action on a case leaves behind: its state, its audit trail, its requests."""
    with town.db.session() as s:
        case = s.get(Case, case_id)
        # Views are audited too (case_card.UNLISTED); only events that change the case count here.
        events = s.exec(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.subject_type == "case", AuditEvent.subject_id == case_id,
                               col(AuditEvent.action).not_in(case_card.UNLISTED))).one()
        baoan = s.exec(select(func.count()).select_from(BaoanRequest).where(BaoanRequest.case_id == case_id)).one()
        dl = s.exec(select(func.count()).select_from(DeadlineRequest).where(DeadlineRequest.case_id == case_id)).one()
        return (case.status, case.due_at, case.leader_id, case.mediation_plan,
                case.result, events, baoan, dl)


async def forged_is_stale(user, message, data: str) -> None:
    assert await toast(user, message, data=data) == texts.STALE_BUTTON, data


async def with_leader(town, *case_ids: int, plan_due: date | None = None) -> None:
    """包案 proposed and approved (刘领导) through the services, optionally with a plan and a deadline."""
    now = town.clock.now()
    for case_id in case_ids:
        req = town.db.call(baoan.propose, actor_id=town.w.director, case_id=case_id, leader_id=town.w.leader,
                           reason=REASON, now=now)
        town.db.call(baoan.decide, actor_id=town.w.secretary, request_id=req.id, approve=True, now=now)
        if plan_due:
            town.db.call(baoan.record_plan, actor_id=town.w.leader, case_id=case_id, plan="先分别约谈两户",
                         due_date=plan_due, now=now, policy=town.policy)
    await town.delivered()
