"""The floor to compare the bot against: a bare PTB bot with the same update processor as ours and
the same kind of answers, and nothing else (no database, no conversation, no persistence).

A text is answered with a new message carrying a button (one Bot API call); a button press is
answered (answerCallbackQuery) and its message edited (editMessageText): two calls, as our flows do.
Run as a separate process, like run_bot.py, against the same emulator:
    python bench/floor_bot.py http://127.0.0.1:PORT/bot TOKEN
"""

import gc
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, Defaults, MessageHandler, filters

from bot.updates import PerChatUpdateProcessor

NEXT = InlineKeyboardMarkup([[InlineKeyboardButton("下一步", callback_data="next")]])


async def on_text(update: Update, context) -> None:
    await update.effective_chat.send_message(f"收到：{update.effective_message.text}", reply_markup=NEXT)


async def on_press(update: Update, context) -> None:
    query = update.callback_query
    await query.answer()
    await query.edit_message_text(f"已选择 {query.id}", reply_markup=NEXT)


def run_bare(base_url: str, token: str, on_text, on_press, defaults: Defaults | None = None) -> None:
    """A bare PTB bot with our update processor and the bot's process settings, until stopped."""
    builder = ApplicationBuilder().token(token).base_url(base_url)
    if defaults is not None:
        builder = builder.defaults(defaults)
    app = builder.concurrent_updates(PerChatUpdateProcessor()).get_updates_connection_pool_size(2).build()
    app.add_handler(MessageHandler(filters.TEXT, on_text))
    app.add_handler(CallbackQueryHandler(on_press))
    gc.collect()
    gc.freeze()  # as the bot does after start-up (bot/ops/service.py)
    app.run_polling(allowed_updates=["message", "callback_query"])


def main() -> None:
    run_bare(sys.argv[1], sys.argv[2], on_text, on_press, Defaults(parse_mode=ParseMode.HTML))


if __name__ == "__main__":
    main()
