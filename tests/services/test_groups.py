"""The party committee's group chat: bound and unbound by an admin or the director, audited."""

import pytest
from sqlmodel import select

from bot.services import groups
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from models import AuditEvent, GroupChat


def bind(w, actor, chat_id=-1001234567890, title="镇党委工作群"):
    return w.db.call(groups.bind_group, actor_id=actor, chat_id=chat_id, title=title, now=w.clock.now())


def stored(w):
    with w.db.session() as s:
        return [(g.chat_id, g.title, g.purpose) for g in s.exec(select(GroupChat))]


def actions(w):
    with w.db.session() as s:
        return [(e.action, e.actor_id, e.details.get("chat_id"))
                for e in s.exec(select(AuditEvent).where(AuditEvent.subject_type == "group_chat")
                                .order_by(AuditEvent.id))]


def test_bind_rebind_list_and_unbind(w):
    group = bind(w, w.director)
    assert (group.chat_id, group.purpose) == (-1001234567890, "party_committee")
    bind(w, w.director, title="  镇党委工作群（新）  ")  # renamed group: same row, new title
    assert stored(w) == [(-1001234567890, "镇党委工作群（新）", "party_committee")]
    listed = w.db.call(groups.bound_groups, actor_id=w.director)
    assert [g.title for g in listed] == ["镇党委工作群（新）"]
    gone = w.db.call(groups.unbind_group, actor_id=w.director, chat_id=-1001234567890, now=w.clock.now())
    assert gone.title == "镇党委工作群（新）" and stored(w) == []
    with pytest.raises(NotFound):
        w.db.call(groups.unbind_group, actor_id=w.director, chat_id=-1001234567890, now=w.clock.now())
    assert actions(w) == [("group.bind", w.director, -1001234567890), ("group.bind", w.director, -1001234567890),
                          ("group.unbind", w.director, -1001234567890)]


@pytest.mark.parametrize("who", ["secretary", "leader", "staff", "grid_worker"])
def test_only_admin_or_director(w, who):
    with pytest.raises(NotAllowed, match="系统管理员或中心主任"):
        bind(w, getattr(w, who))
    bind(w, w.director)
    with pytest.raises(NotAllowed):
        w.db.call(groups.unbind_group, actor_id=getattr(w, who), chat_id=-1001234567890, now=w.clock.now())
    with pytest.raises(NotAllowed):
        w.db.call(groups.bound_groups, actor_id=getattr(w, who))
    assert len(stored(w)) == 1 and len(actions(w)) == 1


def test_private_chat_and_blank_title(w):
    with pytest.raises(InvalidInput, match="只能登记群聊"):
        bind(w, w.director, chat_id=12345)
    assert bind(w, w.director, chat_id=-42, title="   ").title == "-42"
    assert bind(w, w.director, chat_id=-43, title="群" * 300).title == "群" * 100
