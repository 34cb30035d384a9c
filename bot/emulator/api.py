"""The Bot API over HTTP: a Starlette app translating requests into `World` operations.

Argument handling follows Telegram: parameters may come from the query string, a JSON body, a
urlencoded form or multipart form data; in forms every value is a string and objects such as
`reply_markup` are JSON-encoded strings, so each parameter is coerced by its (API-wide) type.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .formatting import EntityParseError, FormattedText, format_text
from .state import (
    CAPTIONED_KINDS,
    MAX_DOWNLOAD_SIZE,
    BotApiError,
    Call,
    ChatRecord,
    MessageVersion,
    StoredFile,
    StoredMessage,
    World,
    bad_request,
    edited,
    scope_key,
)

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_COMMANDS = 100

_INT_PARAMS = frozenset(
    {
        "offset",
        "limit",
        "message_id",
        "reply_to_message_id",
        "message_thread_id",
        "user_id",
        "duration",
        "width",
        "height",
        "cache_time",
        "live_period",
        "heading",
        "proximity_alert_radius",
    }
)
# getUpdates' timeout is an Integer in Telegram; fractions are accepted here for fast tests.
_FLOAT_PARAMS = frozenset({"latitude", "longitude", "horizontal_accuracy", "timeout"})
_BOOL_PARAMS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "has_spoiler",
        "supports_streaming",
        "disable_content_type_detection",
        "show_caption_above_media",
        "allow_paid_broadcast",
    }
)
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "reply_parameters",
        "link_preview_options",
        "scope",
        "commands",
        "allowed_updates",
        "menu_button",
    }
)
_INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)

Params = dict[str, Any]
Handler = Callable[[Params], Any]


@dataclass(frozen=True)
class Upload:
    """A file sent as a multipart part."""

    data: bytes
    filename: str | None
    content_type: str | None

    def __repr__(self) -> str:
        return f"Upload({self.filename!r}, {len(self.data)} bytes)"


class _ClientGone(Exception):
    """The HTTP client hung up while its request was still waiting."""


def create_app(world: World, extra_routes: list[BaseRoute] | None = None) -> Starlette:
    """The Bot API, plus `extra_routes` (the people's side, see people.py) on the same app."""
    api = BotApi(world)
    return Starlette(
        routes=[
            Route("/bot{token}/{method}", api.handle, methods=["GET", "POST"]),
            Route("/file/bot{token}/{file_path:path}", api.download, methods=["GET"]),
            *(extra_routes or []),
        ]
    )


def _error_response(error: BotApiError) -> JSONResponse:
    return JSONResponse(error.to_api(), status_code=error.error_code)


# --- argument parsing ---------------------------------------------------------------------------


def _coerce(name: str, value: Any) -> Any:
    """Give a parameter its Bot API type; form values all arrive as strings."""
    if isinstance(value, Upload) or value is None:
        return value
    try:
        if name == "chat_id":
            if isinstance(value, str) and value.lstrip("-").isdigit():
                return int(value)
            return value
        if name in _INT_PARAMS:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            return int(value)
        if name in _FLOAT_PARAMS:
            return float(value)
        if name in _BOOL_PARAMS:
            if isinstance(value, str):
                return value.lower() in ("true", "1")
            return bool(value)
        if name in _JSON_PARAMS and isinstance(value, str):
            return json.loads(value)
    except (TypeError, ValueError) as exc:
        raise bad_request(f"can't parse {name}") from exc
    return value


async def read_params(request: Request) -> Params:
    raw: Params = dict(request.query_params)
    uploads: dict[str, Upload] = {}
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        body = await request.body()
        if body:
            try:
                decoded = json.loads(body)
            except ValueError as exc:
                raise bad_request("can't parse JSON object") from exc
            if not isinstance(decoded, dict):
                raise bad_request("JSON object expected")
            raw.update(decoded)
    elif content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        async with request.form() as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    uploads[key] = Upload(await value.read(), value.filename, value.content_type)
                else:
                    raw[key] = value
    # A value "attach://<part>" refers to a multipart part; other parts are named after their parameter.
    for key, value in list(raw.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            part = value.removeprefix("attach://")
            if part not in uploads:
                raise bad_request(f"file attachment {part!r} not found")
            raw[key] = uploads.pop(part)
    raw.update(uploads)
    return {key: _coerce(key, value) for key, value in raw.items()}


def _require(params: Params, name: str) -> Any:
    value = params.get(name)
    if value is None or value == "":
        raise bad_request(f"{name} is empty")
    return value


def check_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Validate reply_markup the way Telegram does before sending anything."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        for button in (button for row in rows for button in row):
            if not isinstance(button, dict) or not button.get("text"):
                raise bad_request("BUTTON_TEXT_INVALID")
            if not any(action in button for action in _INLINE_BUTTON_ACTIONS):
                raise bad_request("text buttons are unallowed in the inline keyboard")
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                    raise bad_request("BUTTON_DATA_INVALID")
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
    elif not (markup.get("remove_keyboard") or markup.get("force_reply")):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _formatted(text: str, parse_mode: Any, entities: Any) -> FormattedText:
    try:
        return format_text(text, parse_mode, entities)
    except EntityParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from exc
    except ValueError as exc:
        raise bad_request("unsupported parse_mode") from exc


async def _disconnected(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def _unless_disconnected(request: Request, awaitable: Awaitable[Any]) -> Any:
    """Await a long-running result but give up when the client hangs up.

    Over real HTTP a cancelled long poll otherwise keeps waiting server-side until its timeout,
    which also holds up a graceful server shutdown.
    """
    work = asyncio.ensure_future(awaitable)
    watcher = asyncio.ensure_future(_disconnected(request))
    try:
        done, _ = await asyncio.wait({work, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
        if not work.done():
            work.cancel()
    if work not in done:
        raise _ClientGone
    return work.result()


# --- the methods --------------------------------------------------------------------------------


class BotApi:
    def __init__(self, world: World):
        self.world = world
        methods: list[tuple[str, Handler]] = [
            ("getMe", self.get_me),
            ("logOut", self.ok),
            ("close", self.ok),
            ("setWebhook", self.set_webhook),
            ("deleteWebhook", self.delete_webhook),
            ("getWebhookInfo", self.get_webhook_info),
            ("getUpdates", self.get_updates),
            ("sendMessage", self.send_message),
            ("sendPhoto", lambda p: self.send_media("photo", p)),
            ("sendDocument", lambda p: self.send_media("document", p)),
            ("sendVoice", lambda p: self.send_media("voice", p)),
            ("sendVideo", lambda p: self.send_media("video", p)),
            ("sendAudio", lambda p: self.send_media("audio", p)),
            ("sendLocation", self.send_location),
            ("sendContact", self.send_contact),
            ("sendChatAction", self.send_chat_action),
            ("editMessageText", self.edit_message_text),
            ("editMessageCaption", self.edit_message_caption),
            ("editMessageReplyMarkup", self.edit_message_reply_markup),
            ("deleteMessage", self.delete_message),
            ("answerCallbackQuery", self.answer_callback_query),
            ("getFile", self.get_file),
            ("setMyCommands", self.set_my_commands),
            ("getMyCommands", self.get_my_commands),
            ("deleteMyCommands", self.delete_my_commands),
            ("getChat", self.get_chat),
            ("getChatMember", self.get_chat_member),
            ("setChatMenuButton", self.set_chat_menu_button),
            ("getChatMenuButton", self.get_chat_menu_button),
        ]
        # Telegram method names are case-insensitive.
        self.methods: dict[str, tuple[str, Handler]] = {name.lower(): (name, fn) for name, fn in methods}

    # HTTP endpoints

    async def handle(self, request: Request) -> Response:
        if request.path_params["token"] != self.world.token:
            return _error_response(BotApiError(401, "Unauthorized"))
        entry = self.methods.get(request.path_params["method"].lower())
        if entry is None:
            return _error_response(BotApiError(404, "Not Found: method not found"))
        name, handler = entry
        try:
            params = await read_params(request)
        except BotApiError as exc:
            return _error_response(exc)
        except ClientDisconnect:  # the client gave up (e.g. a bot shutting down mid-request)
            return Response(status_code=204)
        call = Call(name, params)
        self.world.calls.append(call)
        try:
            fault = self.world.faults.take(name, params)
            if fault is not None:
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                if (error := fault.error()) is not None:
                    raise error  # a failed call must not perform its action
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await _unless_disconnected(request, result)
        except BotApiError as exc:
            call.status = exc.error_code
            return _error_response(exc)
        except _ClientGone:
            return Response(status_code=204)  # nobody is listening any more
        call.status = 200
        return JSONResponse({"ok": True, "result": result})

    async def download(self, request: Request) -> Response:
        if request.path_params["token"] != self.world.token:
            return _error_response(BotApiError(401, "Unauthorized"))
        stored = self.world.file_by_path(request.path_params["file_path"])
        if stored is None:
            return _error_response(BotApiError(404, "Not Found"))
        return Response(stored.data, media_type=stored.mime_type or "application/octet-stream")

    # helpers

    def _target_chat(self, params: Params) -> ChatRecord:
        return self.world.chat_for_bot(_require(params, "chat_id"), writing=True)

    def _reply_target(self, chat: ChatRecord, params: Params) -> StoredMessage | None:
        reply = params.get("reply_parameters")
        if reply is None and params.get("reply_to_message_id") is not None:
            reply = {"message_id": params["reply_to_message_id"]}
        if not reply:
            return None
        target = self.world.message(chat.id, reply.get("message_id"))
        if target is None or target.deleted:
            if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return target

    def _editable(self, params: Params) -> StoredMessage:
        if params.get("inline_message_id") is not None:
            raise bad_request("inline messages are not supported by the emulator")
        chat = self.world.chat_for_bot(_require(params, "chat_id"), writing=True)
        message = self.world.message(chat.id, params.get("message_id"))
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    @staticmethod
    def _edited_markup(message: StoredMessage, params: Params) -> dict[str, Any] | None:
        """Markup after an edit: an edit without reply_markup removes the inline keyboard."""
        markup = check_reply_markup(params.get("reply_markup"))
        if markup is not None and "inline_keyboard" not in markup:
            raise bad_request("inline keyboard expected")
        if markup is None and message.current.inline_markup is None:
            return message.current.reply_markup  # a reply keyboard belongs to the chat, edits keep it
        return markup

    def _apply_edit(self, message: StoredMessage, version: MessageVersion) -> dict[str, Any]:
        current = message.current
        if (version.plain_text, version.entities, version.inline_markup) == (
            current.plain_text,
            current.entities,
            current.inline_markup,
        ):
            raise bad_request(
                "message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message"
            )
        self.world.edit_message(message, version)
        return message.to_api()

    def _input_file(self, kind: str, params: Params) -> StoredFile:
        value = params.get(kind)
        if isinstance(value, Upload):
            meta: dict[str, Any] = {"mime_type": value.content_type}
            if kind in ("document", "video", "audio"):
                meta["file_name"] = value.filename
            if kind in ("photo", "video"):
                meta["width"], meta["height"] = params.get("width", 800), params.get("height", 600)
            if kind in ("voice", "video", "audio"):
                meta["duration"] = params.get("duration", 0)
            if kind == "photo":
                meta["mime_type"] = None  # PhotoSize has no mime_type
            return self.world.store_file(kind, value.data, **meta)
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {kind} in the request")
        if value.startswith(("http://", "https://")):
            # Telegram would download the URL; the emulator keeps the reference with no content.
            name = value.rstrip("/").rsplit("/", 1)[-1] or None
            return self.world.store_file(kind, b"", file_name=name if kind == "document" else None)
        stored = self.world.files.get(value)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if stored.kind != kind:
            raise bad_request("type of file mismatch")
        return stored

    # methods

    def ok(self, params: Params) -> bool:
        return True

    def get_me(self, params: Params) -> dict[str, Any]:
        return {
            **self.world.bot.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def set_webhook(self, params: Params) -> bool:
        self.world.webhook_url = params.get("url") or ""
        if params.get("drop_pending_updates"):
            self.world.drop_pending_updates()
        return True

    def delete_webhook(self, params: Params) -> bool:
        self.world.webhook_url = ""
        if params.get("drop_pending_updates"):
            self.world.drop_pending_updates()
        return True

    def get_webhook_info(self, params: Params) -> dict[str, Any]:
        return {
            "url": self.world.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.world.pending_updates),
        }

    async def get_updates(self, params: Params) -> list[dict[str, Any]]:
        if self.world.webhook_url:
            raise BotApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        limit = min(max(params.get("limit") or 100, 1), 100)
        timeout = max(params.get("timeout") or 0, 0)
        return await self.world.get_updates(params.get("offset"), limit, timeout)

    def send_message(self, params: Params) -> dict[str, Any]:
        chat = self._target_chat(params)
        text = params.get("text")
        if not text:
            raise bad_request("message text is empty")
        formatted = _formatted(text, params.get("parse_mode"), params.get("entities"))
        if not formatted.text:
            raise bad_request("message text is empty")
        if len(formatted.text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        markup = check_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_target(chat, params)
        version = MessageVersion(text, params.get("parse_mode"), formatted.text, formatted.entities, markup)
        return self.world.add_message(
            chat, self.world.bot, "text", version, reply_to=reply_to, protected=bool(params.get("protect_content"))
        ).to_api()

    def _caption_version(self, params: Params, markup: dict[str, Any] | None) -> MessageVersion:
        caption = params.get("caption") or ""
        formatted = _formatted(caption, params.get("parse_mode"), params.get("caption_entities"))
        if len(formatted.text) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        return MessageVersion(
            caption or None, params.get("parse_mode"), formatted.text or None, formatted.entities, markup
        )

    def send_media(self, kind: str, params: Params) -> dict[str, Any]:
        chat = self._target_chat(params)
        version = self._caption_version(params, check_reply_markup(params.get("reply_markup")))
        reply_to = self._reply_target(chat, params)
        stored = self._input_file(kind, params)
        message = self.world.add_message(
            chat, self.world.bot, kind, version, file=stored, reply_to=reply_to,
            protected=bool(params.get("protect_content")),
        )
        return message.to_api()

    def send_location(self, params: Params) -> dict[str, Any]:
        chat = self._target_chat(params)
        payload = {"latitude": _require(params, "latitude"), "longitude": _require(params, "longitude")}
        if params.get("horizontal_accuracy") is not None:
            payload["horizontal_accuracy"] = params["horizontal_accuracy"]
        return self._send_payload(chat, "location", payload, params)

    def send_contact(self, params: Params) -> dict[str, Any]:
        chat = self._target_chat(params)
        payload = {
            "phone_number": _require(params, "phone_number"),
            "first_name": _require(params, "first_name"),
        }
        for key in ("last_name", "vcard"):
            if params.get(key):
                payload[key] = params[key]
        return self._send_payload(chat, "contact", payload, params)

    def _send_payload(
        self, chat: ChatRecord, kind: str, payload: dict[str, Any], params: Params
    ) -> dict[str, Any]:
        version = MessageVersion(None, reply_markup=check_reply_markup(params.get("reply_markup")))
        reply_to = self._reply_target(chat, params)
        message = self.world.add_message(
            chat, self.world.bot, kind, version, payload=payload, reply_to=reply_to
        )
        return message.to_api()

    def send_chat_action(self, params: Params) -> bool:
        self._target_chat(params)
        _require(params, "action")
        return True

    def edit_message_text(self, params: Params) -> dict[str, Any]:
        message = self._editable(params)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        text = params.get("text")
        if not text:
            raise bad_request("message text is empty")
        formatted = _formatted(text, params.get("parse_mode"), params.get("entities"))
        if not formatted.text:
            raise bad_request("message text is empty")
        if len(formatted.text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        version = edited(
            message.current,
            at=self.world.now(),
            text=text,
            parse_mode=params.get("parse_mode"),
            plain_text=formatted.text,
            entities=formatted.entities,
            reply_markup=self._edited_markup(message, params),
        )
        return self._apply_edit(message, version)

    def edit_message_caption(self, params: Params) -> dict[str, Any]:
        message = self._editable(params)
        if message.kind not in CAPTIONED_KINDS:
            raise bad_request("there is no caption in the message to edit")
        caption = self._caption_version(params, self._edited_markup(message, params))
        return self._apply_edit(message, edited(caption, at=self.world.now()))

    def edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        message = self._editable(params)
        version = edited(message.current, at=self.world.now(), reply_markup=self._edited_markup(message, params))
        return self._apply_edit(message, version)

    def delete_message(self, params: Params) -> bool:
        chat = self.world.chat_for_bot(_require(params, "chat_id"), writing=False)
        message = self.world.message(chat.id, params.get("message_id"))
        if message is None or message.deleted:
            raise bad_request("message to delete not found")
        self.world.delete_message(message)
        return True

    def answer_callback_query(self, params: Params) -> bool:
        self.world.answer_callback_query(
            _require(params, "callback_query_id"),
            params.get("text"),
            bool(params.get("show_alert")),
            params.get("url"),
        )
        return True

    def get_file(self, params: Params) -> dict[str, Any]:
        stored = self.world.files.get(str(_require(params, "file_id")))
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD_SIZE:
            raise bad_request("file is too big")
        return stored.file_api()

    def _scope(self, params: Params) -> tuple[str, str]:
        scope = params.get("scope")
        if scope is not None and not isinstance(scope, dict):
            raise bad_request("can't parse BotCommandScope JSON object")
        if scope and "chat_id" in scope:
            # Scopes naming a chat must name one the bot knows, and are stored under its numeric id.
            chat_id = scope["chat_id"]
            if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
                chat_id = int(chat_id)
            scope = {**scope, "chat_id": self.world.chat_for_bot(chat_id, writing=False).id}
        return scope_key(scope), params.get("language_code") or ""

    def set_my_commands(self, params: Params) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > MAX_COMMANDS:
            raise bad_request("can't parse commands JSON object")
        cleaned = []
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand JSON object")
            name, description = command.get("command"), command.get("description")
            if (
                not isinstance(name, str)
                or not 1 <= len(name) <= 32
                or not all(c.isascii() and (c.islower() or c.isdigit() or c == "_") for c in name)
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        self.world.set_commands(*self._scope(params), cleaned)
        return True

    def get_my_commands(self, params: Params) -> list[dict[str, str]]:
        return self.world.get_commands(*self._scope(params))

    def delete_my_commands(self, params: Params) -> bool:
        self.world.delete_commands(*self._scope(params))
        return True

    def get_chat(self, params: Params) -> dict[str, Any]:
        return self.world.chat_for_bot(_require(params, "chat_id"), writing=False).full_info()

    def get_chat_member(self, params: Params) -> dict[str, Any]:
        chat = self.world.chat_for_bot(_require(params, "chat_id"), writing=False)
        user_id = _require(params, "user_id")
        if user_id == self.world.bot.id:
            return {"status": "member", "user": self.world.bot.to_api()}
        user = self.world.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        status = "member" if user_id in chat.member_ids else "left"
        return {"status": status, "user": user.to_api()}

    def _menu_key(self, params: Params) -> int | None:
        chat_id = params.get("chat_id")
        return None if chat_id is None else self.world.chat_for_bot(chat_id, writing=False).id

    def set_chat_menu_button(self, params: Params) -> bool:
        self.world.menu_buttons[self._menu_key(params)] = params.get("menu_button") or {"type": "default"}
        return True

    def get_chat_menu_button(self, params: Params) -> dict[str, Any]:
        buttons = self.world.menu_buttons
        return buttons.get(self._menu_key(params)) or buttons.get(None) or {"type": "default"}
