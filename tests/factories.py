"""Test data from one place: a township built through the services, shared by service and bot tests.

`Township.build(db, clock)` makes 东山村 with 第一网格, the unit 镇司法所 and one person of every
role (Telegram ids 1–8); its keyword arguments leave parts out or add a second village, so each
suite sees exactly the data it was written against. Features extend it (`with_baoan()`,
`with_police()`, `running_case()`), and bot tests bind emulated users on top (`with_users()`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.clock import FrozenClock
from bot.db import Database
from bot.services import baoan, cases, info_reports, people, places, supervision
from bot.services.cases import CaseDraft, PartyInput
from bot.services.deadlines import DeadlinePolicy
from models import (
    AuditEvent,
    Case,
    CaseStatus,
    CaseType,
    Grid,
    GroupChat,
    InfoReport,
    Outbox,
    OutboxStatus,
    Person,
    Role,
    Severity,
    SupervisionNotice,
    Unit,
    Village,
)

VALID_ID = "11010519491231002X"
SH = ZoneInfo("Asia/Shanghai")
POLICY = DeadlinePolicy()

# attribute, name, Telegram id, roles — in the order they are created (their ids follow it)
PEOPLE = (
    ("director", "王主任", 1, {Role.director, Role.admin}),
    ("secretary", "书记", 2, {Role.secretary}),
    ("leader", "刘领导", 3, {Role.leader}),
    ("staff", "孙丽", 4, {Role.staff}),
    ("staff2", "周明", 5, {Role.staff}),
    ("grid_worker", "张网格", 6, {Role.grid}),
    ("unit_contact", "司法所老李", 7, {Role.unit}),
    ("other_grid", "李网格", 8, {Role.grid}),
)
EVERYONE = tuple(p[0] for p in PEOPLE)


def local(y, m, d, hh=9, mm=0) -> datetime:
    """A Shanghai wall-clock moment, in UTC."""
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)


@dataclass
class Township:
    """东山村, a grid, 镇司法所 and one person of every role (Telegram ids 1–8)."""

    db: Database
    clock: FrozenClock
    village: Village
    grid: Grid
    unit: Unit | None = None
    director: int | None = None
    secretary: int | None = None
    leader: int | None = None
    staff: int | None = None
    staff2: int | None = None
    grid_worker: int | None = None
    unit_contact: int | None = None
    other_grid: int | None = None
    types: dict[str, int] = field(default_factory=dict)
    village2: Village | None = None
    grid2: Grid | None = None
    # feature extensions
    leader2: int | None = None
    mayor: int | None = None
    police: int | None = None
    police_contact: int | None = None
    director2: int | None = None
    empty_unit: int | None = None
    case_id: int | None = None
    # bot tests: emulated users by Telegram id, and what greet() says and waits for
    bot: Any = None
    users: dict[int, Any] = field(default_factory=dict)
    greeting: tuple[str, str | None] = ("/help", None)

    @classmethod
    def build(cls, db: Database, clock: FrozenClock, *, who: tuple[str, ...] = EVERYONE, unit: bool = True, phone: str | None = None,
              contact_point: bool = True, second_village: bool = False,
              other_grid_in_grid: bool = False) -> Township:
        """`who` names the people made (of PEOPLE); `unit` whether 镇司法所 exists; `contact_point`
        whether 刘领导 is 东山村's contact point; `second_village` adds 西河村 with its own 第一网格;
        `other_grid_in_grid` puts 李网格 in 东山村 第一网格 too."""
        now = clock.now()
        with db.session() as s:
            village = places.create_village(s, actor_id=None, name="东山村", now=now)
            grid = places.create_grid(s, actor_id=None, village_id=village.id, name="第一网格", now=now)
            town = cls(db=db, clock=clock, village=village, grid=grid)
            if second_village:
                town.village2 = places.create_village(s, actor_id=None, name="西河村", now=now)
                town.grid2 = places.create_grid(s, actor_id=None, village_id=town.village2.id, name="第一网格",
                                                now=now)
            if unit:
                town.unit = places.create_unit(s, actor_id=None, name="镇司法所", now=now)
            placed = {"grid_worker": dict(village_id=village.id, grid_id=grid.id),
                      "unit_contact": dict(unit_id=town.unit.id) if unit else {},
                      "other_grid": dict(village_id=village.id, grid_id=grid.id) if other_grid_in_grid else {}}
            for attr, name, tid, roles in PEOPLE:
                if attr in who:
                    setattr(town, attr, people.create_person(s, name=name, phone=phone, roles=roles, telegram_id=tid,
                                                             now=now, **placed.get(attr, {})).id)
        if contact_point:
            db.call(people.toggle_contact_point, actor_id=town.director, person_id=town.leader,
                    village_id=village.id, now=now)
        with db.session() as s:
            town.types = {t.subtype: t.id for t in s.exec(select(CaseType))}
        return town

    @property
    def neighbour(self) -> int:
        return self.types["邻里纠纷"]

    @property
    def mass(self) -> int:
        return self.types["群体性事件苗头"]

    @property
    def secret(self) -> int:
        return self.types['"三股势力"滋事破坏']

    # --- feature extensions -------------------------------------------------------------------

    def _person(self, name: str, tid: int, roles: set[Role], **kw) -> int:
        with self.db.session() as s:
            return people.create_person(s, name=name, phone=None, roles=roles, telegram_id=tid,
                                        now=self.clock.now(), **kw).id

    def with_baoan(self, *, mayor: bool = False) -> Township:
        """A second center leader (陈领导, id 9) to hand a 包案 to; with `mayor` a township leader
        (马镇长, id 10) too."""
        self.leader2 = self._person("陈领导", 9, {Role.leader})
        if mayor:
            self.mayor = self._person("马镇长", 10, {Role.township_leader})
        return self

    def with_police(self) -> Township:
        """A second unit, 镇派出所, with its contact 派出所小王 (id 10)."""
        with self.db.session() as s:
            self.police = places.create_unit(s, actor_id=None, name="镇派出所", now=self.clock.now()).id
        self.police_contact = self._person("派出所小王", 10, {Role.unit}, unit_id=self.police)
        return self

    def with_director2(self) -> Township:
        """A second center director, 赵主任 (id 11)."""
        self.director2 = self._person("赵主任", 11, {Role.director})
        return self

    def with_empty_unit(self) -> Township:
        """A unit nobody works in yet, 镇城管中队."""
        with self.db.session() as s:
            self.empty_unit = places.create_unit(s, actor_id=None, name="镇城管中队", now=self.clock.now()).id
        return self

    def running_case(self, *, to_unit: bool = False, policy: DeadlinePolicy | None = None, **draft) -> cases.CaseRef:
        """Reported by the grid worker, accepted by 孙丽 (the clock starts) and assigned to 周明, or to
        镇司法所 with `to_unit`; remembered as `case_id`."""
        ref = self.submit(**draft)
        now = self.clock.now()
        extra = {} if policy is None else {"policy": policy}
        self.db.call(cases.accept, actor_id=self.staff, case_id=ref.id, now=now, **extra)
        target = {"unit_id": self.unit.id} if to_unit else {"handler_id": self.staff2}
        self.db.call(cases.assign, actor_id=self.staff, case_id=ref.id, now=now, **target)
        self.case_id = ref.id
        return ref

    # --- operations ---------------------------------------------------------------------------

    def draft(self, **kw) -> CaseDraft:
        base = dict(type_id=self.neighbour, severity=Severity.general, description="两户因排水沟争吵",
                    village_id=self.village.id, grid_id=self.grid.id,
                    parties=(PartyInput("赵大", "13800138000", VALID_ID),), people_count=2)
        base.update(kw)
        return CaseDraft(**base)

    def submit(self, actor=None, **kw):
        return self.db.call(cases.submit, actor_id=actor or self.grid_worker, draft=self.draft(**kw),
                            now=self.clock.now())

    def call(self, fn, **kw):
        kw.setdefault("now", self.clock.now())
        return self.db.call(fn, **kw)

    def case(self, case_id: int | None = None) -> Case:
        with self.db.session() as s:
            return s.get(Case, case_id or self.case_id)

    def do(self, fn, actor, case_id, **kw):
        """A case action by `actor`, now."""
        return self.db.call(fn, actor_id=actor, case_id=case_id, now=self.clock.now(), **kw)

    def status(self, case_id: int) -> CaseStatus:
        with self.db.session() as s:
            return CaseStatus(s.get(Case, case_id).status)

    def cases(self) -> list[Case]:
        with self.db.session() as s:
            return list(s.exec(select(Case).order_by(col(Case.id))))

    def set_status(self, case_id: int, status: CaseStatus, **fields) -> None:
        with self.db.session() as s:
            case = s.get(Case, case_id)
            case.status = status
            for k, v in fields.items():
                setattr(case, k, v)
            s.add(case)

    def outbox_to(self, chat_id: int) -> list[str]:
        with self.db.session() as s:
            return [o.text for o in s.exec(select(Outbox).where(Outbox.chat_id == chat_id).order_by(Outbox.id))]

    def messages(self, chat_id: int, key_part: str = "") -> list[Outbox]:
        with self.db.session() as s:
            rows = s.exec(select(Outbox).where(Outbox.chat_id == chat_id).order_by(Outbox.id)).all()
        return [r for r in rows if key_part in r.key]

    def actions(self, case_id: int | None = None) -> list[str]:
        """A case's audit trail (the running case's by default), oldest first."""
        with self.db.session() as s:
            return list(s.exec(select(AuditEvent.action).where(
                AuditEvent.subject_type == "case", AuditEvent.subject_id == (case_id or self.case_id))
                .order_by(AuditEvent.id)))

    events = actions  # the case-card tests' word for it

    # 信息报告

    def major_event(self, type_id: int | None = None) -> tuple[cases.CaseRef, int]:
        """A grid worker reports signs of a mass incident (or a case of `type_id`); its first report
        (初报) is opened, due in 30 minutes by the bot's time zone."""
        draft = CaseDraft(type_id=type_id or self.mass, severity=Severity.major,
                          description="约 30 名村民聚集在村委会门口",
                          village_id=self.village.id, grid_id=self.grid.id, address="东山村村委会门口")
        ref = self.db.call(cases.submit, actor_id=self.grid_worker, draft=draft, now=self.clock.now())
        with self.db.session() as s:
            report = info_reports.open_first_report(
                s, case=s.get(Case, ref.id), reporter=s.get(Person, self.grid_worker), now=self.clock.now(),
                minutes=30, tz=self.bot.settings.tz)
            return ref, report.id

    def report(self, report_id: int) -> InfoReport:
        with self.db.session() as s:
            return s.get(InfoReport, report_id)

    def report_keys(self, report_id: int) -> set[str]:
        """The outbox keys of one 信息报告's messages."""
        with self.db.session() as s:
            return set(s.exec(select(Outbox.key).where(Outbox.key.like(f"info:{report_id}:%"))))

    def groups(self) -> list[tuple[int, str]]:
        with self.db.session() as s:
            return [(g.chat_id, g.title) for g in s.exec(select(GroupChat))]

    # 领导包案 on the running case

    def propose(self, actor=None, leader=None, reason="涉及多部门，需党委协调"):
        return self.call(baoan.propose, actor_id=actor or self.director, case_id=self.case_id,
                         leader_id=leader or self.leader, reason=reason)

    def approved(self, **kw):
        req = self.propose()
        self.call(baoan.decide, actor_id=self.secretary, request_id=req.id, approve=True, **kw)
        return req

    def plan(self, day: date) -> Case:
        """The 包案领导's plan with that deadline; a later one approved by the secretary at once."""
        done = self.call(baoan.record_plan, actor_id=self.leader, case_id=self.case_id, plan="方案", due_date=day,
                         policy=POLICY)
        if done.extension is not None:
            self.call(baoan.decide_extension, actor_id=self.secretary, request_id=done.extension.id, approve=True,
                      policy=POLICY)
        return self.case()

    # 督办通知书 on the running case

    def issue(self, due=date(2026, 12, 10), actor=None, **kw):
        kw.setdefault("unit_id", self.unit.id)
        kw.setdefault("case_id", self.case_id)
        kw.setdefault("policy", POLICY)
        return self.call(supervision.issue, actor_id=actor or self.director, due_date=due,
                         requirements=kw.pop("requirements", "请于期限前调解到位并书面反馈"), **kw)

    def notice(self, notice_id) -> SupervisionNotice:
        with self.db.session() as s:
            return s.get(SupervisionNotice, notice_id)

    def sweep(self, moment, **kw) -> int:
        """Move the clock and run the 督办 sweep until it settles; the messages it queued."""
        self.clock.set(moment)
        total = 0
        for _ in range(20):
            result = self.db.call(supervision.sweep, now=moment, policy=POLICY, **kw)
            total += result.messages
            if result.notices == 0:
                return total
        raise AssertionError("the sweep keeps finding the same notices")

    # --- bot tests: emulated users on top -----------------------------------------------------

    def with_users(self, bot, names: dict[int, str], *, greeting: tuple[str, str | None] | None = None) -> Township:
        """Bind an emulated Telegram user per id (the name is the one Telegram shows); `greeting` is
        what greet() sends and the answer it waits for (any answer when None)."""
        self.bot = bot
        self.users.update({tid: bot.user(tid, name) for tid, name in names.items()})
        if greeting is not None:
            self.greeting = greeting
        return self

    def user(self, tid: int):
        return self.users[tid]

    async def greet(self, *tids: int) -> None:
        """Each person (everyone bound when no ids are given) has opened the chat: a bot can only
        write to people who wrote to it first."""
        text, expect = self.greeting
        predicate = None if expect is None else (lambda m: expect in (m.plain_text or ""))
        for tid in tids or tuple(self.users):
            await self.users[tid].send_text(text)
            await self.users[tid].wait_for_message(predicate=predicate)

    async def delivered(self, timeout: float = 5.0) -> None:
        """Wait until the sender has delivered every queued notification."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            with self.db.session() as s:
                if s.exec(select(Outbox.id).where(Outbox.status == OutboxStatus.pending)).first() is None:
                    return
            assert loop.time() < deadline, "the outbox was not delivered in time"
            await asyncio.sleep(0.02)


def opened(town: Township):
    """A mass-incident report by the grid worker with its first 信息报告 (初报) opened, and the
    party committee's group (镇党委, chat -100500) known; the case ref and the report's id."""
    ref = town.submit(type_id=town.mass)
    with town.db.session() as s:
        report = info_reports.open_first_report(s, case=s.get(Case, ref.id), reporter=s.get(Person, town.grid_worker),
                                                now=town.clock.now(), minutes=30, tz=town.clock.now().tzinfo)
        s.add(GroupChat(chat_id=-100500, title="镇党委", purpose="party_committee"))
        return ref, report.id
