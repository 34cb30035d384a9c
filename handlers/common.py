"""What every handler shares: the role check, replying or editing in place, the service call."""

import contextvars
import functools
import logging
import re
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import TypeVar

from telegram import Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    TypeHandler,
)
from telegram.ext._handlers.conversationhandler import _ConversationTimeoutContext

from bot import flow_messages, texts
from bot.callbacks import Code
from bot.context import BotContext
from bot.services.errors import DomainError
from bot.texts.markup import escape
from models import Agreement, Outcome, ReplyMethod, Role, Satisfaction, Vocabulary

log = logging.getLogger(__name__)


def esc(value: object) -> str:
    """Anything a person typed goes through here before it is put into HTML."""
    return escape(value if value is not None else "")


def now(context: BotContext) -> datetime:
    return context.deps.clock.now()


def local_today(context: BotContext) -> date:
    """The center's date now (its time zone, not the server's)."""
    return now(context).astimezone(context.deps.settings.tz).date()


async def call(context: BotContext, fn: Callable, /, **kwargs):
    """Run one service function as one unit of work, off the event loop."""
    return await context.deps.db.run(fn, **kwargs)


async def read(context: BotContext, fn: Callable, /, **kwargs):
    """`call` for a service function that only reads: on SQLite it does not queue for the write lock."""
    return await context.deps.db.read(fn, **kwargs)


async def case_types(context: BotContext):
    """The active case types: from memory while the catalogue is unchanged (cases.CaseTypes)."""
    memo = context.deps.case_types
    types = memo.cached()
    return types if types is not memo.MISS else await call(context, memo.load)


# Set by `reply` when the edit would change nothing (🔄 刷新 with nothing new, the tab already shown):
# `requires` then answers the press with a word, so it does not look ignored. One update, one task.
_UNCHANGED: contextvars.ContextVar[bool] = contextvars.ContextVar("unchanged", default=False)


async def say(update: Update, text: str, markup=None) -> None:
    """A new message in the chat the update came from (a prompt, a card, an answer)."""
    await update.effective_chat.send_message(text, reply_markup=markup)


def work_of(context: BotContext, key: str, what: str, stale: str) -> dict:
    """What a flow has gathered so far (user_data[key], persisted), if it is the `what` flow's;
    else the step is stale: answered with `stale`, nothing saved."""
    work = context.user_data.get(key)
    if not isinstance(work, dict) or work.get("what") != what:
        raise DomainError(stale)
    return work


async def reply(update: Update, text: str, *, reply_markup=None, edit: bool = False, protect: bool = False) -> None:
    """Edit the message a button sits on (keeps the chat tidy), or send a new message (with
    `protect`, one that cannot be forwarded or saved: a confidential case)."""
    query = update.callback_query
    _UNCHANGED.set(False)  # only the last thing shown counts
    if edit and query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, reply_markup=reply_markup)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                _UNCHANGED.set(True)
                return
            if "message to edit not found" not in str(exc).lower():
                raise
    chat = update.effective_chat
    await chat.send_message(text, reply_markup=reply_markup, protect_content=protect or None)


def requires(*allowed: Role):
    """Check the person's roles on every call — commands and button presses alike.

    Buttons carry ids that can be forged or stale, so the check runs again on each press.
    With no roles named, any registered person may act.
    """
    allowed_set = frozenset(allowed)

    def decorate(fn):
        @functools.wraps(fn)
        async def wrapper(update: Update, context: BotContext, *args, **kwargs):
            person = context.person
            if person is None or (allowed_set and not allowed_set & person.roles):
                answer = texts.REGISTER_FIRST if person is None else texts.NOT_ALLOWED
                if update.callback_query:
                    await update.callback_query.answer(answer, show_alert=True)
                else:
                    await update.effective_chat.send_message(answer)
                return ConversationHandler.END
            _UNCHANGED.set(False)
            result = await fn(update, context, *args, **kwargs)
            # Answer the press only after the work succeeded; on an error the error handler
            # answers it with the reason instead (a query can be answered once).
            if update.callback_query:
                await update.callback_query.answer(texts.UNCHANGED if _UNCHANGED.get() else None)
            return result

        return wrapper

    return decorate


def callback_parts(update: Update) -> list[str]:
    return (update.callback_query.data or "").split(":")


DB_INT = 2**31  # ids and page numbers are database INTEGERs; a larger number never came from us
CHAT_ID = 2**63  # Telegram's chat ids are 64-bit


def int_part(parts: list[str], index: int, *, chat_id: bool = False) -> int:
    """A forged button may carry anything; a non-number, or one too large to be an id or a page
    number (it would overflow the database column), is treated as a stale button."""
    try:
        value = int(parts[index])
    except (IndexError, ValueError):
        raise StaleButton() from None
    bound = CHAT_ID if chat_id else DB_INT
    if not -bound <= value < bound:
        raise StaleButton()
    return value


class StaleButton(Exception):
    """Raised for button data that no longer (or never did) make sense; answered politely."""


# Buttons sent before the vocabularies became enums carried a position in a list instead of a name,
# and such buttons may still sit in people's chats. Order of the buttons sent before the vocabulary
# enums; never edit (not even when a member is added to or moved in its enum).
LEGACY_ORDER: dict[type[Vocabulary], tuple[Vocabulary, ...]] = {
    Outcome: (Outcome.mediated, Outcome.partly_mediated, Outcome.not_mediated, Outcome.transferred,
              Outcome.declined),
    Agreement: (Agreement.written, Agreement.oral, Agreement.no_agreement),
    ReplyMethod: (ReplyMethod.in_person, ReplyMethod.phone, ReplyMethod.in_writing, ReplyMethod.message),
    Satisfaction: (Satisfaction.satisfied, Satisfaction.mostly_satisfied, Satisfaction.dissatisfied),
}


V = TypeVar("V", bound=Vocabulary)


def vocab_part(parts: list[str], index: int, vocab: type[V]) -> V:
    """The word a button carries: a member's name (`mediated`), or on an old button its position in
    LEGACY_ORDER, so an old button keeps its meaning. Anything else is a stale button."""
    part = parts[index] if 0 <= index < len(parts) else ""
    if part in vocab.__members__:
        return vocab[part]
    old = {str(i): member for i, member in enumerate(LEGACY_ORDER[vocab])}
    if part in old:
        return old[part]
    raise StaleButton()


ACTIVE_FLOW = "active_flow"  # user_data: the name of the conversation the person started last
TIMEOUT_TICK = 30.0  # seconds between checks for conversations left idle past their timeout
STEP_PROMPT = "step_prompt"  # user_data: [chat id, message id] of the last step message with inline buttons


class Flow(ConversationHandler):
    """A persistent conversation (state survives restarts) that takes a person's messages only
    while it is the one they started last.

    PTB asks conversations in the order they are registered, so without this a flow the person
    walked away from without /cancel would swallow what they type into the next one (a reason
    typed for a 督办 landing as a 包案 reason). Entry points always work; `bind` gives access to
    the persisted user_data, where the entry point records which flow is current.
    """

    def __init__(self, *, name: str, entry_points, states: dict, fallbacks=(), timeout: float, timed_out=None,
                 draft: str | None = None, cancelled: str | None = None, cancel_button: type[Code] | None = None,
                 timeout_text: str | None = None):
        """`draft`: the user_data key of the flow's work, dropped on timeout and on /cancel (leave it out
        where /report and /visit keep a draft to continue); `cancelled`: answer /cancel with this text
        (a flow whose /cancel does more registers its own); `cancel_button`: the flow's 取消 button, which
        does the same and puts the text in place of the button's message; `timeout_text`: told when the
        flow times out; `timed_out`: anything more a timeout must do. A flow the person left for another
        times out without either: it only drops its draft."""

        async def on_timeout(update: Update, context: BotContext) -> None:
            if draft is not None:
                context.user_data.pop(draft, None)
            if context.user_data.get(ACTIVE_FLOW, name) != name:
                return  # walked away into another flow: end quietly, the step on screen is that flow's
            if timeout_text is not None and isinstance(update, Update) and update.effective_chat:
                await update.effective_chat.send_message(timeout_text)
            if timed_out is not None:
                await timed_out(update, context)
            await _retire_prompt(context)

        async def cancel(update: Update, context: BotContext) -> int:
            if draft is not None:
                context.user_data.pop(draft, None)
            if update.callback_query is not None:
                await update.callback_query.answer()
                await reply(update, cancelled, edit=True)
            else:
                await update.effective_chat.send_message(cancelled)
            return ConversationHandler.END

        if cancelled is not None:
            fallbacks = [CommandHandler("cancel", cancel), *fallbacks]
        if cancel_button is not None:
            fallbacks = [CallbackQueryHandler(cancel, pattern=cancel_button.pattern()), *fallbacks]
        states = {**states, ConversationHandler.TIMEOUT: [TypeHandler(Update, on_timeout)]}
        super().__init__(entry_points=entry_points, states=states, fallbacks=list(fallbacks), name=name,
                         persistent=True, allow_reentry=True, conversation_timeout=timeout)
        self._user_data = None

    def bind(self, app: Application) -> None:
        self._user_data = app.user_data

    def _schedule_job(self, new_state, application, update, context, conversation_key) -> None:
        # PTB arms an APScheduler job for the timeout at every update and removes it at the next:
        # in a busy flow most of the JobQueue's work. A deadline that one repeating job looks at
        # (expire_idle) ends the conversation the same way, at most TIMEOUT_TICK later.
        if new_state != self.END:
            context_at_timeout = _ConversationTimeoutContext(conversation_key, update, application, context)
            self.timeout_jobs[conversation_key] = _Deadline(time.monotonic() + self.conversation_timeout,
                                                            context_at_timeout)

    async def expire(self, now: float) -> int:
        """End the conversations idle past their timeout as PTB's own timeout job does: the TIMEOUT
        state's handlers run, then the conversation ends. Returns how many ended."""
        ended = 0
        for key, deadline in [(k, d) for k, d in self.timeout_jobs.items() if d.at <= now]:
            async with self._timeout_jobs_lock:
                if self.timeout_jobs.get(key) is not deadline:  # the person answered meanwhile
                    continue
                del self.timeout_jobs[key]
            timed_out = deadline.data
            for handler in self.states.get(self.TIMEOUT, []):
                check = handler.check_update(timed_out.update)
                if check is None or check is False:
                    continue
                try:
                    await handler.handle_update(timed_out.update, timed_out.application, check,
                                                timed_out.callback_context)
                except ApplicationHandlerStop:
                    pass
                except Exception:  # one person's failed timeout must not keep the others' open
                    log.exception("timeout of conversation %s %s failed", self.name, key)
            self._update_state(self.END, key)
            ended += 1
        return ended

    def check_update(self, update: object):
        found = super().check_update(update)
        if found is None or self._user_data is None or found[2] in self.entry_points:
            return found
        user = getattr(update, "effective_user", None)
        active = self._user_data.get(user.id, {}).get(ACTIVE_FLOW) if user else None
        return found if active in (None, self.name) else None

    async def handle_update(self, update, application, check_result, context):
        if check_result[2] in self.entry_points and context.user_data is not None:
            context.user_data[ACTIVE_FLOW] = self.name
        state, key = check_result[0], check_result[1]
        with flow_messages.watching() as touched:
            result = await super().handle_update(update, application, check_result, context)
        if context.user_data is not None:
            after = self._conversations.get(key)  # PTB keeps no public view of a conversation's state
            await _settle_prompt(context, touched, moved=after != state, ended=after is None)
        return result


class _Deadline:
    """Stands in for PTB's timeout job in `timeout_jobs`, where PTB only calls schedule_removal()."""

    __slots__ = ("at", "data")

    def __init__(self, at: float, data: _ConversationTimeoutContext):
        self.at, self.data = at, data

    def schedule_removal(self) -> None:
        return None  # a replaced deadline is no longer in timeout_jobs, which is what expire() checks


async def expire_idle(context: BotContext) -> None:
    """Repeating job: the conversations people walked away from time out."""
    await expire_flows(context.job.data)


async def expire_flows(flows: list[Flow], *, passed: float = 0.0) -> int:
    """End the conversations idle past their timeout as of `passed` seconds from now (the sandbox's
    clock jumps: conversation deadlines run on the process's own clock, not the center's)."""
    now = time.monotonic() + passed
    return sum([await flow.expire(now) for flow in flows])


async def _settle_prompt(context: BotContext, touched: flow_messages.Touched, *, moved: bool, ended: bool) -> None:
    """Real bots leave no live buttons on steps already passed. The step's message loses its buttons
    when the flow moves on (a new step message, another state) or ends, unless this step's handler
    set that message's buttons itself (a final 「查看」, spent buttons replaced); a hint that keeps the
    person on the same step leaves them the buttons they still need."""
    newest = touched.newest_with_buttons()
    if ended or moved or newest is not None:
        await _retire_prompt(context, keep=touched.buttons)
    if newest is not None and not ended:
        context.user_data[STEP_PROMPT] = list(newest)


async def _retire_prompt(context: BotContext, keep=()) -> None:
    """Take the remembered step message's inline buttons away (a message Telegram no longer lets
    us edit keeps them: the buttons then only answer as stale)."""
    prompt = context.user_data.pop(STEP_PROMPT, None) if context.user_data is not None else None
    if not prompt or tuple(prompt) in keep:
        return
    try:
        await context.bot.edit_message_reply_markup(chat_id=prompt[0], message_id=prompt[1], reply_markup=None)
    except TelegramError as exc:  # cosmetic: the step itself is done and committed
        log.info("could not take the buttons off step message %s: %s", prompt[1], exc)


def in_private(update: Update) -> bool:
    """Personal data is asked for and shown only in a private chat with the bot."""
    return update.effective_chat is not None and update.effective_chat.type == "private"


C = TypeVar("C", bound=Code)


def pressed(update: Update, code: type[C]) -> C:
    """The pressed button's code; a forged one, or an id too large to have come from us (it would
    overflow the database column; a field named chat_id holds a 64-bit Telegram chat id), is a
    stale button."""
    try:
        found = code.parse(update.callback_query.data)
    except ValueError:
        raise StaleButton() from None
    for name, value in vars(found).items():
        bound = CHAT_ID if name == "chat_id" else DB_INT
        if isinstance(value, int) and not -bound <= value < bound:
            raise StaleButton()
    return found


def pressed_one_of(update: Update, codes: Iterable[type[Code]]) -> Code:
    """The pressed button's code, for a handler that takes several (it tells them apart with
    isinstance, or looks the code's class up); anything else is a stale button."""
    data = update.callback_query.data or ""
    code = next((c for c in codes if re.match(c.pattern(), data)), None)
    if code is None:
        raise StaleButton()
    return pressed(update, code)


def word_pressed(update: Update, code: type[C], legacy: type[Code], vocab: type[V]) -> C:
    """A vocabulary button (办结结果, 协议类型, 答复方式, 满意度): `code` carries the member's name; a
    button sent before the enums (`legacy`, a case id and a position) means its LEGACY_ORDER word."""
    try:
        return pressed(update, code)
    except StaleButton:
        old = pressed(update, legacy)
        return code(old.case_id, vocab_part([str(old.position)], 0, vocab))
