"""Counts of the center's other work (issue 16) by plain SQL, for /stats: 上级交办, 上门受理, 会商,
请示 on 督办 notices and 已到场. No buttons and no texts are imported (the statistics import this), so
the 请示 entry kinds are repeated here; a test checks they match bot/services/supervision/instruct.py.

Every figure is a count by the moment it happened in [start, end), so the counts of several
villages add up. The village is the case's (交办, 会商, 请示, 已到场) or the request's (上门受理);
the whole township (village_ids None) also counts those without a village."""

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import (
    Case,
    CaseAssignment,
    CaseConsultation,
    HomeVisit,
    HomeVisitStatus,
    NoticeEntry,
    SceneArrival,
    SupervisionNotice,
)

ASK = "instruction"  # NoticeEntry.kind of a 请示 (supervision/instruct.ASK)
ANSWER = "instruction_reply"  # NoticeEntry.kind of its answer (supervision/instruct.ANSWER)
# The answer's entry text starts with its label (supervision/instruct.answer); key → label
ANSWER_KINDS = {"instr_extend": "同意延期", "instr_close": "同意结案", "instr_transfer": "同意移送",
                "instr_refuse": "不同意"}

KEYS = ("jb_registered", "jb_reported", "jb_reported_on_time", "hv_requested", "hv_approved", "hv_refused",
        "hv_done", "consult_held", "instr_asked", "instr_answered", *ANSWER_KINDS, "arrivals")


def figures(session: Session, *, start: datetime, end: datetime, village_ids: tuple[int, ...] | None) -> dict[str, int]:
    def count(stmt, *where) -> int:
        return int(session.exec(stmt.where(*where)).one() or 0)

    def by_case(table, moment, *where) -> int:
        scope = [] if village_ids is None else [col(Case.village_id).in_(village_ids)]
        stmt = select(func.count()).select_from(table).join(Case, Case.id == table.case_id)
        return count(stmt, moment >= start, moment < end, *scope, *where)

    def entries(moment_kind: str, *where) -> int:
        scope = [] if village_ids is None else [col(Case.village_id).in_(village_ids)]
        stmt = (select(func.count()).select_from(NoticeEntry)
                .join(SupervisionNotice, SupervisionNotice.id == NoticeEntry.notice_id)
                .join(Case, Case.id == SupervisionNotice.case_id))
        return count(stmt, NoticeEntry.kind == moment_kind, NoticeEntry.at >= start, NoticeEntry.at < end,
                     *scope, *where)

    def visits(moment, *where) -> int:
        scope = [] if village_ids is None else [col(HomeVisit.village_id).in_(village_ids)]
        return count(select(func.count()).select_from(HomeVisit), moment >= start, moment < end, *scope, *where)

    out = {
        # 交办: recorded in the period; reported back in it; of those, on or before the assigner's deadline
        "jb_registered": by_case(CaseAssignment, CaseAssignment.recorded_at),
        "jb_reported": by_case(CaseAssignment, CaseAssignment.reported_at),
        "jb_reported_on_time": by_case(CaseAssignment, CaseAssignment.reported_at,
                                       col(CaseAssignment.reported_at) <= col(CaseAssignment.due_at)),
        # 上门受理: asked in the period; decided in it (同意 / 不同意); visits done in it
        "hv_requested": visits(HomeVisit.requested_at),
        "hv_approved": visits(HomeVisit.decided_at, HomeVisit.status != HomeVisitStatus.refused),
        "hv_refused": visits(HomeVisit.decided_at, HomeVisit.status == HomeVisitStatus.refused),
        "hv_done": visits(HomeVisit.done_at),
        "consult_held": by_case(CaseConsultation, CaseConsultation.held_at),
        "instr_asked": entries(ASK),
        "instr_answered": entries(ANSWER),
        "arrivals": by_case(SceneArrival, SceneArrival.arrived_at),
    }
    for key, label in ANSWER_KINDS.items():
        out[key] = entries(ANSWER, col(NoticeEntry.text).startswith(label))
    return {k: out[k] for k in KEYS}
