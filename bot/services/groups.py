"""Group chats the bot posts to: the party committee's group receives submitted 信息报告.

An admin or the director adds the bot to the group and registers it from inside the group, so the
chat id is the real one and nobody types it. Every change is audited.
"""

from datetime import datetime

from sqlmodel import Session, col, select

from bot.services import audit, people
from bot.services.access import MANAGE_PEOPLE
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from models import GroupChat

PARTY_COMMITTEE = "party_committee"
MAX_TITLE = 100
MANAGERS_ONLY = "只有系统管理员或中心主任可以登记或解除党委工作群。"


def _manager(session: Session, actor_id: int):
    actor = people.get(session, person_id=actor_id)
    if not actor.has(*MANAGE_PEOPLE):
        raise NotAllowed(MANAGERS_ONLY)
    return actor


def bind_group(
    session: Session, *, actor_id: int, chat_id: int, title: str, now: datetime, purpose: str = PARTY_COMMITTEE
) -> GroupChat:
    """Register (or re-register, e.g. after a rename) a group chat; idempotent."""
    actor = _manager(session, actor_id)
    if chat_id >= 0:  # private chats have positive ids, groups negative ones
        raise InvalidInput("只能登记群聊：请把机器人拉进党委工作群，在群里发送 /bindgroup。")
    title = (title or "").strip()[:MAX_TITLE] or str(chat_id)
    group = session.get(GroupChat, chat_id)
    created = group is None
    if group is None:
        group = GroupChat(chat_id=chat_id, title=title, purpose=purpose)
    else:
        group.title, group.purpose = title, purpose
    session.add(group)
    # subject_id is a 32-bit column on PostgreSQL; a supergroup id (-100…) goes into the details.
    audit.record(session, actor_id=actor.id, action="group.bind", subject_type="group_chat", subject_id=None,
                 now=now, chat_id=chat_id, title=title, purpose=purpose, created=created)
    session.flush()
    return group


def unbind_group(session: Session, *, actor_id: int, chat_id: int, now: datetime) -> GroupChat:
    """Stop posting to a group (e.g. the bot was removed from it, or the wrong group was bound)."""
    actor = _manager(session, actor_id)
    group = session.get(GroupChat, chat_id)
    if group is None:
        raise NotFound("这个群没有登记过，无需解除。")
    session.delete(group)
    audit.record(session, actor_id=actor.id, action="group.unbind", subject_type="group_chat", subject_id=None,
                 now=now, chat_id=chat_id, title=group.title, purpose=group.purpose)
    session.flush()
    return group


def bound_groups(session: Session, *, actor_id: int, purpose: str = PARTY_COMMITTEE) -> list[GroupChat]:
    _manager(session, actor_id)
    return list(session.exec(select(GroupChat).where(GroupChat.purpose == purpose).order_by(col(GroupChat.title))))
