"""The township of tests/factories.py seen from the chat: emulated users on top, and the
bot-side steps a feature's tests share (deliver the outbox, run a sweep as the scheduler would).

These views build no data of their own: every village, person, unit and case comes from
`Township`. Their fixtures live in tests/bot/conftest.py.
"""

from datetime import date, datetime

from sqlmodel import col, select

from bot.services import reminders, supervision
from bot.services.deadlines import DeadlinePolicy
from bot.sweeps import sweep_all
from models import BaoanRequest, Case, DeadlineRequest, Outbox, SupervisionNotice
from tests.bot.harness import say
from tests.factories import EVERYONE, PEOPLE, Township

# Telegram first names of the township's people, by Telegram id
NAMES = {1: "王主任", 2: "书记", 3: "刘领导", 4: "孙丽", 5: "周明", 6: "张网格", 7: "老李", 8: "李网格"}
DIRECTOR, SECRETARY, LEADER, STAFF, HANDLER, REPORTER, UNIT, OTHER_GRID = 1, 2, 3, 4, 5, 6, 7, 8
LEADER2 = 9
MAYOR = 10  # 马镇长, a township party and government leader (镇党政领导)
OFFICE_NAMES = {**NAMES, 10: "小王"}  # with 派出所小王
CENTER_NAMES = {1: "王主任", 4: "孙丽", 7: "老李", 10: "小王", 11: "赵主任"}


class Town:
    """The township's people (telegram ids 1–8) as emulated users, each of whom has opened the chat;
    with `baoan` also 陈领导 (id 9) and 马镇长 (id 10)."""

    def __init__(self, bot, *, baoan: bool = False):
        self.bot, self.db, self.clock = bot, bot.db, bot.clock
        self.w = Township.build(bot.db, bot.clock)
        self.policy = DeadlinePolicy.from_settings(bot.settings)
        names = dict(NAMES)
        if baoan:
            self.w.with_baoan(mayor=True)
            self.leader2, self.mayor = self.w.leader2, self.w.mayor
            names |= {LEADER2: "陈领导", MAYOR: "马镇长"}
        self.w.with_users(bot, names)
        self.users = self.w.users

    async def greet(self) -> None:
        # Before any notification is queued: a bot can only write to people who wrote to it first.
        await self.w.greet()

    async def running_case(self, **kw) -> int:
        """Reported by the grid worker, accepted (the clock starts) and assigned to 周明; the
        notifications about it delivered, so they do not arrive in the middle of a step."""
        ref = self.w.running_case(policy=self.policy, **kw)
        await self.delivered()
        return ref.id

    async def delivered(self, timeout: float = 5.0) -> None:
        """Wait until the sender has delivered every queued notification."""
        await self.w.delivered(timeout)

    def case(self, case_id: int) -> Case:
        return self.w.case(case_id)

    def sweep(self, moment: datetime) -> None:
        """Move the clock and run the reminder sweep, as the scheduler would (idempotent)."""
        self.clock.set(moment)
        self.db.call(reminders.sweep, now=moment, policy=self.policy)

    def requests(self, case_id: int) -> list[DeadlineRequest]:
        with self.db.session() as s:
            return list(s.exec(select(DeadlineRequest).where(DeadlineRequest.case_id == case_id)
                               .order_by(DeadlineRequest.id)))

    def outbox_keys(self, chat_id: int, prefix: str) -> list[str]:
        with self.db.session() as s:
            rows = s.exec(select(Outbox).where(Outbox.chat_id == chat_id, Outbox.key.like(f"{prefix}%"))
                          .order_by(Outbox.id))
            return [r.key for r in rows]


class BaoanTown(Town):
    """The deadline tests' town, with a second center leader (陈领导, telegram id 9) and a township
    leader (马镇长, telegram id 10)."""

    def __init__(self, bot):
        super().__init__(bot, baoan=True)

    def requests(self, case_id: int) -> list[BaoanRequest]:
        with self.db.session() as s:
            return list(s.exec(select(BaoanRequest).where(BaoanRequest.case_id == case_id).order_by(BaoanRequest.id)))

    def extensions(self, case_id: int) -> list[DeadlineRequest]:
        return super().requests(case_id)

    async def latest(self, tid: int, *parts: str):
        """The newest delivered notification to `tid` containing every part."""
        await self.delivered()
        found = [m for m in self.users[tid].messages() if all(p in (m.plain_text or "") for p in parts)]
        assert found, f"no message with {parts} for {NAMES.get(tid, tid)}: {self.users[tid].messages()[-3:]}"
        return found[-1]


class Office:
    """The township with 镇派出所 and a case assigned to 镇司法所, its people as emulated users."""

    def __init__(self, bot):
        self.bot, self.db, self.clock = bot, bot.db, bot.clock
        self.users = {tid: bot.user(tid, name) for tid, name in OFFICE_NAMES.items()}
        self.hello = {}  # each person's first message from the bot: somewhere to forge presses on
        self.w: Township | None = None

    async def open(self) -> None:
        # A bot can only write to people who wrote to it first: everyone says hello, then the
        # people, the units and a case assigned to 镇司法所 are set up through the services.
        for tid, user in self.users.items():
            self.hello[tid] = await say(user, "/help")
        self.w = Township.build(self.db, self.clock).with_police()
        self.w.running_case(to_unit=True)
        await self.delivered()

    async def delivered(self, timeout: float = 10.0) -> None:
        """Wait until the sender has delivered every queued notification."""
        await self.w.delivered(timeout)

    def issue(self, **kw) -> int:
        return self.w.issue(**kw).id

    def call(self, fn, **kw):
        return self.w.call(fn, **kw)

    def notice(self, notice_id: int):
        return self.w.notice(notice_id)

    async def sweep(self, moment: datetime) -> None:
        self.clock.set(moment)
        await sweep_all(self.bot.app)
        await self.delivered()

    def outbox_keys(self, chat_id: int, part: str) -> list[str]:
        with self.db.session() as s:
            rows = s.exec(select(Outbox).where(Outbox.chat_id == chat_id).order_by(Outbox.id))
            return [r.key for r in rows if part in r.key]


class Center:
    """The township plus the police station's contact, a second director and a unit with nobody in
    it; one running case assigned to 镇司法所."""

    def __init__(self, bot):
        self.bot, self.db, self.clock = bot, bot.db, bot.clock
        self.w = Township.build(bot.db, bot.clock).with_police().with_director2().with_empty_unit()
        self.policy = DeadlinePolicy.from_settings(bot.settings)
        self.police, self.director2, self.empty_unit = self.w.police, self.w.director2, self.w.empty_unit
        self.unit = self.w.unit.id
        ref = self.w.running_case(to_unit=True, policy=self.policy)
        self.case_id, self.case_number = ref.id, ref.number
        self.users = self.w.with_users(bot, CENTER_NAMES).users

    async def greet(self) -> None:
        # A bot can only write to people who wrote to it first.
        await self.w.greet()

    async def delivered(self, timeout: float = 10.0) -> None:
        await self.w.delivered(timeout)

    def issue(self, unit_id=None, due=date(2026, 12, 10), **kw) -> SupervisionNotice:
        return self.db.call(supervision.issue, actor_id=self.w.director, case_id=kw.pop("case_id", self.case_id),
                            unit_id=unit_id or self.unit, due_date=due,
                            requirements=kw.pop("requirements", "请于期限前调解到位"), now=self.clock.now(),
                            policy=self.policy, **kw)

    def notices(self) -> list[SupervisionNotice]:
        with self.db.session() as s:
            return list(s.exec(select(SupervisionNotice).order_by(col(SupervisionNotice.id))))


def card_town(bot) -> Township:
    """The whole township, everyone an emulated user; greet() sends /start (they are registered)."""
    return Township.build(bot.db, bot.clock).with_users(bot, NAMES, greeting=("/start", "您好"))


def reporting_town(bot) -> Township:
    """The /report tests' township: 西河村 besides 东山村, and 李网格 a second grid worker in 东山村
    第一网格; no 周明. Nobody is bound as a user (the tests bring their own)."""
    who = tuple(p for p in EVERYONE if p != "staff2")
    return Township.build(bot.db, bot.clock, who=who, second_village=True, other_grid_in_grid=True)


def info_town(bot) -> Township:
    """The 信息报告 tests' township: the people who write or read reports (no unit, no 周明, no
    contact point), each with a phone number, and a stranger (id 99) with no account."""
    who = ("director", "secretary", "leader", "staff", "grid_worker", "other_grid")
    town = Township.build(bot.db, bot.clock, who=who, unit=False, phone="13900000000", contact_point=False)
    return town.with_users(bot, {1: "王主任", 2: "书记", 3: "刘领导", 4: "孙丽", 6: "张网格", 8: "李网格", 99: "路人"})


async def timers_town(bot):
    """The timer tests' township (no unit, no 老李 or 李网格), everyone greeted; ids by Telegram id,
    users, case types, the village and its grid."""
    who = ("director", "secretary", "leader", "staff", "staff2", "grid_worker")
    town = Township.build(bot.db, bot.clock, who=who, unit=False)
    ids = {tid: getattr(town, attr) for attr, _name, tid, _roles in PEOPLE if attr in who}
    town.with_users(bot, {tid: f"u{tid}" for tid in ids})
    await town.greet()  # everyone has opened the chat with the bot
    return ids, town.users, town.types, town.village, town.grid
