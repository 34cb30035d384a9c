"""Notifications of 上门受理 (bot/services/home_visits.py). Everything typed is escaped here. They
carry a party's name, phone and address: the service sends them to people's private chats only."""

from bot.texts import home_visits as t
from bot.texts.markup import escape


def _e(value) -> str:
    return escape(value if value is not None else "")


def card(*, status: str, name: str, phone: str | None, address: str, reason: str, note: str | None,
         requester: str, requested: str, decided_by: str = "", refused: bool = False, refusal: str | None = None,
         visit_at: str = "", visitor: str = "", done_at: str = "", received: str | None = None) -> str:
    text = t.CARD.format(status=status, name=_e(name), phone=_e(phone or t.NONE), address=_e(address),
                         reason=_e(reason), note=_e(note or t.NONE), requester=_e(requester), requested=requested)
    if decided_by:
        text += t.CARD_DECIDED.format(who=_e(decided_by), verdict=t.VERDICT_NO if refused else t.VERDICT_YES,
                                      reason=f"：{_e(refusal)}" if refusal else "")
    if visit_at:
        text += t.CARD_SCHEDULED.format(when=visit_at, visitor=_e(visitor))
    if done_at:
        text += t.CARD_DONE.format(when=done_at, received=_e(received))
    return text


def to_decide(*, requester: str, card: str) -> str:
    return t.TO_DECIDE.format(requester=_e(requester), card=card)


def approved(*, name: str, who: str) -> str:
    return t.TO_REQUESTER_YES.format(name=_e(name), who=_e(who))


def refused(*, name: str, who: str, reason: str) -> str:
    return t.TO_REQUESTER_NO.format(name=_e(name), who=_e(who), reason=_e(reason))


def to_visitor(*, when: str, card: str) -> str:
    return t.TO_VISITOR.format(when=when, card=card)


def reminder(*, when: str, card: str) -> str:
    return t.REMIND.format(when=when, card=card)
