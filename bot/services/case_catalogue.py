"""The case catalogue edited in chat (/admin → 事项类型): types (categories) and their subtypes.

A CaseType row is one subtype; a type is every row sharing its `category` (a type without subtypes
is one row named after itself). A type is named in buttons by the id of any of its rows (its first
one), which survives renaming. Nothing is ever deleted: cases keep the row they were filed under,
so a disabled type or subtype only leaves the report and visit pickers (cases.case_types).

The settings live on the rows, because that is where intake reads them (forces_urgent,
needs_info_report, confidential, deadline_days); a type-wide change sets every row of the type, and
the type shows 「部分」 while its subtypes differ. The 通报 section is the meetings' ReportSection map,
keyed by the category name (a subtype's own row, 类别/子类, wins), so renames move its keys too.

Every edit commits with its audit event; the in-memory catalogue (cases.CATALOGUE) counts the
commit, so the next message already sees it.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.services import audit, people
from bot.services.access import MANAGE_PEOPLE
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from models import Case, CaseType, ReportSection
from models.cases import TypeFlag, TypeSection

MAX_CATEGORY = 30  # CaseType.category's column
MAX_SUBTYPE = 40  # CaseType.subtype's column
MIN_DAYS, MAX_DAYS = 1, 60
MIXED = "mixed"  # a type-wide setting whose subtypes differ


@dataclass(frozen=True)
class TypeLine:
    id: int  # the type's first row
    name: str
    active: bool
    subtypes: int  # rows of the type, disabled ones too
    section: str | None


@dataclass(frozen=True)
class SubtypeLine:
    id: int
    name: str
    active: bool


@dataclass(frozen=True)
class TypeView:
    id: int
    name: str
    active: bool
    flags: dict[TypeFlag, bool | str]  # True / False / MIXED
    deadline_days: int | str | None  # None: by severity; MIXED
    section: str | None
    subtypes: list[SubtypeLine]
    cases: int  # cases filed under it, for the admin's information


@dataclass(frozen=True)
class SubtypeView:
    id: int
    type_id: int
    category: str
    name: str
    active: bool
    type_active: bool
    flags: dict[TypeFlag, bool]
    deadline_days: int | None
    section: str | None  # its own 通报 section, None: the type's
    type_section: str | None


def _require_admin(session: Session, actor_id: int) -> None:
    if not people.get(session, person_id=actor_id).has(*MANAGE_PEOPLE):
        raise NotAllowed()


def _row(session: Session, type_id: int) -> CaseType:
    row = session.get(CaseType, type_id)
    if row is None:
        raise NotFound("没有找到这个事项类型，可能已被修改。请重新打开列表。")
    return row


def _rows(session: Session, category: str) -> list[CaseType]:
    return list(session.exec(select(CaseType).where(CaseType.category == category)
                             .order_by(col(CaseType.sort), col(CaseType.id))))


def clean_name(name: str | None, what: str, limit: int) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(f"{what}名称不能为空，请输入名称。")
    if len(name) > limit:
        raise InvalidInput(f"{what}名称太长：最多 {limit} 个字，现在 {len(name)} 个字。")
    if len(name) < 2:
        raise InvalidInput(f"{what}名称至少 2 个字。")
    if any(ch in name for ch in "<>&/"):  # HTML in messages; "/" separates 类别/子类 in the 通报 map
        raise InvalidInput(f"{what}名称不能包含 < > & / 符号。")
    return name


def _sections(session: Session) -> dict[str, str]:
    return {r.key: r.section for r in session.exec(select(ReportSection))}


def _move_section(session: Session, row: ReportSection, key: str) -> None:
    """The 通报 mapping follows a renamed type or subtype (over a leftover row for the new name)."""
    section = row.section
    session.delete(row)
    session.flush()
    found = session.get(ReportSection, key)
    if found is None:
        session.add(ReportSection(key=key, section=section))
    else:
        found.section = section
        session.add(found)


def _uniform(values: list) -> object:
    return values[0] if values and all(v == values[0] for v in values) else MIXED


# --- reading ----------------------------------------------------------------------------------------


def list_types(session: Session, *, actor_id: int) -> list[TypeLine]:
    """Every type, disabled ones too, in the pickers' order."""
    _require_admin(session, actor_id)
    sections = _sections(session)
    found: dict[str, list[CaseType]] = {}
    for row in session.exec(select(CaseType).order_by(col(CaseType.sort), col(CaseType.id))):
        found.setdefault(row.category, []).append(row)
    return [TypeLine(id=rows[0].id, name=name, active=rows[0].category_active, subtypes=len(rows),
                     section=sections.get(name)) for name, rows in found.items()]


def type_view(session: Session, *, actor_id: int, type_id: int) -> TypeView:
    _require_admin(session, actor_id)
    rows = _rows(session, _row(session, type_id).category)
    first = rows[0]
    used = session.exec(select(func.count()).select_from(Case)
                        .where(col(Case.type_id).in_([r.id for r in rows]))).one()
    return TypeView(
        id=first.id, name=first.category, active=first.category_active,
        flags={f: _uniform([bool(getattr(r, f.value)) for r in rows]) for f in TypeFlag},
        deadline_days=_uniform([r.deadline_days or None for r in rows]),
        section=_sections(session).get(first.category),
        subtypes=[SubtypeLine(id=r.id, name=r.subtype, active=r.active) for r in rows], cases=used)


def subtype_view(session: Session, *, actor_id: int, subtype_id: int) -> SubtypeView:
    _require_admin(session, actor_id)
    row = _row(session, subtype_id)
    sections = _sections(session)
    return SubtypeView(
        id=row.id, type_id=_rows(session, row.category)[0].id, category=row.category, name=row.subtype,
        active=row.active, type_active=row.category_active,
        flags={f: bool(getattr(row, f.value)) for f in TypeFlag}, deadline_days=row.deadline_days or None,
        section=sections.get(f"{row.category}/{row.subtype}"), type_section=sections.get(row.category))


# --- editing ----------------------------------------------------------------------------------------


def _record(session: Session, actor_id: int, action: str, row: CaseType, now: datetime, **details) -> None:
    session.flush()
    audit.record(session, actor_id=actor_id, action=f"case_type.{action}", subject_type="case_type",
                 subject_id=row.id, now=now, category=row.category, **details)


def create_type(session: Session, *, actor_id: int, name: str, now: datetime) -> int:
    """A new type without subtypes (add them on its screen); offered in the pickers at once."""
    _require_admin(session, actor_id)
    name = clean_name(name, "类型", MAX_CATEGORY)
    if _rows(session, name):
        raise InvalidInput(f"已经有叫「{name}」的类型了，请换一个名称。")
    last = session.exec(select(func.max(CaseType.sort))).one() or 0
    row = CaseType(category=name, subtype=name, sort=last + 1)
    session.add(row)
    _record(session, actor_id, "create", row, now, name=name)
    return row.id


def rename_type(session: Session, *, actor_id: int, type_id: int, name: str, now: datetime) -> int:
    """Renames the type on all its rows; old cases show the new name, as does the 通报 map."""
    _require_admin(session, actor_id)
    old = _row(session, type_id).category
    name = clean_name(name, "类型", MAX_CATEGORY)
    if name == old:
        raise InvalidInput(f"类型已经叫「{name}」了。请输入新的名称，或发送 /cancel 取消。")
    if _rows(session, name):
        raise InvalidInput(f"已经有叫「{name}」的类型了，请换一个名称。")
    rows = _rows(session, old)
    for row in rows:
        if row.subtype == old:  # the type's own row (a type without subtypes) keeps carrying its name
            if any(r.subtype == name for r in rows):
                raise InvalidInput(f"「{old}」下已有叫「{name}」的子类，请换一个名称。")
            row.subtype = name
        row.category = name
        session.add(row)
    for section in list(session.exec(select(ReportSection))):
        if section.key == old or section.key.startswith(f"{old}/"):
            _move_section(session, section, name + section.key[len(old):])
    _record(session, actor_id, "rename", rows[0], now, before=old, after=name)
    return rows[0].id


def set_type_active(session: Session, *, actor_id: int, type_id: int, active: bool, now: datetime) -> int:
    """停用 hides the type from the pickers; its subtypes keep their own switches for 启用."""
    _require_admin(session, actor_id)
    rows = _rows(session, _row(session, type_id).category)
    for row in rows:
        row.category_active = active
        session.add(row)
    _record(session, actor_id, "enable" if active else "disable", rows[0], now)
    return rows[0].id


def set_flag(session: Session, *, actor_id: int, type_id: int, flag: TypeFlag, on: bool, whole_type: bool,
             now: datetime) -> int:
    """紧急 / 信息报告 / 默认保密 for the whole type (every subtype) or one subtype; read at the next report."""
    _require_admin(session, actor_id)
    row = _row(session, type_id)
    rows = _rows(session, row.category) if whole_type else [row]
    for r in rows:
        setattr(r, flag.value, on)
        session.add(r)
    _record(session, actor_id, "flag", row, now, flag=flag.value, on=on,
             subtype=None if whole_type else row.subtype)
    return row.id


def parse_days(text: str | None) -> int:
    """「15」「15天」「１５个工作日」 → 15, within 1–60 working days."""
    raw = (text or "").strip()
    for tail in ("个工作日", "工作日", "天"):
        raw = raw.removesuffix(tail).strip()
    try:
        days = int(raw)  # int() reads full-width digits too
    except ValueError:
        raise InvalidInput(f"请输入 {MIN_DAYS}–{MAX_DAYS} 之间的工作日天数，例如 15。") from None
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise InvalidInput(f"办理时限需在 {MIN_DAYS}–{MAX_DAYS} 个工作日之间，请重新输入。")
    return days


def set_deadline(session: Session, *, actor_id: int, type_id: int, days: int | None, whole_type: bool,
                 now: datetime) -> int:
    """The working days a case of the type gets from acceptance (None: by severity, as before).
    Cases already running keep the deadline they were given."""
    _require_admin(session, actor_id)
    if days is not None and not MIN_DAYS <= days <= MAX_DAYS:
        raise InvalidInput(f"办理时限需在 {MIN_DAYS}–{MAX_DAYS} 个工作日之间，请重新输入。")
    row = _row(session, type_id)
    for r in _rows(session, row.category) if whole_type else [row]:
        r.deadline_days = days
        session.add(r)
    _record(session, actor_id, "deadline", row, now, days=days, subtype=None if whole_type else row.subtype)
    return row.id


def set_section(session: Session, *, actor_id: int, type_id: int, section: TypeSection | None,
                whole_type: bool, now: datetime) -> int:
    """The 通报 section of the type, or of one subtype (None: the subtype follows its type)."""
    _require_admin(session, actor_id)
    row = _row(session, type_id)
    if whole_type and section is None:
        raise InvalidInput("请选择一个通报分类。")
    key = row.category if whole_type else f"{row.category}/{row.subtype}"
    found = session.get(ReportSection, key)
    if section is None:
        if found is not None:
            session.delete(found)
    elif found is None:
        session.add(ReportSection(key=key, section=section.value))
    else:
        found.section = section.value
        session.add(found)
    _record(session, actor_id, "section", row, now, key=key, section=section.value if section else None)
    return row.id


def add_subtype(session: Session, *, actor_id: int, type_id: int, name: str, now: datetime) -> int:
    """A new subtype takes the type's settings where its subtypes agree on them."""
    _require_admin(session, actor_id)
    rows = _rows(session, _row(session, type_id).category)
    name = clean_name(name, "子类", MAX_SUBTYPE)
    if any(r.subtype == name for r in rows):
        raise InvalidInput(f"「{rows[0].category}」下已有叫「{name}」的子类，请换一个名称。")
    like = {f.value: _uniform([bool(getattr(r, f.value)) for r in rows]) for f in TypeFlag}
    days = _uniform([r.deadline_days or None for r in rows])
    severity = _uniform([r.default_severity for r in rows])
    row = CaseType(category=rows[0].category, subtype=name, sort=rows[-1].sort,
                   category_active=rows[0].category_active, deadline_days=None if days == MIXED else days,
                   **{k: v is True for k, v in like.items()},
                   **({} if severity == MIXED else {"default_severity": severity}))
    session.add(row)
    _record(session, actor_id, "subtype.create", row, now, name=name)
    return row.id


def rename_subtype(session: Session, *, actor_id: int, subtype_id: int, name: str, now: datetime) -> int:
    _require_admin(session, actor_id)
    row = _row(session, subtype_id)
    old = row.subtype
    name = clean_name(name, "子类", MAX_SUBTYPE)
    if name == old:
        raise InvalidInput(f"子类已经叫「{name}」了。请输入新的名称，或发送 /cancel 取消。")
    if any(r.subtype == name for r in _rows(session, row.category)):
        raise InvalidInput(f"「{row.category}」下已有叫「{name}」的子类，请换一个名称。")
    own = session.get(ReportSection, f"{row.category}/{old}")
    if own is not None:
        _move_section(session, own, f"{row.category}/{name}")
    row.subtype = name
    session.add(row)
    _record(session, actor_id, "subtype.rename", row, now, before=old, after=name)
    return row.id


def set_subtype_active(session: Session, *, actor_id: int, subtype_id: int, active: bool, now: datetime) -> int:
    _require_admin(session, actor_id)
    row = _row(session, subtype_id)
    row.active = active
    session.add(row)
    _record(session, actor_id, "subtype.enable" if active else "subtype.disable", row, now, subtype=row.subtype)
    return row.id
