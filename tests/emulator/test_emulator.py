"""The Bot API emulator driven by a bare python-telegram-bot Application, plus raw-HTTP checks."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.emulator import Emulator, serve
from bot.emulator.formatting import EntityParseError, format_text

TOKEN = "123456:TEST-TOKEN"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
ALICE = 1001


# --- the echo bot under test ---------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    args = " ".join(context.args or []) or "-"
    name = html.escape(update.effective_user.first_name)
    await update.message.reply_html(f"欢迎，<b>{name}</b>！参数：{html.escape(args)}")


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("确认", callback_data="confirm:1"),
                InlineKeyboardButton("取消", callback_data="cancel"),
            ],
            [InlineKeyboardButton("官网", url="https://example.org")],
        ]
    )
    await update.message.reply_text("请选择：", reply_markup=keyboard)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer(f"已选择 {query.data}", show_alert=query.data == "cancel")
    await query.edit_message_text(f"你选择了 <code>{query.data}</code>", parse_mode=ParseMode.HTML)


async def ask_phone(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    button = KeyboardButton("分享手机号", request_contact=True)
    markup = ReplyKeyboardMarkup([[button]], one_time_keyboard=True, resize_keyboard=True)
    await update.message.reply_text("请分享手机号", reply_markup=markup)


async def on_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    contact = update.message.contact
    whose = "本人" if contact.user_id == update.effective_user.id else f"他人:{contact.first_name}"
    await update.message.reply_text(
        f"收到号码 {contact.phone_number}（{whose}）", reply_markup=ReplyKeyboardRemove()
    )


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    location = update.message.location
    await update.message.reply_text(f"位置 {location.latitude:.2f},{location.longitude:.2f}")


async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    file = await update.message.photo[-1].get_file()
    data = await file.download_as_bytearray()
    digest = hashlib.sha256(data).hexdigest()[:16]
    await update.message.reply_text(f"照片 {len(data)} 字节 {digest} {update.message.caption}")


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    document = update.message.document
    data = await (await document.get_file()).download_as_bytearray()
    await update.message.reply_document(
        document=bytes(data).upper(), filename=f"echo-{document.file_name}", caption=document.mime_type
    )


async def on_voice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    voice = update.message.voice
    await update.message.reply_text(f"语音 {voice.mime_type} {voice.file_size}")


async def on_video(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    video = update.message.video
    await update.message.reply_text(f"视频 {video.width}x{video.height}")


async def on_sticker(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(f"贴纸 {update.message.sticker.emoji}")


async def send_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_photo(PNG, caption="<b>图片说明</b>", parse_mode=ParseMode.HTML)


async def set_commands(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    commands = [BotCommand("start", "开始"), BotCommand("report", "上报事件")]
    await context.bot.set_my_commands(commands, scope=BotCommandScopeChat(update.effective_chat.id))
    await update.message.reply_text("命令已设置")


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(f"帮助：{update.effective_chat.title}")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(update.message.text, do_quote=True)


async def record_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    context.application.bot_data.setdefault("errors", []).append(context.error)


def echo_application(
    base_url: str, base_file_url: str, transport: Callable[[], httpx.AsyncBaseTransport] | None = None
) -> Application:
    def request() -> HTTPXRequest:
        # trust_env=False: a proxy from the environment must not intercept loopback traffic.
        kwargs: dict[str, Any] = {"trust_env": False}
        if transport is not None:
            kwargs["transport"] = transport()
        return HTTPXRequest(httpx_kwargs=kwargs)

    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .request(request())
        .get_updates_request(request())
        .build()
    )
    application.add_handlers(
        [
            CommandHandler("start", start),
            CommandHandler("menu", menu),
            CommandHandler("phone", ask_phone),
            CommandHandler("photo", send_photo),
            CommandHandler("cmds", set_commands),
            CommandHandler("help", help_command),
            CallbackQueryHandler(on_button),
            MessageHandler(filters.CONTACT, on_contact),
            MessageHandler(filters.LOCATION, on_location),
            MessageHandler(filters.PHOTO, on_photo),
            MessageHandler(filters.Document.ALL, on_document),
            MessageHandler(filters.VOICE, on_voice),
            MessageHandler(filters.VIDEO, on_video),
            MessageHandler(filters.Sticker.ALL, on_sticker),
            MessageHandler(filters.TEXT & ~filters.COMMAND, echo),
        ]
    )
    application.add_error_handler(record_error)
    return application


@contextlib.asynccontextmanager
async def running(application: Application) -> AsyncIterator[Application]:
    async with asyncio.timeout(10):
        await application.initialize()
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application
    finally:
        async with asyncio.timeout(10):
            await application.updater.stop()
            await application.stop()
            await application.shutdown()
    assert application.bot_data.get("errors", []) == []


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def emu() -> Emulator:
    return Emulator(TOKEN)


@pytest.fixture
async def bot_app(emu: Emulator) -> AsyncIterator[Application]:
    application = echo_application(
        emu.base_url, emu.base_file_url, transport=lambda: httpx.ASGITransport(app=emu.asgi)
    )
    async with running(application):
        yield application


@pytest.fixture
async def client(emu: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=emu.asgi)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
        yield http


async def call(http: httpx.AsyncClient, method: str, token: str = TOKEN, **params: Any) -> tuple[int, dict]:
    response = await http.post(f"/bot{token}/{method}", json=params)
    return response.status_code, response.json()


async def assert_bad_request(http: httpx.AsyncClient, method: str, description: str, **params: Any) -> None:
    status, body = await call(http, method, **params)
    assert (status, body) == (400, {"ok": False, "error_code": 400, "description": description})


# --- conversations through PTB -------------------------------------------------------------------


async def test_start_command_html_reply_and_echo(emu: Emulator, bot_app: Application) -> None:
    alice = emu.user(ALICE, first_name="张<三>")
    sent = await alice.send_text("/start abc123")
    assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]

    welcome = await alice.wait_for_message()
    assert welcome.plain_text == "欢迎，张<三>！参数：abc123"
    assert welcome.text == "欢迎，<b>张&lt;三&gt;</b>！参数：abc123"
    assert welcome.parse_mode == "HTML"
    assert welcome.entities == ({"type": "bold", "offset": 3, "length": 4},)
    assert (welcome.kind, welcome.chat_id, welcome.message_id) == ("text", ALICE, sent["message_id"] + 1)

    question = await alice.send_text("你好 😀")
    reply = await alice.wait_for_message()
    assert reply.plain_text == "你好 😀"
    assert reply.reply_to is not None and reply.reply_to.message_id == question["message_id"]
    assert [m.plain_text for m in alice.messages()] == [welcome.plain_text, "你好 😀"]
    assert alice.last_message() is reply


async def test_inline_keyboard_callback_edits_and_answers(emu: Emulator, bot_app: Application) -> None:
    alice = emu.user(ALICE)
    await alice.send_text("/menu")
    prompt = await alice.wait_for_message()
    assert prompt.buttons == ["确认", "取消", "官网"]

    query_id = await alice.press(prompt, "确认")
    edited = await alice.wait_for_message()
    assert edited is prompt  # the same message, now showing its latest edit
    assert edited.plain_text == "你选择了 confirm:1"
    assert edited.text == "你选择了 <code>confirm:1</code>"
    assert edited.buttons == []  # editing text without reply_markup drops the inline keyboard
    assert [v.plain_text for v in edited.versions] == ["请选择：", "你选择了 confirm:1"]
    assert len(edited.edits) == 1 and edited.edits[0].edit_date is not None

    answer = await alice.wait_for_callback_answer(query_id)
    assert (answer.text, answer.show_alert) == ("已选择 confirm:1", False)
    with pytest.raises(LookupError, match="no button '取消'"):
        await alice.press(edited, "取消")  # the keyboard is gone

    await alice.send_text("/menu")
    second = await alice.wait_for_message()
    with pytest.raises(ValueError, match="not a callback button"):
        await alice.press(second, "官网")
    cancel_id = await alice.press(second.message_id, data="cancel")
    assert (await alice.wait_for_message()).plain_text == "你选择了 cancel"
    assert alice.callback_answer(cancel_id).show_alert is True

    # A forged press (data no button carries, on a message without keyboard) still reaches the bot.
    forged_id = await alice.press(second, data="confirm:999")
    assert (await alice.wait_for_callback_answer(forged_id)).text == "已选择 confirm:999"


async def test_reply_keyboard_contact_and_removal(emu: Emulator, bot_app: Application) -> None:
    alice = emu.user(ALICE)
    await alice.send_text("/phone")
    prompt = await alice.wait_for_message()
    assert prompt.keyboard == ["分享手机号"]
    assert prompt.reply_markup["keyboard"][0][0]["request_contact"] is True
    assert alice.reply_keyboard() == ["分享手机号"]

    sent = await alice.send_contact("13800138000")
    assert sent["contact"]["user_id"] == ALICE
    reply = await alice.wait_for_message()
    assert reply.plain_text == "收到号码 13800138000（本人）"
    assert alice.reply_keyboard() == []

    sent = await alice.send_contact("13900000000", user_id=None, first_name="别人")
    assert "user_id" not in sent["contact"]
    assert (await alice.wait_for_message()).plain_text == "收到号码 13900000000（他人:别人）"


async def test_location_voice_video_and_sticker(emu: Emulator, bot_app: Application) -> None:
    alice = emu.user(ALICE)
    await alice.send_location(30.27, 120.15)
    assert (await alice.wait_for_message()).plain_text == "位置 30.27,120.15"
    await alice.send_voice(b"OggS-voice", duration=3)
    assert (await alice.wait_for_message()).plain_text == "语音 audio/ogg 10"
    await alice.send_video(b"video", duration=5, width=1280, height=720)
    assert (await alice.wait_for_message()).plain_text == "视频 1280x720"
    await alice.send_sticker(emoji="🎉")
    assert (await alice.wait_for_message()).plain_text == "贴纸 🎉"


async def test_user_photo_downloaded_through_get_file(emu: Emulator, bot_app: Application) -> None:
    alice = emu.user(ALICE)
    payload = bytes(range(256)) * 40
    await alice.send_photo(payload, caption="现场")
    reply = await alice.wait_for_message()
    assert reply.plain_text == f"照片 {len(payload)} 字节 {hashlib.sha256(payload).hexdigest()[:16]} 现场"
    assert [c.method for c in emu.calls_to("getFile")] == ["getFile"]


async def test_document_round_trip(emu: Emulator, bot_app: Application) -> None:
    alice = emu.user(ALICE)
    await alice.send_document(b"hello world", filename="note.txt", mime_type="text/plain")
    reply = await alice.wait_for_message()
    assert reply.kind == "document"
    assert reply.document_bytes() == b"HELLO WORLD"
    assert reply.file.file_name == "echo-note.txt"
    assert reply.caption == "text/plain"


async def test_bot_sends_photo_with_html_caption(emu: Emulator, bot_app: Application) -> None:
    alice = emu.user(ALICE)
    await alice.send_text("/photo")
    photo = await alice.wait_for_message()
    assert (photo.kind, photo.caption, photo.text) == ("photo", "图片说明", "<b>图片说明</b>")
    assert photo.file_bytes() == PNG


async def test_set_my_commands_with_chat_scope(emu: Emulator, bot_app: Application) -> None:
    alice = emu.user(ALICE)
    await alice.send_text("/cmds")
    assert (await alice.wait_for_message()).plain_text == "命令已设置"
    expected = [{"command": "start", "description": "开始"}, {"command": "report", "description": "上报事件"}]
    assert emu.bot_commands(scope={"type": "chat", "chat_id": ALICE}) == expected
    assert emu.bot_commands(scope=BotCommandScopeChat(ALICE)) == expected
    assert emu.bot_commands() == []
    fetched = await bot_app.bot.get_my_commands(scope=BotCommandScopeChat(ALICE))
    assert [(c.command, c.description) for c in fetched] == [("start", "开始"), ("report", "上报事件")]


async def test_group_command_addressed_to_the_bot(emu: Emulator, bot_app: Application) -> None:
    alice = emu.user(ALICE)
    emu.group(-100123, "网格员群", members=[alice])
    await alice.send_text("/help@zongzhi_test_bot", chat_id=-100123)
    reply = await alice.wait_for_message()
    assert (reply.chat_id, reply.plain_text) == (-100123, "帮助：网格员群")
    assert reply.chat.type == "supergroup"
    assert alice.messages() == []  # nothing in the private chat


async def test_bot_errors_surface_as_ptb_exceptions(emu: Emulator, bot_app: Application) -> None:
    alice = emu.user(ALICE)
    await alice.send_text("hi")
    await alice.wait_for_message()
    alice.block_bot()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot_app.bot.send_message(ALICE, "还在吗")
    with pytest.raises(RuntimeError):
        await alice.send_text("blocked users cannot write")
    alice.unblock_bot()
    await bot_app.bot.send_message(ALICE, "还在吗")
    with pytest.raises(BadRequest, match="Chat not found"):  # PTB drops the "Bad Request: " prefix
        await bot_app.bot.send_message(2002, "陌生人")
    emu.faults.add(method="sendMessage", status=429, retry_after=2)
    with pytest.raises(RetryAfter) as raised:
        await bot_app.bot.send_message(ALICE, "限流")
    assert raised.value.retry_after == timedelta(seconds=2)
    assert [m.plain_text for m in alice.messages()] == ["hi", "还在吗"]


# --- the HTTP surface: shapes, validation and errors ---------------------------------------------


async def test_unauthorized_and_unknown_method(client: httpx.AsyncClient) -> None:
    status, body = await call(client, "getMe")
    assert (
        status == 200 and body["result"]["username"] == "zongzhi_test_bot" and body["result"]["id"] == 123456
    )
    assert await call(client, "GETME") == (200, body)  # method names are case-insensitive
    assert await call(client, "getMe", token="123456:WRONG") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert await call(client, "sendTelepathy") == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )


async def test_send_message_validation(emu: Emulator, client: httpx.AsyncClient) -> None:
    alice = emu.user(ALICE)
    emu.user(2002)  # known to the emulator but never wrote to the bot
    await alice.send_text("/start")

    await assert_bad_request(client, "sendMessage", "Bad Request: chat not found", chat_id=2002, text="x")
    await assert_bad_request(
        client, "sendMessage", "Bad Request: message text is empty", chat_id=ALICE, text="  "
    )
    await assert_bad_request(
        client, "sendMessage", "Bad Request: message is too long", chat_id=ALICE, text="长" * 4097
    )
    status, _ = await call(client, "sendMessage", chat_id=ALICE, text="长" * 4096)
    assert status == 200
    # The limit applies after entity parsing: markup does not count.
    status, _ = await call(
        client, "sendMessage", chat_id=ALICE, text=f"<b>{'x' * 4096}</b>", parse_mode="HTML"
    )
    assert status == 200

    for text, detail in [
        ("a <foo>b</foo>", 'Unsupported start tag "foo" at byte offset 2'),
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("R&D", "Character '&' at byte offset 1 must be escaped as \"&amp;\""),
    ]:
        await assert_bad_request(
            client,
            "sendMessage",
            f"Bad Request: can't parse entities: {detail}",
            chat_id=ALICE,
            text=text,
            parse_mode="HTML",
        )

    ok_data = "x" * 64
    markup = {"inline_keyboard": [[{"text": "ok", "callback_data": ok_data}]]}
    status, body = await call(client, "sendMessage", chat_id=ALICE, text="按钮", reply_markup=markup)
    assert status == 200 and body["result"]["reply_markup"] == markup
    for too_long in ("x" * 65, "确" * 22):  # the limit is 64 bytes of UTF-8, not characters
        markup = {"inline_keyboard": [[{"text": "ok", "callback_data": too_long}]]}
        await assert_bad_request(
            client,
            "sendMessage",
            "Bad Request: BUTTON_DATA_INVALID",
            chat_id=ALICE,
            text="按钮",
            reply_markup=markup,
        )

    alice.block_bot()
    status, body = await call(client, "sendMessage", chat_id=ALICE, text="x")
    assert (status, body) == (
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
    )
    # Nothing that failed was delivered.
    assert [m.plain_text for m in alice.messages()] == ["长" * 4096, "x" * 4096, "按钮"]


async def test_form_encoded_and_markdown(emu: Emulator, client: httpx.AsyncClient) -> None:
    alice = emu.user(ALICE)
    await alice.send_text("hi")
    form = {"chat_id": str(ALICE), "text": "*粗体* 和 _斜体_ 1\\.5", "parse_mode": "MarkdownV2"}
    response = await client.post(f"/bot{TOKEN}/sendMessage", data=form)
    result = response.json()["result"]
    assert result["text"] == "粗体 和 斜体 1.5"
    assert result["entities"] == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "italic", "offset": 5, "length": 2},
    ]
    response = await client.post(f"/bot{TOKEN}/sendMessage", data={**form, "text": "价格 1.5 元"})
    assert response.json()["description"].startswith(
        "Bad Request: can't parse entities: Character '.' is reserved"
    )


async def test_edit_delete_and_callback_errors(emu: Emulator, client: httpx.AsyncClient) -> None:
    alice = emu.user(ALICE)
    await alice.send_text("hi")
    markup = {"inline_keyboard": [[{"text": "好", "callback_data": "ok"}]]}
    _, body = await call(
        client, "sendMessage", chat_id=ALICE, text="<b>原文</b>", parse_mode="HTML", reply_markup=markup
    )
    message_id = body["result"]["message_id"]

    not_modified = (
        "Bad Request: message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"
    )
    await assert_bad_request(
        client,
        "editMessageText",
        not_modified,
        chat_id=ALICE,
        message_id=message_id,
        text="<b>原文</b>",
        parse_mode="HTML",
        reply_markup=markup,
    )
    await assert_bad_request(
        client,
        "editMessageText",
        "Bad Request: message to edit not found",
        chat_id=ALICE,
        message_id=999,
        text="x",
    )
    status, body = await call(client, "editMessageReplyMarkup", chat_id=ALICE, message_id=message_id)
    assert status == 200 and "reply_markup" not in body["result"] and body["result"]["edit_date"] > 0
    await assert_bad_request(
        client, "editMessageReplyMarkup", not_modified, chat_id=ALICE, message_id=message_id
    )
    stored = alice.last_message()
    assert (
        stored.plain_text == "原文" and len(stored.edits) == 1 and stored.versions[0].reply_markup == markup
    )

    await assert_bad_request(
        client,
        "answerCallbackQuery",
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
        callback_query_id="nope",
    )
    await assert_bad_request(client, "getFile", "Bad Request: invalid file_id", file_id="nope")

    assert await call(client, "deleteMessage", chat_id=ALICE, message_id=message_id) == (
        200,
        {"ok": True, "result": True},
    )
    await assert_bad_request(
        client,
        "deleteMessage",
        "Bad Request: message to delete not found",
        chat_id=ALICE,
        message_id=message_id,
    )
    assert alice.messages() == [] and alice.messages(include_deleted=True)[0].deleted


async def test_multipart_attach_upload_and_file_download(emu: Emulator, client: httpx.AsyncClient) -> None:
    alice = emu.user(ALICE)
    await alice.send_text("hi")
    response = await client.post(
        f"/bot{TOKEN}/sendDocument",
        data={"chat_id": str(ALICE), "document": "attach://part1", "caption": "表格"},
        files={"part1": ("台账.xlsx", b"PK\x03\x04data", "application/vnd.ms-excel")},
    )
    document = response.json()["result"]["document"]
    assert document["file_name"] == "台账.xlsx" and document["mime_type"] == "application/vnd.ms-excel"

    _, body = await call(client, "getFile", file_id=document["file_id"])
    file_path = body["result"]["file_path"]
    assert (await client.get(f"/file/bot{TOKEN}/{file_path}")).content == b"PK\x03\x04data"
    assert (await client.get(f"/file/bot123456:WRONG/{file_path}")).status_code == 401
    assert (await client.get(f"/file/bot{TOKEN}/documents/missing")).status_code == 404

    # Re-sending by file_id stores no new file.
    _, body = await call(client, "sendDocument", chat_id=ALICE, document=document["file_id"])
    assert body["result"]["document"]["file_id"] == document["file_id"]
    assert alice.last_message().document_bytes() == b"PK\x03\x04data"


async def test_chat_info_menu_button_and_webhook(emu: Emulator, client: httpx.AsyncClient) -> None:
    alice = emu.user(ALICE, first_name="张三", username="zhangsan")
    await alice.send_text("hi")
    emu.group(-100777, "综治群", members=[alice])
    _, body = await call(client, "getChat", chat_id=ALICE)
    assert body["result"]["type"] == "private" and body["result"]["username"] == "zhangsan"
    _, body = await call(client, "getChat", chat_id=-100777)
    assert (body["result"]["type"], body["result"]["title"]) == ("supergroup", "综治群")
    _, body = await call(client, "getChatMember", chat_id=-100777, user_id=ALICE)
    assert body["result"]["status"] == "member" and body["result"]["user"]["id"] == ALICE

    menu = {"type": "web_app", "text": "打开", "web_app": {"url": "https://example.org"}}
    await call(client, "setChatMenuButton", chat_id=ALICE, menu_button=menu)
    assert (await call(client, "getChatMenuButton", chat_id=ALICE))[1]["result"] == menu
    assert (await call(client, "getChatMenuButton"))[1]["result"] == {"type": "default"}

    await call(client, "setWebhook", url="https://example.org/hook")
    assert (await call(client, "getWebhookInfo"))[1]["result"]["pending_update_count"] == 1
    status, body = await call(client, "getUpdates")
    assert status == 409 and body["description"].startswith("Conflict: can't use getUpdates")
    await call(client, "deleteWebhook")
    assert (await call(client, "getUpdates"))[0] == 200


async def test_wait_for_messages_sees_each_new_or_edited_message_once(
    emu: Emulator, client: httpx.AsyncClient
) -> None:
    alice = emu.user(ALICE)
    await alice.send_text("hi")
    _, first = await call(client, "sendMessage", chat_id=ALICE, text="一")
    await call(client, "sendMessage", chat_id=ALICE, text="二")
    await call(
        client, "editMessageText", chat_id=ALICE, message_id=first["result"]["message_id"], text="一改"
    )

    # Ordered by latest change, current content, each message once.
    messages = await alice.wait_for_messages(2, timeout=1)
    assert [m.plain_text for m in messages] == ["二", "一改"]
    with pytest.raises(TimeoutError, match="no new bot message"):
        await alice.wait_for_message(timeout=0.05)

    # A predicate skips (and consumes) non-matching messages.
    await alice.send_text("again")
    await call(client, "sendMessage", chat_id=ALICE, text="甲")
    await call(client, "sendMessage", chat_id=ALICE, text="乙")
    assert (
        await alice.wait_for_message(timeout=1, predicate=lambda m: m.plain_text == "乙")
    ).plain_text == "乙"
    with pytest.raises(TimeoutError):
        await alice.wait_for_message(timeout=0.05)

    # Waiting really waits: a message sent later is picked up.
    later = asyncio.create_task(alice.wait_for_message(timeout=2))
    await asyncio.sleep(0.05)
    assert not later.done()
    await call(client, "sendMessage", chat_id=ALICE, text="丙")
    assert (await later).plain_text == "丙"


# --- faults --------------------------------------------------------------------------------------


async def test_fault_429_with_retry_after(emu: Emulator, client: httpx.AsyncClient) -> None:
    alice = emu.user(ALICE)
    await alice.send_text("hi")
    emu.faults.add(method="sendMessage", status=429, retry_after=2, times=1)
    status, body = await call(client, "sendMessage", chat_id=ALICE, text="第一次")
    assert (status, body) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 2",
            "parameters": {"retry_after": 2},
        },
    )
    assert alice.messages() == []  # a faulted call does not perform the action
    status, _ = await call(client, "sendMessage", chat_id=ALICE, text="第二次")
    assert status == 200 and [m.plain_text for m in alice.messages()] == ["第二次"]


async def test_fault_500_counts_down_and_matches_chat(emu: Emulator, client: httpx.AsyncClient) -> None:
    alice, bob = emu.user(ALICE), emu.user(1002)
    await alice.send_text("hi")
    await bob.send_text("hi")
    emu.faults.add(method="SENDMESSAGE", status=500, times=3, chat_id=ALICE)

    status, _ = await call(client, "sendMessage", chat_id=1002, text="bob")
    assert status == 200  # other chats are unaffected
    statuses = [(await call(client, "sendMessage", chat_id=ALICE, text="alice"))[0] for _ in range(4)]
    assert statuses == [500, 500, 500, 200]
    assert [c.status for c in emu.calls_to("sendMessage", chat_id=ALICE)] == [500, 500, 500, 200]
    assert len(alice.messages()) == 1 and len(emu.faults) == 0

    emu.faults.add(method="sendMessage", status=500, times=None)
    emu.faults.clear()
    assert (await call(client, "sendMessage", chat_id=ALICE, text="ok"))[0] == 200


async def test_fault_delay(emu: Emulator, client: httpx.AsyncClient) -> None:
    alice = emu.user(ALICE)
    await alice.send_text("hi")
    emu.faults.add(method="sendMessage", delay=1.5)
    started = time.monotonic()
    status, _ = await call(client, "sendMessage", chat_id=ALICE, text="慢")
    assert status == 200 and time.monotonic() - started >= 1.5
    started = time.monotonic()
    await call(client, "sendMessage", chat_id=ALICE, text="快")
    assert time.monotonic() - started < 1.0  # the fault delayed one call only (bounds wide for a busy machine)


# --- getUpdates ----------------------------------------------------------------------------------


async def test_long_poll_wakes_immediately(emu: Emulator, client: httpx.AsyncClient) -> None:
    alice = emu.user(ALICE)
    poll = asyncio.create_task(call(client, "getUpdates", timeout=10))
    await asyncio.sleep(0.1)
    assert not poll.done()
    started = time.monotonic()
    await alice.send_text("醒醒")
    status, body = await asyncio.wait_for(poll, 8)
    assert time.monotonic() - started < 5  # woken, not waiting out its 10 s
    assert status == 200
    [update] = body["result"]
    assert update["message"]["text"] == "醒醒" and update["message"]["from"]["id"] == ALICE

    # Not confirmed yet: returned again; confirmed with offset: gone.
    assert (await call(client, "getUpdates"))[1]["result"] == [update]
    assert (await call(client, "getUpdates", offset=update["update_id"] + 1))[1]["result"] == []

    started = time.monotonic()
    assert (await call(client, "getUpdates", timeout=0.2))[1]["result"] == []
    assert time.monotonic() - started >= 0.2

    # A button press (a callback_query update, no new message) wakes a waiting poll too.
    _, body = await call(
        client,
        "sendMessage",
        chat_id=ALICE,
        text="选",
        reply_markup={"inline_keyboard": [[{"text": "好", "callback_data": "ok"}]]},
    )
    poll = asyncio.create_task(call(client, "getUpdates", offset=update["update_id"] + 1, timeout=10))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    await alice.press(body["result"]["message_id"], "好")
    _, body = await asyncio.wait_for(poll, 8)
    assert time.monotonic() - started < 5
    assert body["result"][0]["callback_query"]["data"] == "ok"


async def test_get_updates_offset_limit_and_drop(emu: Emulator, client: httpx.AsyncClient) -> None:
    alice = emu.user(ALICE)
    for text in ("1", "2", "3"):
        await alice.send_text(text)
    _, body = await call(client, "getUpdates", limit=2)
    assert [u["message"]["text"] for u in body["result"]] == ["1", "2"]
    ids = [u["update_id"] for u in body["result"]]
    assert ids[1] == ids[0] + 1
    _, body = await call(client, "getUpdates", offset=-1)
    assert [u["message"]["text"] for u in body["result"]] == ["3"]
    await call(client, "deleteWebhook", drop_pending_updates=True)
    assert (await call(client, "getUpdates"))[1]["result"] == []


async def test_two_emulators_are_isolated() -> None:
    first, second = Emulator(TOKEN), Emulator("654321:OTHER")
    await first.user(ALICE).send_text("只在第一个")
    assert second.world.pending_updates == [] and second.user(ALICE).messages() == []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=second.asgi), base_url="http://emulator"
    ) as http:
        assert (await call(http, "getMe"))[0] == 401
        assert (await call(http, "sendMessage", token="654321:OTHER", chat_id=ALICE, text="x"))[0] == 400


def test_formatting_utf16_offsets_and_strict_html() -> None:
    parsed = format_text('  😀 <b>粗</b> <a href="https://x.org/?a=1&amp;b=2">链接</a>  ', "HTML")
    assert parsed.text == "😀 粗 链接"
    assert parsed.entities == (
        {"type": "bold", "offset": 3, "length": 1},
        {"type": "text_link", "offset": 5, "length": 2, "url": "https://x.org/?a=1&b=2"},
    )
    with pytest.raises(EntityParseError, match='Unsupported start tag "br"'):
        format_text("a<br>b", "HTML")
    with pytest.raises(EntityParseError, match="Can't find end of Bold entity"):
        format_text("*粗", "MarkdownV2")


# --- over real HTTP ------------------------------------------------------------------------------


async def test_through_uvicorn_on_loopback(emu: Emulator) -> None:
    server = await serve(emu, port=0)
    try:
        application = echo_application(server.base_url, server.base_file_url)
        async with running(application):
            alice = emu.user(ALICE, first_name="李四")
            await alice.send_text("/start")
            assert (await alice.wait_for_message()).plain_text == "欢迎，李四！参数：-"

            payload = bytes(range(256)) * 8
            await alice.send_photo(payload, caption="现场")
            expected = f"照片 {len(payload)} 字节 {hashlib.sha256(payload).hexdigest()[:16]} 现场"
            assert (await alice.wait_for_message()).plain_text == expected

            await alice.send_document(b"abc", filename="a.txt", mime_type="text/plain")
            assert (await alice.wait_for_message()).document_bytes() == b"ABC"

            await alice.send_text("/menu")
            query_id = await alice.press(await alice.wait_for_message(), "确认")
            assert (await alice.wait_for_message()).plain_text == "你选择了 confirm:1"
            assert (await alice.wait_for_callback_answer(query_id)).text == "已选择 confirm:1"

            # A slow API times the client out, yet the message is delivered, as with real Telegram.
            emu.faults.add(method="sendMessage", delay=0.5)
            with pytest.raises(TimedOut):
                await application.bot.send_message(ALICE, "慢", read_timeout=0.1)
            assert (await alice.wait_for_message(timeout=2)).plain_text == "慢"
    finally:
        started = time.monotonic()
        await server.stop()
        assert time.monotonic() - started < 3


async def test_a_loopback_round_trip_over_tcp_takes_milliseconds(emu: Emulator) -> None:
    """Nagle's algorithm on the accepted socket held every response body for the client's delayed
    ACK (~40 ms a call, every call); the bound is generous, the stall was four times over it. The
    fastest of 15 calls is compared: the stall hits all of them, a busy machine only some."""
    server = await serve(emu, port=0)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as http:
            await call(http, "getMe")
            took = []
            for _ in range(15):
                started = time.perf_counter()
                status, _body = await call(http, "getMe")
                took.append(time.perf_counter() - started)
                assert status == 200
    finally:
        await server.stop()
    assert min(took) < 0.010, took
