"""Bulk import: an admin sends an .xlsx/.csv file; /template sends the workbook to fill in."""

from io import BytesIO

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot import texts
from bot.context import BotContext
from bot.services import imports
from bot.services.access import MANAGE_PEOPLE
from handlers.common import call, esc, now, requires

MAX_BYTES = 5 * 1024 * 1024
MAX_ERRORS_SHOWN = 30


async def send_template(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_document(
        BytesIO(imports.template_xlsx()), filename="综治中心批量导入模板.xlsx", caption=texts.TEMPLATE_CAPTION
    )


@requires(*MANAGE_PEOPLE)
async def template_command(update: Update, context: BotContext) -> None:
    await send_template(update, context)


@requires(*MANAGE_PEOPLE)
async def import_document(update: Update, context: BotContext) -> None:
    doc = update.message.document
    name = (doc.file_name or "").lower()
    if not name.endswith((".xlsx", ".csv")):
        await update.effective_chat.send_message(texts.IMPORT_BAD_TYPE)
        return
    if doc.file_size and doc.file_size > MAX_BYTES:
        await update.effective_chat.send_message(texts.IMPORT_TOO_BIG)
        return
    data = bytes(await (await doc.get_file()).download_as_bytearray())
    try:
        result = await call(
            context, imports.import_file, actor_id=context.person.id, data=data, filename=doc.file_name or name,
            now=now(context),
        )
    except imports.ImportRejected as exc:
        shown = "\n".join(esc(e) for e in exc.errors[:MAX_ERRORS_SHOWN])
        more = f"\n……另有 {len(exc.errors) - MAX_ERRORS_SHOWN} 处" if len(exc.errors) > MAX_ERRORS_SHOWN else ""
        await update.effective_chat.send_message(texts.IMPORT_ERRORS.format(count=len(exc.errors), errors=shown + more))
        return
    await update.effective_chat.send_message(
        texts.IMPORT_OK.format(villages=result.villages, grids=result.grids, units=result.units, people=result.people)
        + (f"\n已存在而跳过：{result.skipped} 条。" if result.skipped else "")
    )


def handlers() -> list[BaseHandler]:
    """New objects per call, like every handler module's (one Application each)."""
    return [
        CommandHandler("template", template_command),
        MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE, import_document),
    ]
