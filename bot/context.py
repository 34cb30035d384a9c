"""What handlers, jobs and sweeps read from the Application: the live objects (Deps) and the
per-update context. Kept apart from bot.app so handlers never import the module that imports them."""

import asyncio
from dataclasses import dataclass, field
from functools import cached_property

from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.config import Settings
from bot.db import Database
from bot.ops.election import Role, always_active
from bot.services.cases import CaseTypes
from bot.services.intake import IntakePolicy
from bot.services.people import PersonCache, PersonView
from bot.services.supervision import NoticeStyle

DEPS = "deps"  # bot_data key of the Deps (bot_data is not persisted)


@dataclass
class Deps:
    """Live objects every handler needs; kept in (unpersisted) bot_data."""

    settings: Settings
    db: Database
    clock: Clock
    owns_db: bool = True  # close the database at shutdown only if the application opened it
    people: PersonCache = field(init=False)  # the gate's lookups (people.PersonCache)
    case_types: CaseTypes = field(init=False)  # the catalogue the report steps list
    # The regular sweep and a wake-up booked for a due reminder never run at the same time.
    sweep_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Active or standby (issue 18, bot/ops/election.py): only the active instance takes updates and sweeps.
    role: Role = field(default_factory=always_active)

    def __post_init__(self):
        # Both keep their memos with the database's (Database.memos).
        self.people = PersonCache(self.db.memos)
        self.case_types = CaseTypes(self.db.memos)

    @cached_property
    def policy(self) -> IntakePolicy:
        """The time rules from the settings: deadlines, working hours, alert and report timings."""
        return IntakePolicy.from_settings(self.settings)

    @cached_property
    def notice_style(self) -> NoticeStyle:
        """How 督办通知书 are numbered and headed (GB/T 9704)."""
        return NoticeStyle.from_settings(self.settings)


def deps(app: Application) -> Deps:
    return app.bot_data[DEPS]


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    """PTB creates one context per update, so the gate can hang the resolved person on it."""

    person: PersonView | None = None

    @property
    def deps(self) -> Deps:
        return deps(self.application)
