"""The floor to compare against: a bare PTB bot that answers every message and button press.

Run as a separate process, like run_bot.py, against the same emulator:
    python bench/echo_bot.py http://127.0.0.1:PORT/bot TOKEN
"""

import sys

from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, MessageHandler, filters


async def echo(update: Update, context) -> None:
    if update.callback_query:
        await update.callback_query.answer()
        await update.effective_chat.send_message(update.callback_query.data or "ok")
    else:
        await update.effective_chat.send_message(update.effective_message.text or "ok")


def main() -> None:
    base_url, token = sys.argv[1], sys.argv[2]
    app = ApplicationBuilder().token(token).base_url(base_url).build()
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.add_handler(CallbackQueryHandler(echo))
    app.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
