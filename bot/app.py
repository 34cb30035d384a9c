"""Builds the PTB Application: settings, database, clock and persistence wired together."""

from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot import logmask
from bot.clock import Clock
from bot.config import Settings
from bot.context import DEPS, BotContext, Deps, deps
from bot.db import Database, make_engine
from bot.flow_messages import MessageWatch
from bot.jobs import register_jobs
from bot.persistence import DatabasePersistence
from bot.updates import PerChatUpdateProcessor
from handlers import register
from handlers.menus import set_default_commands


def build_application(
    settings: Settings,
    *,
    db: Database | None = None,
    clock: Clock | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    persistence_interval: float = 1.0,
) -> Application:
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
    app.bot_data[DEPS] = Deps(settings=settings, db=db, clock=clock or Clock(), owns_db=owns_db)
    register(app)
    register_jobs(app)
    return app


async def _post_init(app: Application) -> None:
    await set_default_commands(app.bot)


async def _post_shutdown(app: Application) -> None:
    if deps(app).owns_db:
        deps(app).db.close()
