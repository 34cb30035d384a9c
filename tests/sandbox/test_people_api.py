"""The people's side over real HTTP: act as a demo person, see the bot's answers through the JSON
API and the server-sent event stream, press buttons, send files, download the bot's documents;
the sandbox's own API (clock, reset) and its guards; formatting rendered to safe HTML."""

import asyncio
import json
from datetime import timedelta

import httpx
import pytest
from sqlmodel import select

from bot.emulator import Emulator
from bot.emulator.formatting import detect_entities, format_text, render_html
from bot.sandbox import demo
from bot.services import intake
from bot.services.cases import CaseDraft
from models import CaseType, Severity

GRID = demo.persona("张伟").telegram_id
DIRECTOR = demo.persona("王志强").telegram_id


class Events:
    """Reads the /people/api/events stream in the background."""

    def __init__(self, client: httpx.AsyncClient, since: int):
        self.items: list[tuple[str, dict]] = []
        self._changed = asyncio.Event()
        self._task = asyncio.create_task(self._read(client, since))

    async def _read(self, client, since):
        async with client.stream("GET", f"/people/api/events?since={since}") as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            event = None
            async for line in response.aiter_lines():
                if line.startswith("event: "):
                    event = line.removeprefix("event: ")
                elif line.startswith("data: "):
                    self.items.append((event, json.loads(line.removeprefix("data: "))))
                    self._changed.set()

    async def wait_for(self, predicate, timeout=10.0) -> dict:
        async with asyncio.timeout(timeout):
            seen = 0
            while True:
                for kind, data in self.items[seen:]:
                    if predicate(kind, data):
                        return data
                seen = len(self.items)
                self._changed.clear()
                await self._changed.wait()

    async def close(self):
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


def bot_message(fragment, chat_id=GRID):
    return lambda kind, m: kind == "message" and m["from_bot"] and m["chat_id"] == chat_id and fragment in m["text"]


@pytest.fixture
async def client(sandbox):
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=15) as c:
        yield c


async def test_act_as_a_grid_worker_and_read_the_bot_live(sandbox, client):
    state = (await client.get("/sandbox/api/state")).json()
    assert state["ready"] and state["now"].startswith("2026-11-27T09:0")
    assert {p["role"] for p in state["personas"]} >= {"director", "secretary", "leader", "staff", "grid", "unit"}
    chat = (await client.get(f"/people/api/users/{GRID}/chat")).json()
    assert chat["messages"] == [] and chat["chat"]["type"] == "private"
    assert {"command": "report", "description": "上报事件/矛盾纠纷"} in chat["commands"]  # the person's menu
    events = Events(client, chat["seq"])
    try:
        sent = (await client.post(f"/people/api/users/{GRID}/send", json={"text": "/start"})).json()
        assert sent["message"]["text"] == "/start" and not sent["message"]["from_bot"]
        welcome = await events.wait_for(bot_message("张伟"))
        assert "网格员" in welcome["text"]

        await client.post(f"/people/api/users/{GRID}/send", json={"kind": "text", "text": "/report"})
        step = await events.wait_for(bot_message("第 1/9 步"))
        labels = [b["text"] for row in step["buttons"] for b in row]
        assert "矛盾纠纷" in labels
        where = next(b for row in step["buttons"] for b in row if b["text"] == "矛盾纠纷")
        pressed = await client.post(f"/people/api/users/{GRID}/press", json={
            "message_id": step["message_id"], "row": where["row"], "col": where["col"], "text": "矛盾纠纷"})
        query_id = pressed.json()["callback_query_id"]
        answer = (await client.get(f"/people/api/callbacks/{query_id}?wait=10")).json()
        assert answer["answered"]
        edited = await events.wait_for(
            lambda k, m: k == "message" and m["message_id"] == step["message_id"] and m["edited"])
        assert "邻里纠纷" in [b["text"] for row in edited["buttons"] for b in row]
        # A stale press (the keyboard changed since) is refused with a clear answer.
        stale = await client.post(f"/people/api/users/{GRID}/press", json={
            "message_id": step["message_id"], "row": where["row"], "col": where["col"], "text": "矛盾纠纷"})
        assert stale.status_code == 409 and "按钮已更新" in stale.json()["error"]
        # Everything the page needs is in the chat too, edits included.
        chat = (await client.get(f"/people/api/users/{GRID}/chat")).json()
        assert [m["text"] for m in chat["messages"]][:2] == ["/start", welcome["text"]]
        assert chat["messages"][-1]["edited"]
    finally:
        await events.close()


async def test_a_stream_resumed_from_an_earlier_process_starts_afresh(sandbox, client):
    events = Events(client, 10**9)  # a Last-Event-ID from before a restart
    try:
        await events.wait_for(lambda kind, data: kind == "reset")
        await client.post(f"/people/api/users/{GRID}/send", json={"text": "/help"})
        await events.wait_for(bot_message("/report"))
    finally:
        await events.close()
    users = (await client.get("/people/api/users")).json()
    grid = next(u for u in users["users"] if u["id"] == GRID)
    assert len(grid["bot_seqs"]) == 1 and grid["bot_seqs"][0] <= users["seq"]


async def test_typed_markup_is_shown_as_text_never_as_html(sandbox, client):
    await client.post(f"/people/api/users/{GRID}/send", json={"text": "<script>alert(1)</script> <b>x</b>"})
    chat = (await client.get(f"/people/api/users/{GRID}/chat")).json()
    mine = chat["messages"][0]
    assert mine["html"] == "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;"


async def test_contact_location_files_and_the_bots_documents(sandbox, client):
    stranger = demo.STRANGER.telegram_id
    # The stranger shares their phone (the request_contact button): not on the list, the bot says so.
    await client.post(f"/people/api/users/{stranger}/send", json={"kind": "contact", "phone_number": demo.STRANGER.phone})
    user = sandbox.emu.user(stranger)
    reply = await user.wait_for_message(timeout=10)
    assert reply.plain_text
    contact = sandbox.emu.chat_messages(stranger)[0]
    assert contact.kind == "contact" and contact.payload["user_id"] == stranger

    loc = await client.post(f"/people/api/users/{GRID}/send", json={"kind": "location", "latitude": 30.27415,
                                                                      "longitude": 120.15515})
    assert loc.json()["message"]["location"] == {"latitude": 30.27415, "longitude": 120.15515}
    bad = await client.post(f"/people/api/users/{GRID}/send", json={"kind": "location", "latitude": 300, "longitude": 0})
    assert bad.status_code == 400

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    photo = (await client.post(f"/people/api/users/{GRID}/send", data={"kind": "photo", "caption": "现场"},
                               files={"file": ("现场.png", png, "image/png")})).json()["message"]
    assert photo["kind"] == "photo" and photo["text"] == "现场"
    got = await client.get(photo["file"]["url"])
    assert got.content == png and got.headers["content-type"] == "image/png"
    assert "content-disposition" not in got.headers
    html_file = (await client.post(f"/people/api/users/{GRID}/send", data={"kind": "document"},
                                   files={"file": ("页面.html", b"<script>alert(1)</script>", "text/html")})).json()
    got = await client.get(html_file["message"]["file"]["url"])
    assert got.headers["content-disposition"].startswith("attachment")  # never rendered by the browser
    assert got.headers["x-content-type-options"] == "nosniff"

    # The bot's own document: the director asks for the import template.
    director = sandbox.emu.user(DIRECTOR)
    await client.post(f"/people/api/users/{DIRECTOR}/send", json={"text": "/template"})
    doc = await director.wait_for_message(timeout=10, predicate=lambda m: m.kind == "document")
    chat = (await client.get(f"/people/api/users/{DIRECTOR}/chat")).json()
    shown = next(m for m in chat["messages"] if m["kind"] == "document")
    assert shown["file"]["name"] == "综治中心批量导入模板.xlsx" and shown["html"]
    download = await client.get(shown["file"]["url"] + "?download=1")
    assert download.content == doc.document_bytes() and download.content.startswith(b"PK")
    assert "filename*=UTF-8''%E7%BB%BC" in download.headers["content-disposition"]
    assert (await client.get("/people/api/files/nope")).status_code == 404


async def test_voice_video_and_sticker_keep_their_kind_and_type(sandbox, client):
    """What the bot asks for can be sent: a voice message and a video picked as files (with the
    file's own audio/video type), and a sticker; a file of another type is refused, not mislabelled."""
    send = f"/people/api/users/{GRID}/send"
    voice = (await client.post(send, data={"kind": "voice"}, files={"file": ("录音.mp3", b"ID3 voice", "audio/mpeg")}))
    voice = voice.json()["message"]
    assert voice["kind"] == "voice" and voice["file"]["mime_type"] == "audio/mpeg"
    got = await client.get(voice["file"]["url"])
    assert got.content == b"ID3 voice" and got.headers["content-type"] == "audio/mpeg"
    video = (await client.post(send, data={"kind": "video", "caption": "现场"},
                               files={"file": ("现场.webm", b"\x1aE\xdf\xa3 video", "video/webm")})).json()["message"]
    assert video["kind"] == "video" and video["file"]["mime_type"] == "video/webm" and video["text"] == "现场"
    sticker = (await client.post(send, json={"kind": "sticker"})).json()["message"]
    assert sticker["kind"] == "sticker" and sticker["file"]["emoji"]
    wrong = await client.post(send, data={"kind": "voice"}, files={"file": ("notes.txt", b"text", "text/plain")})
    assert wrong.status_code == 400 and "音频" in wrong.json()["error"]
    wrong = await client.post(send, data={"kind": "video"}, files={"file": ("a.png", b"\x89PNG", "image/png")})
    assert wrong.status_code == 400 and "视频" in wrong.json()["error"]


async def test_clock_jumps_run_the_timers_and_reset_clears_the_chats(sandbox, client):
    before = sandbox.clock.now()
    state = (await client.post("/sandbox/api/clock", json={"action": "hour"})).json()
    assert timedelta(minutes=59) < sandbox.clock.now() - before < timedelta(minutes=62)
    assert state["now"].startswith("2026-11-27T10:0")
    # +1 工作日 from Friday is Monday: the due-day reminder of the demo case reaches the contact-point
    # leader of 东山村 with 收到, straight after the jump.
    leader = sandbox.emu.user(demo.persona("刘海峰").telegram_id)
    state = (await client.post("/sandbox/api/clock", json={"action": "workday"})).json()
    assert state["now"].startswith("2026-11-30T10:0")
    reminder = await leader.wait_for_message(timeout=10, predicate=lambda m: "今天到期" in (m.plain_text or ""))
    assert sandbox.town.numbers["due_tomorrow"] in reminder.plain_text and "✅ 收到" in reminder.buttons
    # The demo case reported on Friday morning and never accepted: the case desk is chased, with 受理.
    desk = sandbox.emu.user(demo.persona("孙丽").telegram_id)
    chase = await desk.wait_for_message(timeout=10, predicate=lambda m: "待受理" in (m.plain_text or ""))
    assert sandbox.town.numbers["registered"] in chase.plain_text and "受理" in chase.buttons
    state = (await client.post("/sandbox/api/clock", json={"action": "morning"})).json()
    assert state["now"].startswith("2026-12-01T08:30")
    assert (await client.post("/sandbox/api/clock", json={"action": "back"})).status_code == 400

    assert (await client.post("/sandbox/api/reset", content=b"")).status_code == 415  # only from the page
    foreign = await client.post("/sandbox/api/reset", json={}, headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403
    assert (await client.post("/sandbox/api/reset", json={})).json()["now"].startswith("2026-11-27T09:0")
    assert (await client.get(f"/people/api/users/{leader.id}/chat")).json()["messages"] == []


async def test_a_report_left_open_times_out_when_the_clock_jumps(sandbox, client):
    """Conversation deadlines run on the process's clock; the sandbox's jumps reach them too, so a
    trainee sees what a grid worker who walked away sees."""
    async def said(fragment, button=None):
        async with asyncio.timeout(10):
            while True:
                said = [m for m in (await client.get(f"/people/api/users/{GRID}/chat")).json()["messages"]
                        if m["from_bot"] and fragment in m["text"]
                        and (button is None or button in [b["text"] for row in m["buttons"] for b in row])]
                if said:
                    return said[-1]
                await asyncio.sleep(0.05)

    async def press(message, label):
        where = next(b for row in message["buttons"] for b in row if b["text"] == label)
        await client.post(f"/people/api/users/{GRID}/press", json={
            "message_id": message["message_id"], "row": where["row"], "col": where["col"], "text": label})

    await client.post(f"/people/api/users/{GRID}/send", json={"kind": "text", "text": "/report"})
    await press(await said("第 1/9 步", "矛盾纠纷"), "矛盾纠纷")
    await press(await said("第 1/9 步", "邻里纠纷"), "邻里纠纷")
    await said("第 2/9 步")
    await client.post("/sandbox/api/clock", json={"action": "hour"})
    assert "/report" in (await said("上报已暂停"))["text"]
    await client.post(f"/people/api/users/{GRID}/send", json={"kind": "text", "text": "/report"})
    assert "邻里纠纷" in (await said("未提交的上报草稿"))["text"]  # the draft was kept


async def test_a_new_unregistered_user_and_unknown_people():
    emu = Emulator()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=emu.asgi), base_url="http://emu") as c:
        made = (await c.post("/people/api/users", json={"first_name": "新同事"})).json()["user"]
        assert made["name"] == "新同事" and made["id"] > 900_000
        users = (await c.get("/people/api/users")).json()["users"]
        assert [u["id"] for u in users] == [made["id"]]
        assert (await c.get("/people/api/users/42/chat")).status_code == 404
        assert (await c.post(f"/people/api/users/{made['id']}/send", json={"text": " "})).status_code == 400
        assert (await c.get(f"/people/api/users/{made['id']}/chat?chat_id=-100")).status_code == 404


def test_render_html_allows_only_telegram_formatting():
    parsed = format_text(
        '<b>粗 <i>斜</i></b> &lt;script&gt; <a href="javascript:alert(1)">x</a> '
        '<a href="https://example.org/?a=1&amp;b=&quot;">y</a> <code>&lt;/code&gt;</code> <tg-spoiler>秘</tg-spoiler>',
        "HTML",
    )
    html = render_html(parsed.text, parsed.entities)
    assert html == (
        "<b>粗 <i>斜</i></b> &lt;script&gt; x "
        '<a href="https://example.org/?a=1&amp;b=&quot;" target="_blank" rel="noopener noreferrer">y</a> '
        '<code>&lt;/code&gt;</code> <span class="tg-spoiler">秘</span>'
    )
    # Entities from anywhere (even overlapping or out of range) only ever produce these tags.
    assert render_html("abcdef", [{"type": "bold", "offset": 0, "length": 4},
                                  {"type": "italic", "offset": 2, "length": 9},
                                  {"type": "unknown<x>", "offset": 0, "length": 2}]) == "<b>ab<i>cd</i></b>ef"
    assert render_html("😀<b>", [{"type": "code", "offset": 2, "length": 3}]) == "😀<code>&lt;b&gt;</code>"


def test_links_and_commands_are_found_like_telegram_does():
    text = "请转发链接：\nhttps://t.me/zongzhi_sandbox_bot?start=Ab_1。\n或发送 /start Ab_1，/help 查看；and/or 2026/11"
    html = render_html(text, detect_entities(text))
    assert '<a href="https://t.me/zongzhi_sandbox_bot?start=Ab_1" target="_blank"' in html
    assert html.count('class="tg-command"') == 2 and 'data-command="/help"' in html
    assert "and/or 2026/11" in html
    code = format_text("<code>/start x</code>", "HTML")
    assert "tg-command" not in render_html(code.text, detect_entities(code.text, code.entities))


async def test_a_description_with_angle_brackets_still_reaches_the_contact_point_leader(sandbox):
    town = sandbox.town
    with sandbox.db.session() as s:
        type_id = s.exec(select(CaseType.id).where(CaseType.subtype == "邻里纠纷")).one()
    draft = CaseDraft(type_id=type_id, severity=Severity.general, description="两户因界线<争执>",
                      village_id=town.villages["东山村"], grid_id=town.grids[("东山村", "第一网格")])
    sandbox.db.call(intake.register_report, actor_id=town.people["张伟"], draft=draft,
                    now=sandbox.clock.now(), policy=sandbox.policy)
    leader = sandbox.emu.user(demo.persona("刘海峰").telegram_id)
    message = await leader.wait_for_message(timeout=8, predicate=lambda m: "新事项" in (m.plain_text or ""))
    assert "两户因界线<争执>" in message.plain_text
