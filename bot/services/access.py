"""Who may do what. Handlers check these on every action, buttons included."""

from collections.abc import Iterable

from bot.services.errors import NotAllowed
from models import Role

MANAGE_PEOPLE = frozenset({Role.director, Role.admin})


def require(roles: Iterable[Role], allowed: frozenset[Role]) -> None:
    if not allowed.intersection(roles):
        raise NotAllowed()
