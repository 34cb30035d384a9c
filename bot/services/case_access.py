"""Find and see a case: loading it, who may see it and its parties' personal data, how it is named
in lists and notifications, and the two writes every case module shares (its history, its files).

Every module that works on cases builds on this one, so it imports none of them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_
from sqlalchemy.orm import object_session
from sqlmodel import Session, col, select

from bot import texts
from bot.services import people, reference
from bot.services.access import CENTER, SEE_ALL, UNMASKED
from bot.services.errors import NotAllowed, NotFound
from models import Attachment, AuditEvent, Case, CaseCoUnit, CaseStatus, CaseType, Person, Role


class CaseNotFound(NotFound):
    def __init__(self):
        super().__init__("没有找到这个事项，请核对编号（例如 2026-0042）。")


@dataclass(frozen=True)
class PartyInput:
    name: str
    phone: str | None = None
    id_number: str | None = None


@dataclass(frozen=True)
class FileInput:
    kind: str  # photo / video / document / voice / audio
    file_id: str
    file_unique_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class CaseRef:
    id: int
    number: str
    status: CaseStatus
    urgent: bool
    summary: str
    light: str = ""  # 🟢 🟡 🔴 ⚪ while the deadline clock runs


# --- who may see it ----------------------------------------------------------------------------


def is_assigned(viewer: people.PersonView, case: Case) -> bool:
    """The handler, the assigned unit's contacts, and the 包案领导 answer for the case."""
    return viewer.id in (case.handler_id, case.leader_id) or (
        case.unit_id is not None and viewer.unit_id == case.unit_id and Role.unit in viewer.roles
    )


def is_co_unit(viewer: people.PersonView, case: Case) -> bool:
    """A contact of one of the case's 协办 units (joint handling): sees the case and adds progress,
    is chased on its deadline, but does not resolve it (bot/services/joint.py)."""
    if Role.unit not in viewer.roles or viewer.unit_id is None or case.id is None:
        return False
    session = object_session(case)
    if session is None:
        return False
    return session.exec(select(CaseCoUnit.id).where(
        CaseCoUnit.case_id == case.id, CaseCoUnit.unit_id == viewer.unit_id)).first() is not None


def can_view(viewer: people.PersonView, case: Case) -> bool:
    if viewer.has(*SEE_ALL) or is_assigned(viewer, case) or is_co_unit(viewer, case):
        return True
    if case.confidential:
        return False  # only the director, the secretary and the people assigned
    if viewer.has(Role.leader, Role.staff):
        return True
    if case.reporter_id == viewer.id:
        return True
    return case.village_id is not None and case.village_id in viewer.contact_village_ids


def sees_personal_data(viewer: people.PersonView, case: Case) -> bool:
    return (
        viewer.has(*UNMASKED)
        or is_assigned(viewer, case)
        or is_co_unit(viewer, case)
        or viewer.id in (case.reporter_id, case.first_inquiry_id)
    )


def reporter_view(viewer: people.PersonView, case: Case) -> bool:
    """The reporter of a confidential case they are not assigned to: they see what they reported,
    its status and outcome, not what others added (progress notes, files, 包案, 督办, handler)."""
    return case.reporter_id == viewer.id and not can_view(viewer, case)


def writes_reports(actor: people.PersonView, case: Case) -> bool:
    """Who writes what the center reports about a case it may read (信息报告, 上报上级): center
    people, and the case's reporter."""
    return actor.has(*CENTER) or case.reporter_id == actor.id


def visibility_filter(viewer: people.PersonView):
    """SQL equivalent of can_view, so lists and search never show what the card would refuse."""
    if viewer.has(*SEE_ALL):
        return None
    assigned = or_(Case.handler_id == viewer.id, Case.leader_id == viewer.id)
    if Role.unit in viewer.roles and viewer.unit_id is not None:
        co_units = select(CaseCoUnit.case_id).where(CaseCoUnit.unit_id == viewer.unit_id)
        assigned = or_(assigned, Case.unit_id == viewer.unit_id, col(Case.id).in_(co_units))
    assigned = or_(assigned, Case.reporter_id == viewer.id)  # a confidential case's reporter: reporter_view
    if viewer.has(Role.leader, Role.staff):
        return or_(assigned, col(Case.confidential).is_(False))
    villages = col(Case.village_id).in_(list(viewer.contact_village_ids) or [-1])
    return or_(assigned, (col(Case.confidential).is_(False)) & villages)


# --- finding it --------------------------------------------------------------------------------


def load_case(session: Session, case_id: int, *, lock: bool = False) -> Case:
    stmt = select(Case).where(Case.id == case_id)
    # FOR UPDATE: two staff pressing 受理 at the same moment on PostgreSQL; the second waits and
    # then sees the new state (SQLite's IMMEDIATE transactions already serialise writers).
    case = session.exec(stmt.with_for_update() if lock else stmt).first()
    if case is None:
        raise CaseNotFound()
    return case


def visible_case(session: Session, viewer_id: int, case_id: int, *, lock: bool = False,
                 reporter: bool = False) -> tuple[people.PersonView, Case]:
    """The viewer and the case, if they may see it. With `reporter`, also the reporter of a case
    they may not otherwise see (see reporter_view): for reading what they reported, never for acting."""
    viewer = people.get(session, person_id=viewer_id)
    case = load_case(session, case_id, lock=lock)
    if not (can_view(viewer, case) or (reporter and case.reporter_id == viewer.id)):
        raise NotAllowed(texts.NO_ACCESS)
    return viewer, case


# --- how it is named ---------------------------------------------------------------------------


def person_name(session: Session, person_id: int | None) -> str:
    person = session.get(Person, person_id) if person_id else None
    return person.name if person else ""


def type_name(case_type: CaseType | None) -> str:
    if case_type is None:
        return ""
    if case_type.category == case_type.subtype:
        return case_type.subtype
    return f"{case_type.category}·{case_type.subtype}"


def village_name(session: Session, case: Case) -> str:
    parts = []
    if v := reference.village(session, case.village_id):
        parts.append(v.name)
    if g := reference.grid(session, case.grid_id):
        parts.append(g.name)
    return " ".join(parts)


def summary_line(case: Case, limit: int = 40) -> str:
    text = " ".join(case.description.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def case_ref(case: Case, light: str = "") -> CaseRef:
    return CaseRef(id=case.id, number=case.number, status=CaseStatus(case.status), urgent=case.urgent,
                   summary=summary_line(case), light=light)


# --- what every case module writes -------------------------------------------------------------


def record_event(session: Session, actor_id: int | None, case: Case, action: str, now: datetime,
                 **details) -> AuditEvent:
    """A `case.<action>` event: the case's history. Details that are None are left out."""
    ev = AuditEvent(actor_id=actor_id, action=f"case.{action}", subject_type="case", subject_id=case.id,
                    details={k: v for k, v in details.items() if v is not None}, at=now)
    session.add(ev)
    session.flush()
    return ev


def add_files(session: Session, case_id: int, sender_id: int, files: Iterable[FileInput], now: datetime,
              note: str | None = None) -> None:
    for f in files:
        session.add(Attachment(
            case_id=case_id, kind=f.kind, file_id=f.file_id, file_unique_id=f.file_unique_id,
            file_name=f.file_name, mime_type=f.mime_type, size=f.size, sender_id=sender_id, note=note, at=now,
        ))
