"""Who may do what. Handlers check these on every action, buttons included."""

from collections.abc import Iterable

from bot.services.errors import NotAllowed
from models import Role

CENTER = frozenset({Role.director, Role.leader, Role.staff})  # may work any case
SEE_ALL = frozenset({Role.director, Role.secretary})  # see confidential cases too
UNMASKED = frozenset({Role.director, Role.secretary})  # always see parties' phones and ID numbers
DECIDERS = frozenset({Role.leader, Role.director})  # approve deadline pauses and extensions
PROPOSERS = frozenset({Role.leader, Role.director})  # propose a 领导包案 (经中心领导同意)
# Who may be named 包案领导: center leaders, the director, and township party and government leaders
# (matters "需要由党委、政府处理的", 领导包案制度 一).
LEADER_ROLES = frozenset({Role.leader, Role.director, Role.township_leader})
MANAGE_PEOPLE = frozenset({Role.director, Role.admin})
# Granting or revoking these (by role change, invitation or import) needs the director, so an
# administrator cannot make themselves or anyone else director, party secretary or administrator.
PRIVILEGED = frozenset({Role.director, Role.secretary, Role.admin})
GRANTS_PRIVILEGED = frozenset({Role.director})
PRIVILEGED_ONLY_DIRECTOR = "授予或取消中心主任、党委书记、系统管理员身份，须由中心主任操作。请联系中心主任。"


def require(roles: Iterable[Role], allowed: frozenset[Role]) -> None:
    if not allowed.intersection(roles):
        raise NotAllowed()


def may_grant(actor_roles: Iterable[Role], roles: Iterable[Role]) -> bool:
    """Whether a person with `actor_roles` may grant or revoke every one of `roles`."""
    return not PRIVILEGED.intersection(roles) or bool(GRANTS_PRIVILEGED.intersection(actor_roles))


def require_grant(actor_roles: Iterable[Role], roles: Iterable[Role]) -> None:
    if not may_grant(actor_roles, roles):
        raise NotAllowed(PRIVILEGED_ONLY_DIRECTOR)
