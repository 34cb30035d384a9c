"""A year's catalogue of assessment items, totalling 100 points.

The default catalogue below is LOCAL POLICY, not the regulations': they say to sign, check and assess
(目标管理责任书的签订、检查、考核), commend good work, have problems put right (整改) and apply
领导责任查究 and 一票否决 to serious incidents, but give no item, point or threshold. Every number here
is a catalogue row the center changes by uploading the .xlsx (from the template the bot sends) or by
editing an item in chat; a year's catalogue is made from these rows the first time it is needed.
"""

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from sqlmodel import Session, col, func, select

from bot.services import audit
from bot.services.assessment.measures import MEASURES, PLANNED, by_label, label
from bot.services.errors import InvalidInput, NotFound
from bot.texts import assessment as t
from models import AssessmentItem, AssessmentMark, ItemKind, ItemRule

TOTAL = Decimal(100)
MAX_ITEMS = 30
D = Decimal

# (name, kind, points, applies_to, measure, rule, threshold, step, per_unit, cap, standard)
DEFAULT_CATALOGUE: tuple[tuple, ...] = (
    ("按期办结率", ItemKind.computed, D(20), "all", "on_time", ItemRule.below, D(95), D(1), True, D(20),
     "按期办结率低于95%的，每低1个百分点扣1分，最多扣20分"),
    ("督办红牌", ItemKind.computed, D(10), "all", "sv_red", ItemRule.above, D(0), D(2), True, D(10),
     "被发督办红牌的，每次扣2分，最多扣10分"),
    ("紧急警报签收", ItemKind.computed, D(10), "all", "urgent_unacked", ItemRule.above, D(0), D(1), True, D(10),
     "紧急警报未及时签收（升级）的，每次扣1分，最多扣10分"),
    ("群众满意率", ItemKind.computed, D(10), "all", "satisfaction", ItemRule.below, D(90), D(2), False, D(2),
     "回访满意率低于90%的，扣2分"),
    ("排查报送", ItemKind.computed, D(10), "village", "screening_missing", ItemRule.above, D(0), D(0.5), True, D(5),
     "矛盾纠纷排查情况未按时报送的，每次扣0.5分，最多扣5分"),
    ("工作计划落实", ItemKind.computed, D(10), "all", "plan_late", ItemRule.above, D(0), D(1), True, D(10),
     "综治工作计划中本单位（村）承担的任务逾期未完成或逾期完成的，每项扣1分，最多扣10分"),
    ("平安建设工作", ItemKind.manual, D(20), "all", None, None, None, None, True, None,
     "平安创建、群防群治、宣传教育落实情况，由综治中心检查评分（附佐证材料）"),
    ("基础台账资料", ItemKind.manual, D(10), "all", None, None, None, None, True, None,
     "台账资料齐全规范、信息报送及时，由综治中心检查评分（附佐证材料）"),
    ("一票否决", ItemKind.veto, D(0), "all", None, None, None, None, True, None,
     "发生重大群体性事件、因矛盾纠纷未化解引发命案等严重危害社会稳定问题的，实行一票否决"),
)


def items(session: Session, *, year: int) -> list[AssessmentItem]:
    return list(session.exec(select(AssessmentItem).where(AssessmentItem.year == year)
                             .order_by(col(AssessmentItem.seq))))


def ensure(session: Session, *, year: int) -> list[AssessmentItem]:
    """The year's catalogue; made from DEFAULT_CATALOGUE the first time."""
    found = items(session, year=year)
    if found:
        return found
    for seq, row in enumerate(DEFAULT_CATALOGUE, start=1):
        session.add(_item(year, seq, row))
    session.flush()
    return items(session, year=year)


def _item(year: int, seq: int, row: tuple) -> AssessmentItem:
    name, kind, points, applies, measure, rule, threshold, step, per_unit, cap, standard = row
    return AssessmentItem(year=year, seq=seq, name=name, kind=kind, points=points, applies_to=applies,
                          measure=measure, rule=rule, threshold=threshold, step=step, per_unit=per_unit, cap=cap,
                          standard=standard)


def total(found: list[AssessmentItem]) -> Decimal:
    return sum((Decimal(i.points) for i in found), Decimal(0))


def get(session: Session, item_id: int) -> AssessmentItem:
    item = session.get(AssessmentItem, item_id)
    if item is None:
        raise NotFound(t.STALE)
    return item


def rule_text(item: AssessmentItem) -> str:
    """The rule in words, from the row's numbers (what the catalogue view and the 责任书 print)."""
    if item.kind == ItemKind.manual:
        return t.RULE_MANUAL.format(points=num(item.points))
    if item.kind == ItemKind.veto:
        return t.RULE_VETO
    unit = MEASURES[item.measure].unit if item.measure in MEASURES else "次"
    cap = num(item.cap if item.cap is not None else item.points)
    if item.rule == ItemRule.below:
        each = t.RULE_PER_POINT if item.per_unit else t.RULE_ONCE
        return t.RULE_BELOW.format(measure=label(item.measure), threshold=num(item.threshold), unit=unit,
                                   each=each, step=num(item.step), cap=cap)
    each = t.RULE_PER_TIME.format(unit=unit) if item.per_unit else t.RULE_ONCE
    return t.RULE_ABOVE.format(measure=label(item.measure), threshold=num(item.threshold), unit=unit, each=each,
                               step=num(item.step), cap=cap)


def num(value) -> str:
    """2 / 2.5 / 0.25: no trailing zeros."""
    if value is None:
        return "—"
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


# --- editing in chat ---------------------------------------------------------------------------------

EDITABLE = ("points", "threshold", "step", "cap")


def edit(session: Session, *, actor_id: int, item_id: int, field: str, text: str, now: datetime) -> AssessmentItem:
    item = get(session, item_id)
    if field not in EDITABLE or (field != "points" and item.kind != ItemKind.computed):
        raise InvalidInput(t.STALE)
    value = _number(text, t.BAD_NUMBER)
    if value < 0 or value > TOTAL:
        raise InvalidInput(t.BAD_NUMBER)
    old = getattr(item, field)
    setattr(item, field, value)
    session.add(item)
    audit.record(session, actor_id=actor_id, action="assessment.item_edit", subject_type="assessment_item",
                 subject_id=item.id, now=now, field=field, old=num(old), new=num(value))
    return item


def _number(text, message: str) -> Decimal:
    try:
        value = Decimal(str(text).strip().rstrip("分%").strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(message) from None
    if not value.is_finite():
        raise InvalidInput(message)
    return value.quantize(Decimal("0.01"))


# --- the .xlsx template and its upload -----------------------------------------------------------------

HEADERS = ("序号", "考核项目", "类别", "分值", "适用对象", "数据指标", "规则", "阈值", "每次/每档扣分", "按差额计",
           "扣分上限", "评分标准")
KINDS = {ItemKind.computed: "数据计算", ItemKind.manual: "人工评分", ItemKind.veto: "一票否决"}
APPLIES = {"all": "全部", "unit": "成员单位", "village": "村（社区）"}
RULES = {ItemRule.below: "低于", ItemRule.above: "高于"}


def template_xlsx(found: list[AssessmentItem], *, year: int) -> bytes:
    """The catalogue as the template the center fills in (one row per item; the second sheet lists
    the data measures and the words each column takes)."""
    wb = Workbook()
    ws = wb.active
    ws.title = t.XLSX_CATALOGUE_SHEET
    ws.append([t.XLSX_CATALOGUE_TITLE.format(year=year)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(HEADERS))
    for c in ws[2]:
        c.font = Font(bold=True)
    for i in found:
        ws.append([i.seq, i.name, KINDS[ItemKind(i.kind)], float(i.points), APPLIES.get(i.applies_to, "全部"),
                   label(i.measure) if i.measure else "", RULES.get(i.rule, "") if i.rule else "",
                   float(i.threshold) if i.threshold is not None else None,
                   float(i.step) if i.step is not None else None,
                   ("是" if i.per_unit else "否") if i.kind == ItemKind.computed else "",
                   float(i.cap) if i.cap is not None else None, i.standard])
    for col_letter, width in zip("ABCDEFGHIJKL", (6, 16, 10, 8, 12, 18, 8, 8, 12, 10, 10, 60), strict=True):
        ws.column_dimensions[col_letter].width = width
    for row in ws.iter_rows(min_row=3):
        row[-1].alignment = Alignment(wrap_text=True)
    help_ws = wb.create_sheet(t.XLSX_HELP_SHEET)
    help_ws.append([t.XLSX_HELP_MEASURE, t.XLSX_HELP_UNIT])
    for key, m in MEASURES.items():
        help_ws.append([m.label, m.unit, key])
    for key, name in PLANNED.items():
        help_ws.append([name, "次", key, t.XLSX_PLANNED])
    for line in t.XLSX_HELP_LINES:
        help_ws.append([line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Uploaded:
    count: int
    total: Decimal


def _cell(row, index):
    value = row[index] if index < len(row) else None
    return "" if value is None else str(value).strip()


def parse_xlsx(data: bytes) -> list[tuple]:
    """The rows of an uploaded catalogue, checked; InvalidInput naming the row and what is wrong."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # not an .xlsx at all (openpyxl raises several kinds)
        raise InvalidInput(t.UPLOAD_NOT_XLSX) from None
    ws = wb.worksheets[0]
    rows, header_seen = [], False
    kinds = {v: k for k, v in KINDS.items()}
    applies = {v: k for k, v in APPLIES.items()}
    rules = {v: k for k, v in RULES.items()}
    for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if not header_seen:
            header_seen = _cell(row, 0) == HEADERS[0] and _cell(row, 1) == HEADERS[1]
            continue
        if not any(_cell(row, i) for i in range(len(HEADERS))):
            continue
        name, kind = _cell(row, 1), kinds.get(_cell(row, 2))
        if not name or len(name) > 60 or kind is None:
            raise InvalidInput(t.UPLOAD_BAD_ROW.format(row=n, what=HEADERS[1] + "/" + HEADERS[2]))
        points = _number(_cell(row, 3) or "0", t.UPLOAD_BAD_ROW.format(row=n, what=HEADERS[3]))
        target = applies.get(_cell(row, 4) or "全部")
        if target is None:
            raise InvalidInput(t.UPLOAD_BAD_ROW.format(row=n, what=HEADERS[4]))
        measure = rule = threshold = step = cap = None
        per_unit = True
        if kind == ItemKind.computed:
            measure, rule = by_label(_cell(row, 5)), rules.get(_cell(row, 6))
            if measure is None:
                raise InvalidInput(t.UPLOAD_BAD_ROW.format(row=n, what=HEADERS[5]))
            if rule is None:
                raise InvalidInput(t.UPLOAD_BAD_ROW.format(row=n, what=HEADERS[6]))
            threshold = _number(_cell(row, 7) or "0", t.UPLOAD_BAD_ROW.format(row=n, what=HEADERS[7]))
            step = _number(_cell(row, 8), t.UPLOAD_BAD_ROW.format(row=n, what=HEADERS[8]))
            per_unit = _cell(row, 9) != "否"
            cap = _number(_cell(row, 10), t.UPLOAD_BAD_ROW.format(row=n, what=HEADERS[10])) if _cell(row, 10) else None
        if kind == ItemKind.veto:
            points = Decimal(0)
        if points < 0 or points > TOTAL or (step is not None and step < 0) or (cap is not None and cap < 0):
            raise InvalidInput(t.UPLOAD_BAD_ROW.format(row=n, what=HEADERS[3]))
        rows.append((name, kind, points, target, measure, rule, threshold, step, per_unit, cap, _cell(row, 11)[:300]))
    if not rows:
        raise InvalidInput(t.UPLOAD_EMPTY)
    if len(rows) > MAX_ITEMS:
        raise InvalidInput(t.UPLOAD_TOO_MANY.format(limit=MAX_ITEMS))
    got = sum((r[2] for r in rows), Decimal(0))
    if got != TOTAL:
        raise InvalidInput(t.UPLOAD_NOT_100.format(total=num(got)))
    return rows


def replace(session: Session, *, actor_id: int, year: int, data: bytes, now: datetime) -> Uploaded:
    """The uploaded rows become the year's catalogue. Items already scored by hand keep their ids
    (rows are matched by position), so a catalogue with marks can be corrected but not shortened."""
    rows = parse_xlsx(data)
    old = items(session, year=year)
    for seq, row in enumerate(rows, start=1):
        current = next((i for i in old if i.seq == seq), None)
        fresh = _item(year, seq, row)
        if current is None:
            session.add(fresh)
            continue
        for name in ("name", "kind", "points", "applies_to", "measure", "rule", "threshold", "step", "per_unit",
                     "cap", "standard"):
            setattr(current, name, getattr(fresh, name))
        session.add(current)
    for item in old:
        if item.seq > len(rows):
            marked = session.exec(select(func.count()).select_from(AssessmentMark)
                                  .where(AssessmentMark.item_id == item.id)).one()
            if marked:
                raise InvalidInput(t.UPLOAD_DROPS_MARKED.format(name=item.name))
            session.delete(item)
    audit.record(session, actor_id=actor_id, action="assessment.catalogue_upload", subject_type="assessment_year",
                 subject_id=year, now=now, items=len(rows))
    session.flush()
    return Uploaded(len(rows), sum((r[2] for r in rows), Decimal(0)))
