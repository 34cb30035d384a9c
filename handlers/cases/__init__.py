"""The case card (/case, and the 查看事项 button on every notification), its actions, /mycases and /search.

card.py renders the card and dispatches its one-press buttons (buttons.py); actions.py is the conversation
for the steps where a person types; lists.py has /mycases and /search.
"""

from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callbacks import MyCases, SearchPage, any_of
from handlers.cases.actions import build_case_action_conversation
from handlers.cases.buttons import BUTTONS
from handlers.cases.card import card_keyboard, case_command, one_press, render_card
from handlers.cases.lists import mycases_button, mycases_command, search_button, search_command

__all__ = ["card_keyboard", "handlers", "render_card"]  # the card, as 包案 and the tests show it


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state (its conversations
    and timeout jobs), and each Application (a restart builds a new one) needs its own."""
    return [
        build_case_action_conversation(),
        CommandHandler("case", case_command),
        CommandHandler("search", search_command, has_args=True),
        CommandHandler("mycases", mycases_command),
        CallbackQueryHandler(one_press(BUTTONS), pattern=any_of(*BUTTONS)),
        CallbackQueryHandler(mycases_button, pattern=MyCases.pattern()),
        CallbackQueryHandler(search_button, pattern=SearchPage.pattern()),
    ]
