"""Notifications and the card of a 重点整治区域 (bot/services/focus_areas.py). Everything typed is
escaped here, once."""

from bot.texts import focus_areas as t
from bot.texts.markup import escape


def _e(value) -> str:
    return escape(value if value is not None else "")


def card(*, village: str, problem: str, listed: str, lister: str, due: str, light: str, light_words: str,
         extension: str | None, leaders: str, plan: str | None, responsible: str,
         checks: list[tuple[str, str, str]], status: str, result: str | None, closer: str, closed: str) -> str:
    """`checks`: (when, who, text), oldest first."""
    history = "".join(t.CARD_CHECK.format(when=when, who=_e(who), text=_e(text)) for when, who, text in checks)
    return t.CARD.format(
        village=_e(village), problem=_e(problem), listed=listed, lister=_e(lister), due=due,
        light=t.CARD_LIGHT.format(light=light, words=light_words) if light else "",
        extended=t.CARD_EXTENDED.format(reason=_e(extension)) if extension else "",
        leaders=_e(leaders or t.NONE), plan=_e(plan) if plan else t.NO_PLAN, responsible=_e(responsible or t.NONE),
        checks=history or t.NO_CHECKS, status=status,
        result=t.CARD_RESULT.format(result=_e(result), who=_e(closer), when=closed) if result else "")


def listed(*, village: str, lister: str, problem: str, due: str) -> str:
    return t.TO_LISTED.format(village=_e(village), lister=_e(lister), problem=_e(problem), due=due)


def plan_recorded(*, village: str, who: str, responsible: str, plan: str) -> str:
    return t.TO_PLAN.format(village=_e(village), who=_e(who), responsible=_e(responsible), plan=_e(plan))


def closed(*, village: str, who: str, result: str) -> str:
    return t.TO_CLOSED.format(village=_e(village), who=_e(who), result=_e(result))


def extended(*, village: str, who: str, due: str, reason: str) -> str:
    return t.TO_EXTENDED.format(village=_e(village), who=_e(who), due=due, reason=_e(reason))


def chase_plan(*, village: str, days: int, listed: str) -> str:
    return t.CHASE_PLAN.format(village=_e(village), days=days, listed=listed)


def chase_check(*, village: str, days: int, since: str) -> str:
    return t.CHASE_CHECK.format(village=_e(village), days=days, since=since)


def overdue(*, village: str, due: str) -> str:
    return t.TO_OVERDUE.format(village=_e(village), due=due)
