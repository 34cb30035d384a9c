"""A local Telegram Bot API emulator with a scriptable user side (see SPEC.md)."""

from .emulator import Emulator
from .server import EmulatorServer, serve
from .state import BotApiError, Call, CallbackAnswer, Fault, StoredMessage
from .user import EmulatedUser

__all__ = [
    "BotApiError",
    "Call",
    "CallbackAnswer",
    "EmulatedUser",
    "Emulator",
    "EmulatorServer",
    "Fault",
    "StoredMessage",
    "serve",
]
