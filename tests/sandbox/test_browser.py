"""The sandbox page in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

A grid worker reports an urgent matter by pressing buttons (category, type, 🚨 紧急, severity,
village, the 📍 location button, time, parties, people, a typed description); the village's
contact-point leader (包村领导) sees the alert appear with an unread count and acknowledges it
(收到) — a new NON-urgent report only tells them "新事项" with a 查看 button, so the urgent flow is
the one with an acknowledgement; then +1 工作日 brings the due-day reminder of a demo case to the
same leader, who acknowledges that too. Screenshots go to tests/sandbox/screenshots/.
"""

import asyncio
import re
import time
from pathlib import Path

import pytest

from bot.sandbox import demo

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent / "screenshots"

try:
    from playwright.async_api import async_playwright, expect
except ImportError:  # pragma: no cover - CI installs it with the test extra
    async_playwright = None

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"),
    pytest.mark.skipif(async_playwright is None, reason="playwright is not installed (pip install playwright)"),
]

GRID = demo.persona("张伟")
LEADER = demo.persona("刘海峰")  # 包村领导 of 东山村


def exact(text: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


@pytest.fixture
async def page(sandbox):
    SHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = await browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_default_timeout(10_000)
        await page.goto(sandbox.url)
        yield page
        await browser.close()
        assert errors == [], errors
    print(f"\nscreenshots: {SHOTS}")


async def shot(page, name: str) -> None:
    await page.screenshot(path=str(SHOTS / f"{name}.png"))


def pane(page, persona):
    return page.locator(f'.pane[data-user="{persona.telegram_id}"]')


async def press(p, label: str) -> None:
    """Press the newest inline button with this label."""
    await p.locator(".inline-button", has_text=exact(label)).last.click()


async def last_bot(p, fragment: str):
    message = p.locator(".msg.from-bot", has_text=fragment).last
    await expect(message).to_be_visible()
    return message


async def test_report_acknowledge_and_a_working_day_later(page, sandbox):
    began = time.monotonic()
    await expect(page.locator(".banner")).to_contain_text("培训沙盒，数据为演示数据")
    await expect(page.locator("#clock")).to_contain_text("2026年11月27日周五 09:0")
    grid = pane(page, GRID)  # the first visit opens the grid worker's chat
    await expect(grid.locator(".name")).to_have_text(GRID.name)
    await expect(grid.locator(".start-button")).to_be_visible()  # an empty chat offers 开始

    # The report, by buttons as on a phone.
    await grid.locator(".menu-button").click()
    await grid.locator(".commands .command", has_text="/report").click()
    await last_bot(grid, "第 1/9 步")
    await press(grid, "矛盾纠纷")
    await press(grid, "邻里纠纷")
    await last_bot(grid, "第 2/9 步")
    await press(grid, "☐ 🚨 紧急")
    await expect(grid.locator(".inline-button", has_text=exact("✅ 🚨 紧急"))).to_be_visible()  # edited in place
    await press(grid, "一般")
    await press(grid, "使用 东山村 第一网格")
    await last_bot(grid, "事发地点")
    location_key = grid.locator(".reply-keyboard .key", has_text="发送当前位置")
    await location_key.click()  # the request_location button shares the demo location
    await last_bot(grid, "什么时候发生")
    await expect(grid.locator(".msg.from-me.kind-location")).to_contain_text("30.27415, 120.15515")
    await expect(grid.locator(".reply-keyboard")).to_be_hidden()
    await press(grid, "刚刚")
    await press(grid, "跳过")
    await press(grid, "1")
    await last_bot(grid, "第 8/9 步")
    await grid.locator(".text-input").fill("村口两户因宅基地界线争执，有动手迹象")
    await grid.locator(".text-input").press("Enter")
    await last_bot(grid, "第 9/9 步")
    await press(grid, "完成")
    summary = await last_bot(grid, "请核对")
    await expect(summary).to_contain_text("村口两户因宅基地界线争执")
    await shot(page, "1-report-summary")
    await press(grid, "✅ 提交")
    done = await last_bot(grid, "已上报")
    await expect(done).to_contain_text("紧急")
    number = re.search(r"\d{4}-\d{4}", await done.inner_text()).group()

    # The contact-point leader's alert: an unread badge, then the alert with 收到.
    leader_entry = page.locator(f'#people-list li[data-user="{LEADER.telegram_id}"]')
    await expect(leader_entry.locator(".badge")).to_have_text(re.compile(r"^[1-9]\d*$"))
    await leader_entry.locator(".person").click()
    leader = pane(page, LEADER)
    alert = await last_bot(leader, "紧急事项")
    await expect(alert).to_contain_text(number)
    await expect(leader_entry.locator(".badge")).to_be_hidden()
    await shot(page, "2-leader-alert")
    await alert.locator(".inline-button", has_text="收到").click()
    await expect(page.locator("#toast")).to_contain_text("已确认")
    await expect(leader.locator(".msg.from-bot", has_text=number).last).to_contain_text("您已确认")

    # Side by side: the reporter learns who acknowledged.
    await page.locator(f'#people-list li[data-user="{GRID.telegram_id}"] .side').click()
    await expect(pane(page, GRID).locator(".msg.from-bot", has_text="确认收到").last).to_contain_text(LEADER.name)
    await shot(page, "3-side-by-side")

    # A working day later (Friday → Monday): the due-day reminder of a demo case, with 收到.
    await page.locator('[data-clock="workday"]').click()
    await expect(page.locator("#clock")).to_contain_text("11月30日周一")
    reminder = await last_bot(leader, "今天到期")
    await expect(reminder).to_contain_text(sandbox.town.numbers["due_tomorrow"])
    await reminder.locator(".inline-button", has_text="收到").click()
    await expect(page.locator("#toast")).to_contain_text("不再重复提醒")
    await shot(page, "4-reminder-acknowledged")

    # Reloading the page keeps what was read: the leader's chat has nothing unread, the director
    # (told of the urgent report and, on Monday, of an overdue case) has.
    await page.reload()
    await expect(pane(page, LEADER)).to_be_visible()
    await expect(leader_entry.locator(".badge")).to_be_hidden()
    director_entry = page.locator(f'#people-list li[data-user="{demo.persona("王志强").telegram_id}"]')
    await expect(director_entry.locator(".badge")).to_have_text(re.compile(r"^[1-9]\d*$"))
    assert time.monotonic() - began < 60


async def test_phone_sized_page_and_reset(page, sandbox):
    await page.set_viewport_size({"width": 390, "height": 780})
    grid = pane(page, GRID)
    await expect(grid).to_be_visible()
    await grid.locator(".start-button").click()
    await last_bot(grid, "网格员")
    await expect(page.locator("#people")).not_to_be_in_viewport()  # the people list is a drawer
    await page.locator("#people-toggle").click()
    await page.locator(f'#people-list li[data-user="{demo.persona("王志强").telegram_id}"] .person').click()
    director = pane(page, demo.persona("王志强"))
    await director.locator(".text-input").fill("/template")
    await director.locator(".send-button").click()
    document = director.locator(".msg.from-bot.kind-document").last
    await expect(document).to_contain_text("综治中心批量导入模板.xlsx")
    async with page.expect_download() as download_info:
        await document.locator("a.document").click()
    download = await download_info.value
    assert download.suggested_filename == "综治中心批量导入模板.xlsx"
    await shot(page, "5-phone")

    page.once("dialog", lambda d: d.accept())
    await page.locator("#reset").click()
    await page.locator("#confirm-ok").click()
    await expect(page.locator("#toast")).to_contain_text("已恢复演示数据", timeout=30_000)
    await expect(director.locator(".msg")).to_have_count(0)
    await expect(page.locator("#clock")).to_contain_text("11月27日周五 09:0")


async def test_invite_a_new_colleague_through_the_link(page, sandbox):
    """The director invites a staff member; the link opens as the unregistered demo user, who
    registers by typing a name and pressing the share-my-phone button."""
    director_persona = demo.persona("王志强")
    await page.locator(f'#people-list li[data-user="{director_persona.telegram_id}"] .person').click()
    director = pane(page, director_persona)
    await director.locator(".text-input").fill("/invite")
    await director.locator(".text-input").press("Enter")
    await press(director, "中心工作人员")
    invitation = await last_bot(director, "邀请已生成")
    await invitation.locator('a[href*="?start="]').click()
    dialog = page.locator("#open-link-dialog")
    await expect(dialog).to_be_visible()
    await expect(dialog.locator("select")).to_have_value(str(demo.STRANGER.telegram_id))
    await dialog.locator("button[value=ok]").click()
    newcomer = pane(page, demo.STRANGER)
    await last_bot(newcomer, "第 1 步（共 2 步）")
    await newcomer.locator(".text-input").fill(demo.STRANGER.name)
    await newcomer.locator(".send-button").click()
    await last_bot(newcomer, "第 2 步（共 2 步）")
    await newcomer.locator(".reply-keyboard .key").click()  # request_contact: the person's own phone
    await expect(newcomer.locator(".msg.from-me.kind-contact")).to_contain_text(demo.STRANGER.phone)
    done = await last_bot(newcomer, "登记完成")
    await expect(done).to_contain_text("中心工作人员")
    await expect(newcomer.locator(".pane-head .title")).to_contain_text("中心工作人员（沙盒中登记）")
    await shot(page, "6-invited-and-registered")


def png(width: int, height: int) -> bytes:
    """A plain blue PNG of this size (no imaging library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x2f\x7f\xd8" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b"")


async def in_view(p, element) -> bool:
    """The element lies wholly inside the pane's visible message area (not scrolled off)."""
    box, area = await element.bounding_box(), await p.locator(".messages").bounding_box()
    return box is not None and area["y"] - 1 <= box["y"] and box["y"] + box["height"] <= area["y"] + area["height"] + 1


async def end_in_view(p, element) -> bool:
    """The element's last line lies inside the pane's visible message area (a message taller than the
    pane cannot be wholly in view)."""
    box, area = await element.bounding_box(), await p.locator(".messages").bounding_box()
    bottom = None if box is None else box["y"] + box["height"]
    return bottom is not None and area["y"] - 1 <= bottom <= area["y"] + area["height"] + 1


async def until(condition, what: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.1)


async def report_to_description(p) -> None:
    await p.locator(".text-input").fill("/report")
    await p.locator(".send-button").click()
    await press(p, "矛盾纠纷")
    await press(p, "邻里纠纷")
    await press(p, "一般")
    await press(p, "使用 东山村 第一网格")
    await p.locator(".reply-keyboard .key", has_text="跳过").click()
    await press(p, "刚刚")
    await press(p, "跳过")
    await press(p, "1")
    await last_bot(p, "第 8/9 步")


async def test_phone_sticker_voice_video_and_photo(page, sandbox):
    """Every kind of message a step may get can be sent from the page: a sticker where text is
    asked (the bot's hint), a voice file as the description, a video and a wide photo as
    attachments (the photo scaled to the chat); the steps already passed keep no buttons."""
    await page.set_viewport_size({"width": 390, "height": 780})
    grid = pane(page, GRID)
    await report_to_description(grid)

    await grid.locator(".attach-button").click()
    await shot(page, "7-phone-attach-menu")
    await grid.locator(".attach-menu .send-sticker").click()
    await expect(grid.locator(".msg.from-me.kind-sticker")).to_be_visible()
    await last_bot(grid, "这一步请用文字描述情况，或发一段语音")

    await grid.locator(".attach-button").click()
    async with page.expect_file_chooser() as chooser:
        await grid.locator(".attach-menu .send-voice").click()
    await (await chooser.value).set_files({"name": "描述.ogg", "mimeType": "audio/ogg", "buffer": b"OggS voice"})
    await expect(grid.locator(".msg.from-me.kind-voice")).to_be_visible()
    await last_bot(grid, "已收到语音描述")

    await grid.locator(".attach-button").click()
    async with page.expect_file_chooser() as chooser:
        await grid.locator(".attach-menu .send-video").click()
    await (await chooser.value).set_files({"name": "现场.mp4", "mimeType": "video/mp4", "buffer": b"\x00\x00\x00\x18ftypmp42"})
    await expect(grid.locator(".msg.from-me.kind-video")).to_be_visible()
    await last_bot(grid, "已收到附件 1 个（视频 1 个）")

    await grid.locator(".attach-button").click()
    async with page.expect_file_chooser() as chooser:
        await grid.locator(".attach-menu .send-file").click()
    await (await chooser.value).set_files({"name": "现场.png", "mimeType": "image/png", "buffer": png(1600, 300)})
    photo = grid.locator(".msg.from-me.kind-photo img").last
    await expect(photo).to_be_visible()
    await until(lambda: photo.evaluate("img => img.complete && img.naturalWidth > 0"), "the photo did not load")
    added = await last_bot(grid, "已收到附件 2 个")
    await until(lambda: in_view(grid, added), "the chat did not follow the photo and the answer to it")
    photo_box, pane_box = await photo.bounding_box(), await grid.locator(".messages").bounding_box()
    assert photo_box["width"] <= pane_box["width"], (photo_box, pane_box)
    # Two 「完成」 prompts were sent for the two attachments: only the newest keeps its button.
    await expect(grid.locator(".inline-button", has_text=exact("完成"))).to_have_count(1)
    await shot(page, "8-phone-sticker-voice-video-photo")


async def test_phone_long_replies_reload_and_reading_up(page, sandbox):
    """A reply taller than the chat is brought into view with its buttons; after a reload the
    chat opens at the newest message; someone scrolled up to read is left there, with a pill."""
    # 390 × 844: a common phone; the /help of a center leader (more commands as features land) fits
    await page.set_viewport_size({"width": 390, "height": 844})
    grid = pane(page, GRID)
    await report_to_description(grid)
    await grid.locator(".text-input").fill("村口两户因宅基地界线争执，有动手迹象。" * 12)
    await grid.locator(".send-button").click()
    await last_bot(grid, "第 9/9 步")
    await press(grid, "完成")
    await last_bot(grid, "请核对")
    submit = grid.locator(".inline-button", has_text=exact("✅ 提交")).last
    await until(lambda: in_view(grid, submit), "the summary's 「✅ 提交」 is not scrolled into view")
    await shot(page, "9-phone-long-summary")

    # Reading further up: a reminder arriving does not move the chat; a pill offers to jump down.
    await page.locator("#people-toggle").click()
    await page.locator(f'#people-list li[data-user="{LEADER.telegram_id}"] .person').click()
    leader = pane(page, LEADER)
    for _ in range(3):
        await leader.locator(".text-input").fill("/help")
        await leader.locator(".send-button").click()
        await expect(leader.locator(".msg.from-bot")).not_to_have_count(0)
    await expect(leader.locator(".msg.from-bot")).to_have_count(3)
    messages = leader.locator(".messages")
    # /help for a leader may be taller than a phone's chat: its end (the newest line) is what must show.
    await until(lambda: end_in_view(leader, leader.locator(".msg").last), "the newest /help is not in view")
    # Scroll up as a person would, and let the page see it (scroll events fire with the next frame).
    await messages.evaluate(
        "list => new Promise(done => { list.scrollTop = 0; requestAnimationFrame(() => requestAnimationFrame(done)); })")
    pill = leader.locator(".new-messages")
    await expect(pill).to_be_hidden()
    await page.locator('[data-clock="workday"]').click()
    reminder = await last_bot(leader, "今天到期")
    await page.wait_for_timeout(300)  # time for a wrong scroll to happen
    assert await messages.evaluate("list => list.scrollTop") == 0
    await expect(pill).to_be_visible()
    await expect(pill).to_contain_text("新消息")
    await shot(page, "10-phone-reading-up")
    await pill.click()
    await until(lambda: in_view(leader, reminder), "the pill does not bring the newest message into view")
    await expect(pill).to_be_hidden()

    # After a reload the chats open at their newest message: two side by side on a wide screen, and
    # the one kept open behind when the window narrows to a phone's width.
    await page.set_viewport_size({"width": 1100, "height": 700})
    await page.locator(f'#people-list li[data-user="{GRID.telegram_id}"] .side').click()
    await page.reload()
    reminder = leader.locator(".msg.from-bot", has_text="今天到期").last
    await expect(reminder).to_be_attached()
    await until(lambda: in_view(leader, reminder), "after a reload the chat is not at the newest message")
    # A working day later the report left at its summary has timed out (its draft kept for /report).
    await expect(grid.locator(".msg.from-bot", has_text="上报已暂停")).to_have_count(1)
    newest = grid.locator(".msg").last
    await until(lambda: end_in_view(grid, newest), "after a reload the chat beside is not at the newest message")
    await page.set_viewport_size({"width": 390, "height": 700})
    await expect(grid).to_be_hidden()
    await page.locator("#people-toggle").click()
    await page.locator(f'#people-list li[data-user="{GRID.telegram_id}"] .person').click()
    await expect(newest).to_be_visible()
    await until(lambda: end_in_view(grid, newest), "a chat reopened after a reload is not at the newest message")
