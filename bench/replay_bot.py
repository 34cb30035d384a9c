"""The replay floor: a bare PTB bot (our update processor, no database, no conversation, no
persistence) that answers each update of a report with exactly the Bot API calls the real bot made
for that step when bench_report.py recorded one report: the same methods, texts and keyboards, with
only the chat, message and callback ids put right (notices to other chats are left out, see
Replay.__call__). Against it, /report's ratio is the cost of our own work alone; against
floor_bot.py it also includes our bigger messages and extra calls.

    python bench/replay_bot.py http://127.0.0.1:PORT/bot TOKEN SCRIPT.json RECORDED_CHAT_ID
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from floor_bot import run_bare
from telegram import Message, Update
from telegram.error import TelegramError

RETURNS_MESSAGE = {"sendMessage", "editMessageText", "editMessageReplyMarkup"}


class Replay:
    def __init__(self, script: list[list[dict]], recorded_chat: int):
        self.script, self.recorded_chat = script, recorded_chat
        self.chats: dict[int, dict] = {}  # chat id → step, recorded → replayed message ids, last query id
        self.made = self.refused = 0

    async def __call__(self, update: Update, context) -> None:
        chat_id = update.effective_chat.id
        chat = self.chats.setdefault(chat_id, {"step": 0, "ids": {}, "query": None})
        if update.callback_query is not None:
            chat["query"] = update.callback_query.id
        action = self.script[chat["step"] % len(self.script)]
        chat["step"] += 1
        for call in action:
            if int(call["fields"].get("chat_id", self.recorded_chat)) != self.recorded_chat:
                # A notice to someone else (the case desk, in working hours): the bot's outbox paces
                # those at Telegram's one message a second per chat, so nearly all of them leave after
                # the timed part; replayed at once they would make the floor do more than the bot.
                continue
            kwargs = {key: self._value(key, value, chat, chat_id) for key, value in call["fields"].items()}
            try:
                result = await context.bot.do_api_request(
                    call["method"], api_kwargs=kwargs,
                    return_type=Message if call["method"] in RETURNS_MESSAGE else None)
            except TelegramError:  # an id the recording had and this chat has not: the call was made all the same
                self.refused += 1
                continue
            self.made += 1
            if call["method"] == "sendMessage" and call["message_id"] is not None:
                chat["ids"][call["message_id"]] = result.message_id

    def _value(self, key: str, value: str, chat: dict, chat_id: int):
        if key == "chat_id":
            return chat_id
        if key == "message_id":
            return chat["ids"].get(int(value), int(value))
        if key == "callback_query_id":
            return chat["query"] or value
        return json.loads(value) if value[:1] in "{[" else value


def main() -> None:
    base_url, token, script_path, recorded_chat = sys.argv[1:5]
    replay = Replay(json.loads(Path(script_path).read_text()), int(recorded_chat))
    run_bare(base_url, token, replay, replay)
    print(f"replay: {replay.made} calls answered, {replay.refused} refused", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
