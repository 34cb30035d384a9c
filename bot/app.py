"""Builds the PTB Application: settings, database, clock and persistence wired together."""

from dataclasses import dataclass
from functools import cached_property

from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, CallbackContext, ContextTypes, Defaults, ExtBot
from telegram.request import BaseRequest

from bot import logmask
from bot.clock import Clock
from bot.config import Settings
from bot.db import Database, make_engine
from bot.flow_messages import MessageWatch
from bot.jobs import register_jobs
from bot.persistence import DatabasePersistence
from bot.services.intake import IntakePolicy
from bot.services.people import PersonView
from bot.services.supervision import NoticeStyle
from bot.updates import PerChatUpdateProcessor


@dataclass
class Deps:
    """Live objects every handler needs; kept in (unpersisted) bot_data."""

    settings: Settings
    db: Database
    clock: Clock
    owns_db: bool = True  # close the database at shutdown only if the application opened it

    @cached_property
    def policy(self) -> IntakePolicy:
        """The time rules from the settings: deadlines, working hours, alert and report timings."""
        return IntakePolicy.from_settings(self.settings)

    @cached_property
    def notice_style(self) -> NoticeStyle:
        """How 督办通知书 are numbered and headed (GB/T 9704)."""
        return NoticeStyle.from_settings(self.settings)


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    """PTB creates one context per update, so the gate can hang the resolved person on it."""

    person: PersonView | None = None

    @property
    def deps(self) -> Deps:
        return self.application.bot_data["deps"]


def build_application(
    settings: Settings,
    *,
    db: Database | None = None,
    clock: Clock | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    persistence_interval: float = 1.0,
) -> Application:
    from handlers import register  # handlers import bot.*, so import them late

    logmask.install()  # whatever set up logging (run_bot.py, the sandbox, pytest), mask what it writes
    owns_db = db is None
    db = db or Database(make_engine(settings.database_url))
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .context_types(ContextTypes(context=BotContext))
        # HTML everywhere: every interpolated value a person typed goes through handlers.common.esc.
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
        .persistence(DatabasePersistence(db, update_interval=persistence_interval))
        .concurrent_updates(PerChatUpdateProcessor())
        .rate_limiter(MessageWatch())  # limits nothing: lets a flow see the step messages it sent
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
    if settings.telegram_file_base_url:
        builder = builder.base_file_url(settings.telegram_file_base_url)
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    else:
        # At a stop PTB confirms the fetched updates with one more getUpdates while the cancelled
        # long poll may still hold its connection; with one connection that call times out in the
        # pool and logs a traceback.
        builder = builder.get_updates_connection_pool_size(2)
    app = builder.build()
    app.bot_data["deps"] = Deps(settings=settings, db=db, clock=clock or Clock(), owns_db=owns_db)
    register(app)
    register_jobs(app)
    return app


async def _post_init(app: Application) -> None:
    from handlers.menus import set_default_commands

    await set_default_commands(app.bot)


async def _post_shutdown(app: Application) -> None:
    deps: Deps = app.bot_data["deps"]
    if deps.owns_db:
        deps.db.close()
