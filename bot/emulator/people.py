"""The people's side over HTTP: JSON and server-sent events for a chat page (the training sandbox).

A thin layer over `EmulatedUser` and the `World`, so a person in a browser does exactly what a
test does in Python: send texts, commands, contacts, locations, photos, documents, voice messages,
videos and stickers, press inline buttons, and read the bot's messages — with their formatting
rendered to safe HTML (formatting.render_html), their buttons, the chat's reply keyboard and
downloadable files.

Routes (all under /people/api):
  GET  /users                               people in the emulated world (not the bot)
  POST /users                               {first_name, last_name?} → a new Telegram user
  GET  /users/{uid}/chat?chat_id=           the chat as the person sees it: messages, keyboard, menu
  POST /users/{uid}/send                    JSON {kind: text|contact|location|sticker, …} or a multipart
                                            form {kind: photo|document|voice|video, file, caption}
  POST /users/{uid}/press                   {message_id, row, col, text?, chat_id?} → callback query id
  GET  /callbacks/{id}?wait=seconds         the bot's answer to a press (toast / alert)
  GET  /files/{file_id}[?download=1]        a file's bytes (documents always as a download)
  GET  /events?since=seq                    text/event-stream: message, answer and reset events
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import mimetypes
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from .formatting import detect_entities, render_html
from .state import CallbackQueryRecord, ChatRecord, StoredMessage, UserRecord, World

if TYPE_CHECKING:
    from .emulator import Emulator
    from .user import EmulatedUser

PREFIX = "/people/api"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
KEEPALIVE_SECONDS = 15.0
NEW_USER_IDS_FROM = 900_001
_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF8", "image/gif"),
    (b"RIFF", "image/webp"),
)


class PeopleApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message}, status_code=status)


# --- what a person sees, as JSON ----------------------------------------------------------------


def user_json(user: UserRecord) -> dict[str, Any]:
    return {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "username": user.username,
        "name": " ".join(p for p in (user.first_name, user.last_name) if p),
    }


def keyboard_json(chat: ChatRecord) -> dict[str, Any] | None:
    """The reply keyboard currently shown under the chat's input field, if any."""
    markup = chat.reply_keyboard
    if not markup:
        return None
    rows = []
    for row in markup.get("keyboard", []):
        buttons = []
        for button in row:
            if isinstance(button, str):
                button = {"text": button}
            buttons.append(
                {
                    "text": str(button.get("text", "")),
                    "request_contact": bool(button.get("request_contact")),
                    "request_location": bool(button.get("request_location")),
                }
            )
        rows.append(buttons)
    return {
        "rows": rows,
        "placeholder": markup.get("input_field_placeholder"),
        "one_time": bool(markup.get("one_time_keyboard")),
    }


def _inline_buttons(message: StoredMessage) -> list[list[dict[str, Any]]]:
    markup = message.current.inline_markup
    if markup is None:
        return []
    rows = []
    for r, row in enumerate(markup["inline_keyboard"]):
        buttons = []
        for c, button in enumerate(row):
            entry: dict[str, Any] = {"text": button.get("text", ""), "row": r, "col": c}
            if "callback_data" in button:
                entry["type"] = "callback"
            elif "url" in button:
                entry["type"] = "url"
                entry["url"] = button["url"]
            else:
                entry["type"] = "other"  # login, web app, inline query…: not available here
            buttons.append(entry)
        rows.append(buttons)
    return rows


def file_url(file_id: str) -> str:
    return f"{PREFIX}/files/{quote(file_id)}"


def message_json(message: StoredMessage) -> dict[str, Any]:
    current = message.current
    data: dict[str, Any] = {
        "seq": message.seq,
        "chat_id": message.chat.id,
        "message_id": message.message_id,
        "date": message.date,
        "edit_date": current.edit_date,
        "edited": len(message.versions) > 1,
        "deleted": message.deleted,
        "from_bot": message.from_bot,
        "sender": user_json(message.sender),
        "kind": message.kind,
        "text": current.plain_text or "",
        "html": render_html(current.plain_text, detect_entities(current.plain_text, current.entities)),
        "buttons": _inline_buttons(message),
        "keyboard": keyboard_json(message.chat),
    }
    if message.file is not None:
        stored = message.file
        data["file"] = {
            "file_id": stored.file_id,
            "name": stored.file_name,
            "mime_type": stored.mime_type,
            "size": len(stored.data),
            "width": stored.width,
            "height": stored.height,
            "duration": stored.duration,
            "emoji": stored.emoji,
            "url": file_url(stored.file_id),
        }
    if message.payload is not None:
        data[message.kind] = dict(message.payload)
    if message.reply_to is not None:
        quoted = message.reply_to.current.plain_text or ""
        data["reply_to"] = {"message_id": message.reply_to.message_id, "text": quoted[:80]}
    return data


def answer_json(query: CallbackQueryRecord) -> dict[str, Any]:
    answer = query.answer
    return {
        "id": query.id,
        "user_id": query.user.id,
        "chat_id": query.message.chat.id,
        "message_id": query.message.message_id,
        "text": answer.text if answer else None,
        "show_alert": answer.show_alert if answer else False,
        "url": answer.url if answer else None,
    }


def commands_for(world: World, user: UserRecord, chat: ChatRecord) -> list[dict[str, str]]:
    """The command menu a client would show in this chat (most specific scope first)."""
    from .state import scope_key

    kind = "all_private_chats" if chat.type == "private" else "all_group_chats"
    scopes = [{"type": "chat", "chat_id": chat.id}, {"type": kind}, {"type": "default"}]
    languages = [user.language_code or "", ""]
    for scope in scopes:
        for language in dict.fromkeys(languages):
            commands = world.get_commands(scope_key(scope), language)
            if commands:
                return commands
    return []


# --- the routes ---------------------------------------------------------------------------------


class PeopleApi:
    def __init__(self, emulator: Emulator):
        self.emulator = emulator
        self.world = emulator.world

    def routes(self) -> list[Route]:
        return [
            Route(f"{PREFIX}/users", self.list_users, methods=["GET"]),
            Route(f"{PREFIX}/users", self.new_user, methods=["POST"]),
            Route(f"{PREFIX}/users/{{uid:int}}/chat", self.chat, methods=["GET"]),
            Route(f"{PREFIX}/users/{{uid:int}}/send", self.send, methods=["POST"]),
            Route(f"{PREFIX}/users/{{uid:int}}/press", self.press, methods=["POST"]),
            Route(f"{PREFIX}/callbacks/{{query_id}}", self.callback, methods=["GET"]),
            Route(f"{PREFIX}/files/{{file_id}}", self.file, methods=["GET"]),
            Route(f"{PREFIX}/events", self.events, methods=["GET"]),
        ]

    # helpers (every handler is async: the world lives in the event loop's thread)

    def _user(self, request: Request) -> EmulatedUser:
        uid = request.path_params["uid"]
        if uid not in self.world.users or uid == self.world.bot.id:
            raise PeopleApiError(404, "没有这个用户")
        return self.emulator.user(uid)

    def _chat(self, user: EmulatedUser, chat_id: Any) -> ChatRecord:
        if chat_id in (None, ""):
            return self.world.chat_for_user(user.record)
        try:
            chat_id = int(chat_id)
        except (TypeError, ValueError):
            raise PeopleApiError(400, "chat_id 应为数字") from None
        chat = self.world.chats.get(chat_id)
        if chat_id == user.id or (chat is not None and chat.type != "private" and user.id in chat.member_ids):
            return self.world.chat_for_user(user.record, chat_id)
        raise PeopleApiError(404, "没有这个聊天")

    @staticmethod
    async def _json(request: Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            raise PeopleApiError(400, "请求体应为 JSON") from None
        if not isinstance(body, dict):
            raise PeopleApiError(400, "请求体应为 JSON 对象")
        return body

    async def _guard(self, handler, request: Request) -> Response:
        try:
            return await handler(request)
        except PeopleApiError as exc:
            return _error(exc.status, exc.message)
        except (LookupError, ValueError, RuntimeError) as exc:
            return _error(409, str(exc))

    # endpoints

    async def list_users(self, request: Request) -> Response:
        """Everyone, each with the sequence numbers of the bot's messages in their private chat
        (a page counts the unread ones against what it has shown)."""
        users = []
        for user in self.world.users.values():
            if user.is_bot:
                continue
            seqs = [m.seq for m in self.world.chat_messages(user.id) if m.from_bot and not m.deleted]
            users.append({**user_json(user), "bot_seqs": seqs})
        return JSONResponse(
            {"ok": True, "users": users, "bot": user_json(self.world.bot), "seq": self.world.seq,
             "generation": self.world.generation}
        )

    async def new_user(self, request: Request) -> Response:
        async def work(request: Request) -> Response:
            body = await self._json(request)
            first_name = str(body.get("first_name") or "").strip()[:64]
            if not first_name:
                raise PeopleApiError(400, "请填写名字")
            last_name = str(body.get("last_name") or "").strip()[:64] or None
            uid = max([NEW_USER_IDS_FROM - 1, *self.world.users]) + 1
            user = self.emulator.user(uid, first_name, last_name)
            self.world.chat_for_user(user.record)
            return JSONResponse({"ok": True, "user": user_json(user.record)})

        return await self._guard(work, request)

    async def chat(self, request: Request) -> Response:
        async def work(request: Request) -> Response:
            user = self._user(request)
            chat = self._chat(user, request.query_params.get("chat_id"))
            messages = [message_json(m) for m in self.world.chat_messages(chat.id) if not m.deleted]
            return JSONResponse(
                {
                    "ok": True,
                    "seq": self.world.seq,
                    "generation": self.world.generation,
                    "chat": chat.to_api(),
                    "messages": messages,
                    "keyboard": keyboard_json(chat),
                    "commands": commands_for(self.world, user.record, chat),
                }
            )

        return await self._guard(work, request)

    async def send(self, request: Request) -> Response:
        async def work(request: Request) -> Response:
            user = self._user(request)
            if user.blocked:
                raise PeopleApiError(409, "该用户已屏蔽机器人")
            if request.headers.get("content-type", "").startswith("multipart/form-data"):
                sent = await self._send_file(user, request)
            else:
                sent = await self._send_json(user, await self._json(request))
            message = self.world.message(sent["chat"]["id"], sent["message_id"])
            return JSONResponse({"ok": True, "message": message_json(message)})

        return await self._guard(work, request)

    async def _send_json(self, user: EmulatedUser, body: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(user, body.get("chat_id"))
        kind = body.get("kind", "text")
        if kind == "text":
            text = str(body.get("text") or "")
            if not text.strip():
                raise PeopleApiError(400, "消息不能为空")
            if len(text) > 4096:
                raise PeopleApiError(400, "消息太长（最多 4096 字）")
            reply_to = body.get("reply_to")
            return await user.send_text(text, chat_id=chat.id, reply_to=int(reply_to) if reply_to else None)
        if kind == "contact":
            phone = str(body.get("phone_number") or "").strip()
            if not phone:
                raise PeopleApiError(400, "缺少手机号")
            return await user.send_contact(phone, chat_id=chat.id)
        if kind == "location":
            try:
                latitude, longitude = float(body["latitude"]), float(body["longitude"])
            except (KeyError, TypeError, ValueError):
                raise PeopleApiError(400, "位置应有经纬度") from None
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise PeopleApiError(400, "经纬度超出范围")
            return await user.send_location(latitude, longitude, chat_id=chat.id)
        if kind == "sticker":
            return await user.send_sticker(chat_id=chat.id)
        raise PeopleApiError(400, f"不支持的消息类型 {kind}")

    async def _send_file(self, user: EmulatedUser, request: Request) -> dict[str, Any]:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_UPLOAD_BYTES:
            raise PeopleApiError(413, "文件太大（最多 20 MB）")
        async with request.form(max_files=1, max_fields=10) as form:
            kind = str(form.get("kind") or "document")
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise PeopleApiError(400, "请选择文件")
            data = await upload.read(MAX_UPLOAD_BYTES + 1)
            caption = str(form.get("caption") or "") or None
            chat = self._chat(user, form.get("chat_id"))
            filename = (upload.filename or "文件").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:128]
            mime = upload.content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        if len(data) > MAX_UPLOAD_BYTES:
            raise PeopleApiError(413, "文件太大（最多 20 MB）")
        if not data:
            raise PeopleApiError(400, "文件是空的")
        if kind == "photo":
            return await user.send_photo(data, caption=caption, chat_id=chat.id)
        if kind == "document":
            return await user.send_document(data, filename=filename, mime_type=mime, caption=caption,
                                            chat_id=chat.id)
        # A voice message or a video keeps the picked file's own type; anything else is refused
        # rather than passed to the bot under a false label.
        if kind == "voice":
            if not mime.startswith("audio/"):
                raise PeopleApiError(400, "语音请选择音频文件")
            return await user.send_voice(data, mime_type=mime, chat_id=chat.id)
        if kind == "video":
            if not mime.startswith("video/"):
                raise PeopleApiError(400, "视频请选择视频文件")
            return await user.send_video(data, caption=caption, mime_type=mime, chat_id=chat.id)
        raise PeopleApiError(400, f"不支持的文件类型 {kind}")

    async def press(self, request: Request) -> Response:
        async def work(request: Request) -> Response:
            user = self._user(request)
            body = await self._json(request)
            chat = self._chat(user, body.get("chat_id"))
            try:
                message_id, row, col = int(body["message_id"]), int(body["row"]), int(body["col"])
            except (KeyError, TypeError, ValueError):
                raise PeopleApiError(400, "需要 message_id、row、col") from None
            message = self.world.message(chat.id, message_id)
            if message is None or message.deleted or not message.from_bot:
                raise PeopleApiError(404, "这条消息已不存在")
            markup = message.current.inline_markup
            rows = markup["inline_keyboard"] if markup else []
            if not (0 <= row < len(rows) and 0 <= col < len(rows[row])):
                raise PeopleApiError(409, "按钮已更新，请看最新的消息")
            button = rows[row][col]
            expected = body.get("text")
            if expected is not None and button.get("text") != expected:
                raise PeopleApiError(409, "按钮已更新，请看最新的消息")
            if "url" in button:
                return JSONResponse({"ok": True, "url": button["url"]})
            if "callback_data" not in button:
                raise PeopleApiError(409, "这个按钮在模拟器里不可用")
            query_id = await user.press(message, data=button["callback_data"], chat_id=chat.id)
            return JSONResponse({"ok": True, "callback_query_id": query_id})

        return await self._guard(work, request)

    async def callback(self, request: Request) -> Response:
        query = self.world.callback_queries.get(request.path_params["query_id"])
        if query is None:
            return _error(404, "没有这次按键")
        try:
            wait = min(max(float(request.query_params.get("wait", 0)), 0.0), 30.0)
        except ValueError:
            wait = 0.0
        if query.answer is None and wait:
            with contextlib.suppress(TimeoutError):
                await self.world.wait_until(lambda: query.answer, wait)
        return JSONResponse({"ok": True, "answered": query.answer is not None, "answer": answer_json(query)})

    async def file(self, request: Request) -> Response:
        stored = self.world.files.get(request.path_params["file_id"])
        if stored is None:
            return _error(404, "文件不存在（沙盒重置后旧文件会被清除）")
        headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"}
        # Only pictures (recognised by their bytes) and sound/video show inline; anything else —
        # a document, an HTML or SVG file — is a download, so nothing a chat carries can run here.
        media_type = stored.mime_type or "application/octet-stream"
        if stored.kind in ("photo", "sticker"):
            sniffed = next((t for magic, t in _IMAGE_MAGIC if stored.data.startswith(magic)), None)
            media_type, inline = sniffed or "application/octet-stream", sniffed is not None
        else:
            inline = stored.kind in ("voice", "video", "audio") and media_type.startswith(("audio/", "video/"))
        attach = not inline or bool(request.query_params.get("download"))
        if attach:
            name = stored.file_name or stored.file_path.rsplit("/", 1)[-1]
            ascii_name = "".join(ch for ch in name if 32 <= ord(ch) < 127 and ch not in '"\\') or "file"
            headers["Content-Disposition"] = (
                f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
            )
        return Response(stored.data, media_type=media_type, headers=headers)

    async def events(self, request: Request) -> Response:
        """Server-sent events: every message change (with the chat's keyboard), every answer to a
        press, and a reset. `since` (or Last-Event-ID on reconnect) skips what the page has."""
        since_text = request.headers.get("last-event-id") or request.query_params.get("since") or ""
        since = int(since_text) if since_text.lstrip("-").isdigit() else self.world.seq
        # A mark from the future comes from an earlier emulator (the process restarted): start afresh.
        generation = self.world.generation if since <= self.world.seq else -1
        answers_seen = len(self.world.answered)

        async def stream() -> AsyncIterator[str]:
            nonlocal since, generation, answers_seen
            yield "retry: 1000\n\n"
            while True:
                change = self.world.changed.next_change()
                if self.world.generation != generation:
                    generation, since, answers_seen = self.world.generation, self.world.seq, 0
                    yield _sse("reset", {"generation": generation}, since)
                for message in self.world.changed_since(since):
                    since = max(since, message.seq)
                    yield _sse("message", message_json(message), since)
                answered = self.world.answered
                for query in answered[answers_seen:]:
                    yield _sse("answer", answer_json(query))
                answers_seen = len(answered)
                try:
                    async with asyncio.timeout(KEEPALIVE_SECONDS):
                        await change.wait()
                except TimeoutError:
                    yield ": keep-alive\n\n"

        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


def _sse(event: str, data: dict[str, Any], event_id: int | None = None) -> str:
    lines = [f"event: {event}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append("data: " + json.dumps(data, ensure_ascii=False))
    return "\n".join(lines) + "\n\n"
