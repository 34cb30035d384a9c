"""Administration in chat through the real bot: places, people, roles, deactivation, forged buttons."""

from datetime import timedelta

from sqlmodel import select

from bot.callbacks import AdminStatus
from bot.context import deps
from bot.ops import metrics
from bot.services import people
from bot.texts import ops
from models import AuditEvent, Grid, Outbox, OutboxStatus, Person, Role, Unit, Village
from tests.bot.harness import press, say
from tests.bot.steps import invite, make_places, register


async def test_create_and_rename_places_by_typing(bot, director):
    msg = await say(director, "/admin")
    msg = await press(director, msg, "🏘 村（社区）与网格")
    assert "村（社区）共 0 个" in msg.plain_text
    await director.press(msg, "➕ 新增村（社区）")
    prompt = await director.wait_for_message()
    assert "请输入新村（社区）的名称" in prompt.plain_text
    await director.send_sticker()
    assert "需要输入文字" in (await director.wait_for_message()).plain_text
    assert "已保存：南湖村" in (await say(director, "南湖村")).plain_text
    card = await director.wait_for_message()
    assert "🏘 南湖村（村）" in card.plain_text
    await director.press(card, "➕ 新增网格")
    await director.wait_for_message()
    await say(director, "第二网格")
    card = await director.wait_for_message()
    assert "第二网格" in card.plain_text
    await director.press(card, "✏️ 改名")
    await director.wait_for_message()
    await say(director, "南湖社区")
    assert "🏘 南湖社区（社区）" in (await director.wait_for_message()).plain_text
    # duplicate name: told, asked again, nothing lost
    msg = await say(director, "/admin")
    msg = await press(director, msg, "🏢 承办单位")
    await director.press(msg, "➕ 新增单位")
    await director.wait_for_message()
    await say(director, "镇派出所")
    await director.press(await director.wait_for_message(), "« 返回")
    msg = await director.wait_for_message()
    await director.press(msg, "➕ 新增单位")
    await director.wait_for_message()
    assert "已经有" in (await say(director, "镇派出所")).plain_text
    assert "已取消" in (await say(director, "/cancel")).plain_text
    with bot.db.session() as s:
        assert [v.name for v in s.exec(select(Village))] == ["南湖社区"]
        assert [g.name for g in s.exec(select(Grid))] == ["第二网格"]
        assert [u.name for u in s.exec(select(Unit))] == ["镇派出所"]
        acts = [e.action for e in s.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert acts[1:] == ["village.create", "grid.create", "village.rename", "unit.create"]


async def _open_person(director, name: str):
    msg = await say(director, "/admin")
    msg = await press(director, msg, "👥 人员")
    msg = await press(director, msg, "全部")
    return await press(director, msg, name)


async def test_change_roles_contact_points_and_deactivate(bot, director):
    await make_places(bot)
    code = await invite(director, "中心工作人员")
    staff, _ = await register(bot, 3001, code, "刘建国", "13600000010")
    card = await _open_person(director, "刘建国")
    assert "身份：中心工作人员" in card.plain_text
    msg = await press(director, card, "✏️ 修改身份")
    assert "镇党政领导" in msg.buttons
    msg = await press(director, msg, "中心领导")
    assert "✅ 中心领导" in msg.buttons and "✅ 中心工作人员" in msg.buttons
    await director.press(msg, "💾 保存")
    saved, _card = await director.wait_for_messages(2)
    assert "中心领导、中心工作人员" in saved.plain_text
    commands = {c["command"] for c in bot.emu.bot_commands(scope={"type": "chat", "chat_id": 3001})}
    assert "help" in commands
    card = await _open_person(director, "刘建国")
    msg = await press(director, card, "📍 联系点")
    msg = await press(director, msg, "东山村")
    assert "✅ 东山村" in msg.buttons
    # deactivate: the very next message of that person is refused
    card = await _open_person(director, "刘建国")
    await director.press(card, "⛔ 停用")
    done, _card = await director.wait_for_messages(2)
    assert "已停用 刘建国" in done.plain_text
    assert "已停用" in (await say(staff, "/help")).plain_text
    person = bot.db.call(people.find_by_telegram, telegram_id=3001)
    assert not person.active and person.roles == {Role.leader, Role.staff}


async def test_a_staff_member_has_stats_in_the_menu_only_as_a_contact_point(bot, director):
    """/stats answers a staff member only for their contact-point villages: without one, neither the
    menu nor /help offers it; made a contact point, their menu gains it at once, and loses it again."""
    await make_places(bot)
    code = await invite(director, "中心工作人员")
    staff, _ = await register(bot, 3003, code, "周明", "13600000012")

    def menu() -> set[str]:
        return {c["command"] for c in bot.emu.bot_commands(scope={"type": "chat", "chat_id": 3003})}

    assert "stats" not in menu() and "/stats" not in (await say(staff, "/help")).plain_text
    cps = await press(director, await _open_person(director, "周明"), "📍 联系点")
    cps = await press(director, cps, "东山村")
    assert "stats" in menu() and "/stats" in (await say(staff, "/help")).plain_text
    assert "统计分析（东山村）" in (await say(staff, "/stats")).plain_text
    await press(director, cps, "✅ 东山村")
    assert "stats" not in menu()


async def test_forged_and_stale_buttons_are_refused(bot, director):
    await make_places(bot)
    code = await invite(director, "中心工作人员")
    staff, _ = await register(bot, 3002, code, "孙丽", "13600000011")
    own = staff.last_message()
    # A staff member forges the director's buttons: refused, nothing changes.
    for data in ("adm:pd:1", "adm:ps:1:1", "inv:r:director", "adm:menu"):
        cq = await staff.press(own, data=data)
        assert "没有权限" in (await staff.wait_for_callback_answer(cq)).text, data
    assert bot.db.call(people.find_by_telegram, telegram_id=1).active
    # The director's own buttons with ids that do not exist, or garbage.
    dmsg = await say(director, "/admin")
    for data in ("adm:p:9999", "inv:v:9999", "adm:pl:nonsense:0", "adm:zzz", "adm:p:abc", "what"):
        cq = await director.press(dmsg, data=data)
        answer = await director.wait_for_callback_answer(cq)
        assert answer and ("没有找到" in answer.text or "失效" in answer.text), (data, answer)
    with bot.db.session() as s:
        assert s.exec(select(Person).where(Person.telegram_id == 1)).one().active


async def test_cannot_deactivate_self(bot, director):
    card = await _open_person(director, "志强 王")
    cq = await director.press(card, "⛔ 停用")
    assert "不能停用自己" in (await director.wait_for_callback_answer(cq)).text


async def test_case_desk_toggle(bot, director):
    code = await invite(director, "中心工作人员")
    await register(bot, 3003, code, "周明", "13600000012")
    card = await _open_person(director, "周明")
    assert "受理台（接收所有新事项）：否" in card.plain_text
    card = await press(director, card, "📥 受理台：否（点此加入）")
    assert "受理台（接收所有新事项）：是" in card.plain_text
    assert bot.db.call(people.find_by_telegram, telegram_id=3003).on_case_desk
    # a leader (not staff) is not offered the desk, and a forged press is refused with the reason
    cq = await director.press(card, data=f"adm:pk:{bot.db.call(people.find_by_telegram, telegram_id=1).id}:1")
    assert "只有中心工作人员" in (await director.wait_for_callback_answer(cq)).text


async def test_role_buttons_made_before_a_new_role_keep_their_meaning(bot, director):
    """The role editor's buttons carry the chosen roles as bits; a role added later (镇党政领导)
    takes a new bit, so a button already in a chat still means the roles it showed."""
    code = await invite(director, "中心工作人员")
    await register(bot, 3005, code, "钱进", "13600000015")
    card = await _open_person(director, "钱进")
    person = bot.db.call(people.find_by_telegram, telegram_id=3005)
    old_leader_and_staff = (1 << 2) | (1 << 3)  # 中心领导 and 中心工作人员 in the original order
    await director.press(card, data=f"adm:ps:{person.id}:{old_leader_and_staff}")
    saved, _card = await director.wait_for_messages(2)
    assert bot.db.call(people.find_by_telegram, telegram_id=3005).roles == {Role.leader, Role.staff}
    msg = await press(director, _card, "✏️ 修改身份")
    msg = await press(director, msg, "镇党政领导")
    await director.press(msg, "💾 保存")
    saved, _card = await director.wait_for_messages(2)
    assert "镇党政领导" in saved.plain_text
    assert bot.db.call(people.find_by_telegram, telegram_id=3005).roles == {Role.township_leader, Role.leader,
                                                                            Role.staff}


PRIVILEGED_LABELS = ("中心主任", "党委书记", "系统管理员")


async def test_an_admin_who_is_not_the_director_cannot_grant_privileged_roles(bot, director):
    """Granting or revoking 中心主任 / 党委书记 / 系统管理员 needs the director: an administrator does
    not see those choices in /invite or the role editor, and forged buttons are refused clearly."""
    code = await invite(director, "系统管理员")
    admin, _ = await register(bot, 3010, code, "赵管理", "13600000020")
    code = await invite(director, "中心工作人员")
    await register(bot, 3011, code, "孙丽", "13600000021")

    roles = await say(admin, "/invite")
    assert "中心工作人员" in roles.buttons and "镇党政领导" in roles.buttons
    assert not set(PRIVILEGED_LABELS) & set(roles.buttons)
    for role in ("director", "secretary", "admin"):
        cq = await admin.press(roles, data=f"inv:r:{role}")
        assert "须由中心主任" in (await admin.wait_for_callback_answer(cq)).text, role

    for name in ("孙丽", "赵管理"):  # someone else, and themselves
        card = await _open_person(admin, name)
        editor = await press(admin, card, "✏️ 修改身份")
        assert "须由中心主任授予" in editor.plain_text
        assert not {b.removeprefix("✅ ") for b in editor.buttons} & set(PRIVILEGED_LABELS)
        person = bot.db.call(people.find_by_telegram, telegram_id=3010 if name == "赵管理" else 3011)
        director_bit = 1  # ROLE_BITS[0]
        cq = await admin.press(editor, data=f"adm:ps:{person.id}:{director_bit | (1 << 6)}")
        assert "须由中心主任" in (await admin.wait_for_callback_answer(cq)).text
    assert bot.db.call(people.find_by_telegram, telegram_id=3010).roles == {Role.admin}
    assert bot.db.call(people.find_by_telegram, telegram_id=3011).roles == {Role.staff}
    # Their own 系统管理员 stays on the editor's keyboard as it is (bit kept), not as a toggle.
    card = await _open_person(admin, "孙丽")
    editor = await press(admin, card, "✏️ 修改身份")
    editor = await press(admin, editor, "中心领导")
    await admin.press(editor, "💾 保存")
    saved, _card = await admin.wait_for_messages(2)
    assert bot.db.call(people.find_by_telegram, telegram_id=3011).roles == {Role.staff, Role.leader}

    # The director sees and may use every choice.
    roles = await say(director, "/invite")
    assert set(PRIVILEGED_LABELS) <= set(roles.buttons)
    card = await _open_person(director, "孙丽")
    editor = await press(director, card, "✏️ 修改身份")
    assert set(PRIVILEGED_LABELS) <= set(editor.buttons)
    editor = await press(director, editor, "党委书记")
    await director.press(editor, "💾 保存")
    saved, _card = await director.wait_for_messages(2)
    assert "党委书记" in saved.plain_text


async def test_the_running_status_shows_what_health_and_metrics_see(bot, director):
    """/admin 🩺 运行状况: the outbox's backlog and dead letters, the sweeps, how long texts are kept."""
    msg = await press(director, await say(director, "/admin"), ops.STATUS_BUTTON)
    lines = msg.plain_text.splitlines()
    size = ops.STATUS_SIZE.format(mb=bot.db.call(metrics.database_bytes) / 1e6)
    assert lines[1:] == [ops.STATUS_INSTANCE[bot.db.engine.dialect.name], size, ops.STATUS_BACKLOG_NONE,
                         ops.STATUS_DEAD_NONE, ops.STATUS_SWEEPS_OFF, ops.STATUS_TEXTS_KEPT]
    assert bot.db.call(metrics.database_bytes) > 100_000  # the schema alone, migrated
    assert lines[0].startswith("🩺 运行状况（") and msg.buttons == ["🔄 刷新", "« 返回"]

    # One notification given up on (written as such: a pending row would be the sender's to take); the
    # sweeps on and just run; texts kept 180 days. How waiting ones read: tests/bot/test_ops.py.
    with bot.db.session() as s:
        s.add(Outbox(key="status:gone", chat_id=42, text="通知", status=OutboxStatus.dead, attempts=1,
                     next_attempt_at=bot.clock.now(), created_at=bot.clock.now()))
    live = deps(bot.app)
    live.settings = live.settings.model_copy(update={"sweep_interval_seconds": 30, "outbox_text_days": 180})
    metrics.sweep_done(0.1)
    msg = await press(director, msg, "🔄 刷新")
    assert msg.plain_text.splitlines()[3:] == [
        ops.STATUS_BACKLOG_NONE, ops.STATUS_DEAD.format(n=1, total=1, days=7), "定时任务：不到 1 分钟前运行过",
        "通知正文：保存 180 天，每天 03:00 清除更早的"]
    # Stuck sweeps (three runs missed, at least 2 minutes) are flagged.
    metrics._last_sweep["finished"] -= 600
    msg = await press(director, msg, "🔄 刷新")
    assert ops.STATUS_SWEEPS_LATE.format(ago="10 分钟") in msg.plain_text.splitlines()
    bot.clock.advance(timedelta(days=8))  # an old dead letter is no longer a warning
    msg = await press(director, msg, "🔄 刷新")
    assert msg.plain_text.splitlines()[4] == ops.STATUS_DEAD_OLD.format(total=1, days=7)


async def test_only_those_who_manage_people_see_the_running_status(bot, director):
    await make_places(bot)
    staff, _ = await register(bot, 3002, await invite(director, "中心工作人员"), "孙丽", "13600000011")
    cq = await staff.press(staff.last_message(), data=AdminStatus().pack())
    assert "没有权限" in (await staff.wait_for_callback_answer(cq)).text
