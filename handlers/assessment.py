"""目标管理考核 in chat (issue 17). /score shows a unit's or village's head their own score, item by
item, with a button per item that lost points (the cases behind it, as far as they may see them);
the center's leaders and the director see the ranking, open any unit or village, and (by role) keep
the catalogue (.xlsx template and upload, or one number of an item), hand-score items and record
一票否决 with evidence, send the 责任书 and chase the unsigned, take the year-end score sheet and
考核通报, and issue 整改 orders. Heads sign the 责任书 and report 整改完成 by button.

One persistent conversation, "assessment", takes typed input: an item's number, a mark (points and
reason, then the evidence), an uploaded catalogue, an 整改 text. What it is for is kept in the
person's user_data (persisted), so each button carries one value.
"""

from decimal import Decimal
from enum import IntEnum

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import (
    CaseView,
    PlanTaskOpen,
    ScoreAccountability,
    ScoreAccountabilityClose,
    ScoreAgreements,
    ScoreAgreementsChase,
    ScoreAgreementsSend,
    ScoreCatalogue,
    ScoreItemCases,
    ScoreItemEdit,
    ScoreItemField,
    ScoreMarkItem,
    ScoreMarkPick,
    ScoreMarkSubject,
    ScoreMine,
    ScoreRectifyDone,
    ScoreRectifyList,
    ScoreRectifyNew,
    ScoreSign,
    ScoreSubject,
    ScoreTemplate,
    ScoreUpload,
    ScoreYearEnd,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services.assessment import agreements, catalogue, rectify, scoring, yearend
from bot.services.assessment.measures import Subject
from bot.services.errors import DomainError
from bot.texts import assessment as t
from handlers.common import (
    Flow,
    StaleButton,
    call,
    esc,
    in_private,
    now,
    pressed,
    pressed_one_of,
    reply,
    requires,
)
from models import ItemKind, Role, SubjectKind

VIEWERS = tuple(scoring.VIEWERS)
SCORERS = tuple(scoring.SCORERS)
MANAGERS = tuple(scoring.MANAGERS)
PENDING = "assess_pending"  # user_data: what the typed input is for, e.g. {"field": [item_id, "cap"]}
TIMEOUT = 15 * 60
MAX_UPLOAD = 2 * 1024 * 1024


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    FIELD = 0
    UPLOAD = 1
    MARK_TEXT = 2
    MARK_EVIDENCE = 3
    RECTIFY_TEXT = 4
    ACC_RESULT = 5


def _markup(rows):
    """An inline keyboard, or none at all when there is no button (Telegram refuses an empty one)."""
    rows = [r for r in rows if r]
    return inline(rows) if rows else None


def _tz(context: BotContext):
    return context.deps.settings.tz


def _year(context: BotContext) -> int:
    return now(context).astimezone(_tz(context)).year


def _day(context: BotContext) -> str:
    return t.cn_date(now(context).astimezone(_tz(context)).date())


def _commend(context: BotContext) -> Decimal:
    return Decimal(str(context.deps.settings.assessment_commend_score))


def _is(context: BotContext, roles) -> bool:
    return bool(set(roles) & context.person.roles)


# --- /score: one's own score, or the ranking ------------------------------------------------------------


def _lost_text(line: scoring.ItemScore) -> str:
    if line.kind == ItemKind.veto:
        return t.ITEM_VETO_HIT if line.reasons else t.ITEM_VETO_NONE
    return t.ITEM_FULL if not line.lost else f"-{catalogue.num(line.lost)}"


def _score_text(context: BotContext, score: scoring.SubjectScore, year: int) -> str:
    lines = [t.MY_HEAD.format(year=year, day=_day(context), name=esc(score.name), total=catalogue.num(score.total))]
    if score.vetoed:
        lines.append(t.VETO_LINE.format(reasons=esc("；".join(score.vetoes))))
    for line in score.items:
        if not line.applies:
            lines.append(t.ITEM_NOT_APPLICABLE.format(seq=line.seq, name=esc(line.name)))
            continue
        why = f"（{esc(line.measured)}）" if line.measured else ""
        if line.kind == ItemKind.manual and line.reasons:
            why = f"（{esc('；'.join(line.reasons))}）"
        lines.append(t.ITEM_LINE.format(seq=line.seq, name=esc(line.name), points=catalogue.num(line.points),
                                        lost=_lost_text(line), why=why))
    if any(i.lost or i.reasons for i in score.items):
        lines.append(t.TAP_ITEM)
    return "\n".join(lines)


def _score_rows(context: BotContext, score: scoring.SubjectScore, year: int) -> list:
    subject = score.subject
    items = [button(t.BUTTON_ITEM.format(seq=i.seq, name=i.name, lost=_lost_text(i)),
                    ScoreItemCases(i.item_id, subject.kind, subject.id).pack())
             for i in score.items if i.lost or i.reasons]
    rows = grid(items, 2)
    if _is(context, VIEWERS):
        extra = []
        if _is(context, MANAGERS):
            extra.append(button(t.BUTTON_RECTIFY_NEW, ScoreRectifyNew(subject.kind, subject.id).pack()))
        extra.append(button(t.BUTTON_BACK, ScoreMine(year).pack()))
        rows.append(extra)
    return rows


async def _show_mine_or_ranking(update: Update, context: BotContext, year: int, *, edit: bool) -> None:
    if _is(context, VIEWERS):
        scores = await call(context, scoring.ranking, year=year, now=now(context), tz=_tz(context))
        lines = [t.RANKING_HEAD.format(year=year, day=_day(context))]
        lines += [t.RANK_LINE.format(rank=n, name=esc(s.name), total=catalogue.num(s.total),
                                     veto=t.RANK_VETO if s.vetoed else "") for n, s in enumerate(scores, start=1)]
        if not scores:
            lines.append(t.RANKING_EMPTY)
        rows = grid([button(f"{n}. {s.name}", ScoreSubject(year, s.subject.kind, s.subject.id).pack())
                     for n, s in enumerate(scores, start=1)], 2)
        tools = [button(t.BUTTON_CATALOGUE, ScoreCatalogue(year).pack())] if _is(context, MANAGERS) else []
        if _is(context, SCORERS):
            tools.append(button(t.BUTTON_MARK, ScoreMarkPick(year).pack()))
        rows.append(tools)
        if _is(context, MANAGERS):
            rows.append([button(t.BUTTON_AGREEMENTS, ScoreAgreements(year).pack()),
                         button(t.BUTTON_YEAR_END, ScoreYearEnd(year).pack()),
                         button(t.BUTTON_RECTIFY_LIST, ScoreRectifyList(year).pack())])
        if Role.director in context.person.roles:
            rows.append([button(t.BUTTON_ACCOUNTABILITY, ScoreAccountability(year).pack())])
        await reply(update, "\n".join(lines), reply_markup=_markup(rows), edit=edit)
        return
    score = await call(context, scoring.view, actor_id=context.person.id, year=year, now=now(context), tz=_tz(context))
    await reply(update, _score_text(context, score, year), reply_markup=_markup(_score_rows(context, score, year)),
                edit=edit)


@requires(*VIEWERS, Role.unit)
async def score_command(update: Update, context: BotContext) -> None:
    if not in_private(update):
        await update.effective_chat.send_message(t.PRIVATE_ONLY)
        return
    await _show_mine_or_ranking(update, context, _year(context), edit=False)


@requires(*VIEWERS, Role.unit)
async def mine_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, ScoreMine)
    await _show_mine_or_ranking(update, context, code.year, edit=True)


@requires(*VIEWERS)
async def subject_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, ScoreSubject)
    subject = Subject(code.kind, code.subject_id)
    score = await call(context, scoring.view, actor_id=context.person.id, year=code.year, now=now(context),
                       tz=_tz(context), subject=subject)
    await reply(update, _score_text(context, score, code.year),
                reply_markup=_markup(_score_rows(context, score, code.year)), edit=True)


@requires()
async def item_cases_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, ScoreItemCases)
    subject = Subject(code.kind, code.subject_id)
    found = await call(context, scoring.item_cases, actor_id=context.person.id, item_id=code.item_id,
                       subject=subject, now=now(context), tz=_tz(context))
    line = found.line
    name = await call(context, scoring.subject_name, subject=subject)
    lines = [t.ITEM_CASES_HEAD.format(name=esc(name), item=esc(line.name), lost=catalogue.num(line.lost),
                                      why=esc(line.measured or ""))]
    if line.reasons:
        lines.append(t.ITEM_REASONS)
        lines += [f"· {esc(r)}" for r in line.reasons]
    lines += [f"{c.number} {esc(c.summary)}" for c in found.cases]
    lines += [f"{n}. {esc(x.text)}" for n, x in enumerate(found.tasks, start=1)]
    if not found.cases and not found.tasks and not line.reasons:
        lines.append(t.ITEM_CASES_NONE)
    if found.hidden_cases:
        lines.append(t.ITEM_CASES_HIDDEN.format(count=found.hidden_cases))
    if found.hidden_tasks:
        lines.append(t.ITEM_TASKS_HIDDEN.format(count=found.hidden_tasks))
    rows = grid([button(c.number, CaseView(c.case_id).pack()) for c in found.cases[:20]], 3)
    rows += grid([button(t.BUTTON_LATE_TASK.format(n=n), PlanTaskOpen(x.task_id).pack())
                  for n, x in enumerate(found.tasks[:20], start=1)], 3)
    await update.effective_chat.send_message("\n".join(lines), reply_markup=_markup(rows))


# --- the catalogue ---------------------------------------------------------------------------------------


async def _catalogue(update: Update, context: BotContext, year: int, *, edit: bool, note: str = "") -> None:
    items = await call(context, catalogue.ensure, year=year)
    total = catalogue.total(items)
    lines = [note] if note else []
    lines.append(t.CATALOGUE_HEAD.format(year=year, total=catalogue.num(total)))
    if total != catalogue.TOTAL:
        lines.append(t.CATALOGUE_NOT_100)
    lines += [t.CATALOGUE_LINE.format(seq=i.seq, name=esc(i.name), points=catalogue.num(i.points),
                                      rule=esc(catalogue.rule_text(i))) for i in items]
    rows = grid([button(f"{i.seq}. {i.name}", ScoreItemEdit(i.id).pack()) for i in items], 2)
    rows.append([button(t.BUTTON_TEMPLATE, ScoreTemplate(year).pack()), button(t.BUTTON_UPLOAD, ScoreUpload(year).pack())])
    rows.append([button(t.BUTTON_BACK, ScoreMine(year).pack())])
    await reply(update, "\n".join(lines), reply_markup=inline(rows), edit=edit)


@requires(*MANAGERS)
async def catalogue_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed_one_of(update, (ScoreCatalogue, ScoreTemplate, ScoreItemEdit))
    if isinstance(code, ScoreCatalogue):
        await _catalogue(update, context, code.year, edit=True)
        return
    if isinstance(code, ScoreTemplate):
        items = await call(context, catalogue.ensure, year=code.year)
        data = catalogue.template_xlsx(items, year=code.year)
        await update.effective_chat.send_document(document=data, filename=t.TEMPLATE_FILE.format(year=code.year),
                                                  caption=t.TEMPLATE_CAPTION.format(year=code.year),
                                                  protect_content=True)
        return
    item = await call(context, catalogue.get, item_id=code.item_id)
    text = t.ITEM_HEAD.format(seq=item.seq, name=esc(item.name), points=catalogue.num(item.points),
                              rule=esc(catalogue.rule_text(item)), standard=esc(item.standard or "—"))
    fields = ("points",) if item.kind != ItemKind.computed else catalogue.EDITABLE
    rows = grid([button(t.FIELD_LABELS[f], ScoreItemField(item.id, f).pack()) for f in fields], 2)
    rows.append([button(t.BUTTON_CATALOGUE, ScoreCatalogue(item.year).pack())])
    await reply(update, text, reply_markup=inline(rows), edit=True)


# --- the conversation's entry points ----------------------------------------------------------------------


@requires(*MANAGERS)
async def ask_field(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, ScoreItemField)
    if code.field not in catalogue.EDITABLE:
        raise StaleButton()
    item = await call(context, catalogue.get, item_id=code.item_id)
    context.user_data[PENDING] = {"field": [item.id, code.field]}
    await update.effective_chat.send_message(t.ASK_FIELD.format(name=esc(item.name), field=t.FIELD_LABELS[code.field]))
    return Step.FIELD


@requires(*MANAGERS)
async def ask_upload(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, ScoreUpload)
    context.user_data[PENDING] = {"upload": code.year}
    await update.effective_chat.send_message(t.ASK_UPLOAD)
    return Step.UPLOAD


@requires(*SCORERS)
async def ask_mark(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, ScoreMarkSubject)
    item = await call(context, catalogue.get, item_id=code.item_id)
    await call(context, scoring.subject_name, subject=Subject(code.kind, code.subject_id))  # stale if gone
    if item.kind == ItemKind.computed:
        raise StaleButton()
    context.user_data[PENDING] = {"mark": [item.id, str(code.kind), code.subject_id]}
    await update.effective_chat.send_message(t.ASK_REASON_VETO if item.kind == ItemKind.veto else t.ASK_MARK)
    return Step.MARK_TEXT


@requires(*MANAGERS)
async def ask_rectify(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, ScoreRectifyNew)
    name = await call(context, scoring.subject_name, subject=Subject(code.kind, code.subject_id))
    context.user_data[PENDING] = {"rectify": [str(code.kind), code.subject_id]}
    await update.effective_chat.send_message(t.ASK_RECTIFY.format(name=esc(name)))
    return Step.RECTIFY_TEXT


@requires(Role.director)
async def ask_acc_result(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, ScoreAccountabilityClose)
    await call(context, rectify.check_open_accountability, actor_id=context.person.id,
               accountability_id=code.accountability_id)  # refused now, not after the typing
    context.user_data[PENDING] = {"accountability": code.accountability_id}
    await update.effective_chat.send_message(t.ASK_ACC_RESULT)
    return Step.ACC_RESULT


def _pending(context: BotContext, key: str):
    found = context.user_data.get(PENDING)
    if not isinstance(found, dict) or key not in found:
        raise DomainError(t.STALE)
    return found


# --- the conversation's typed input -----------------------------------------------------------------------


async def save_field(update: Update, context: BotContext) -> int:
    item_id, field = _pending(context, "field")["field"]
    try:
        item = await call(context, catalogue.edit, actor_id=context.person.id, item_id=item_id, field=field,
                          text=update.message.text, now=now(context))
    except DomainError as exc:
        await update.effective_chat.send_message(str(exc))
        return Step.FIELD
    context.user_data.pop(PENDING, None)
    note = t.FIELD_SAVED.format(name=esc(item.name), field=t.FIELD_LABELS[field], value=catalogue.num(getattr(item, field)))
    await _catalogue(update, context, item.year, edit=False, note=note)
    return ConversationHandler.END


async def save_upload(update: Update, context: BotContext) -> int:
    year = _pending(context, "upload")["upload"]
    document = update.message.document
    if document is None or not (document.file_name or "").lower().endswith(".xlsx") or \
            (document.file_size or 0) > MAX_UPLOAD:
        await update.effective_chat.send_message(t.WRONG_UPLOAD)
        return Step.UPLOAD
    data = bytes(await (await document.get_file()).download_as_bytearray())
    try:
        got = await call(context, catalogue.replace, actor_id=context.person.id, year=year, data=data, now=now(context))
    except DomainError as exc:
        await update.effective_chat.send_message(str(exc))
        return Step.UPLOAD
    context.user_data.pop(PENDING, None)
    await _catalogue(update, context, year, edit=False,
                     note=t.UPLOADED.format(year=year, count=got.count, total=catalogue.num(got.total)))
    return ConversationHandler.END


async def wrong_upload(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(t.WRONG_UPLOAD)
    return Step.UPLOAD


async def save_mark_text(update: Update, context: BotContext) -> int:
    pending = _pending(context, "mark")
    item_id = pending["mark"][0]
    item = await call(context, catalogue.get, item_id=item_id)
    text = (update.message.text or "").strip()
    try:
        if item.kind == ItemKind.veto:
            points, reason = None, text
            if not reason:
                raise DomainError(t.ASK_REASON_VETO)
        else:
            points, reason = scoring.parse_mark(text)
            if points <= 0 or points > Decimal(item.points):
                raise DomainError(t.BAD_MARK.format(points=catalogue.num(item.points)))
        if len(reason) > scoring.MAX_REASON:
            raise DomainError(t.REASON_TOO_LONG.format(limit=scoring.MAX_REASON))
    except DomainError as exc:
        await update.effective_chat.send_message(str(exc))
        return Step.MARK_TEXT
    pending["points"] = str(points) if points is not None else None
    pending["reason"] = reason
    context.user_data[PENDING] = pending
    await update.effective_chat.send_message(t.ASK_EVIDENCE)
    return Step.MARK_EVIDENCE


async def save_mark_evidence(update: Update, context: BotContext) -> int:
    pending = _pending(context, "mark")
    if "reason" not in pending:
        raise DomainError(t.STALE)
    message = update.message
    if message.photo:
        file_id, kind, name = message.photo[-1].file_id, "photo", ""
    elif message.document:
        file_id, kind, name = message.document.file_id, "document", message.document.file_name or ""
    else:
        await update.effective_chat.send_message(t.ASK_EVIDENCE)
        return Step.MARK_EVIDENCE
    item_id, kind_name, subject_id = pending["mark"]
    subject = Subject(SubjectKind(kind_name), subject_id)
    points = Decimal(pending["points"]) if pending.get("points") else None
    mark = await call(context, scoring.record_mark, actor_id=context.person.id, item_id=item_id, subject=subject,
                      points=points, reason=pending["reason"], evidence_file_id=file_id, evidence_kind=kind,
                      evidence_name=name, now=now(context))
    context.user_data.pop(PENDING, None)
    item = await call(context, catalogue.get, item_id=item_id)
    name_ = await call(context, scoring.subject_name, subject=subject)
    text = (t.VETO_SAVED.format(name=esc(name_)) if item.kind == ItemKind.veto
            else t.MARK_SAVED.format(name=esc(name_), item=esc(item.name), points=catalogue.num(mark.points)))
    await update.effective_chat.send_message(
        text, reply_markup=inline([[button(t.BUTTON_MY_SCORE, ScoreSubject(item.year, subject.kind, subject.id).pack())]]))
    return ConversationHandler.END


async def save_rectify(update: Update, context: BotContext) -> int:
    kind_name, subject_id = _pending(context, "rectify")["rectify"]
    subject = Subject(SubjectKind(kind_name), subject_id)
    try:
        order = await call(context, rectify.issue, actor_id=context.person.id, subject=subject,
                           text=update.message.text, days=context.deps.settings.assessment_rectify_days,
                           now=now(context), policy=context.deps.policy.deadlines)
    except DomainError as exc:
        await update.effective_chat.send_message(str(exc))
        return Step.RECTIFY_TEXT
    context.user_data.pop(PENDING, None)
    await update.effective_chat.send_message(t.RECTIFY_SAVED.format(name=esc(order.subject), owner=esc(order.owner),
                                                                    due=order.due_on))
    return ConversationHandler.END


async def save_acc_result(update: Update, context: BotContext) -> int:
    accountability_id = _pending(context, "accountability")["accountability"]
    try:
        await call(context, rectify.close_accountability, actor_id=context.person.id,
                   accountability_id=accountability_id, result=update.message.text, now=now(context))
    except DomainError as exc:
        await update.effective_chat.send_message(str(exc))
        return Step.ACC_RESULT if str(exc) == t.ASK_ACC_RESULT else ConversationHandler.END
    context.user_data.pop(PENDING, None)
    await update.effective_chat.send_message(t.ACC_SAVED)
    return ConversationHandler.END


async def wrong_acc_result(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(t.ASK_ACC_RESULT)
    return Step.ACC_RESULT


async def wrong_field(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(t.BAD_NUMBER)
    return Step.FIELD


async def wrong_mark_text(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(t.ASK_MARK)
    return Step.MARK_TEXT


async def wrong_rectify(update: Update, context: BotContext) -> int:
    kind_name, subject_id = _pending(context, "rectify")["rectify"]
    name = await call(context, scoring.subject_name, subject=Subject(SubjectKind(kind_name), subject_id))
    await update.effective_chat.send_message(t.ASK_RECTIFY.format(name=esc(name)))
    return Step.RECTIFY_TEXT


def build_conversation() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    return Flow(
        entry_points=[CallbackQueryHandler(ask_field, pattern=any_of(ScoreItemField)),
                      CallbackQueryHandler(ask_upload, pattern=any_of(ScoreUpload)),
                      CallbackQueryHandler(ask_mark, pattern=any_of(ScoreMarkSubject)),
                      CallbackQueryHandler(ask_rectify, pattern=any_of(ScoreRectifyNew)),
                      CallbackQueryHandler(ask_acc_result, pattern=any_of(ScoreAccountabilityClose))],
        states={
            Step.FIELD: [MessageHandler(text, save_field), MessageHandler(~filters.COMMAND, wrong_field)],
            Step.UPLOAD: [MessageHandler(filters.Document.ALL, save_upload),
                          MessageHandler(~filters.COMMAND, wrong_upload)],
            Step.MARK_TEXT: [MessageHandler(text, save_mark_text), MessageHandler(~filters.COMMAND, wrong_mark_text)],
            Step.MARK_EVIDENCE: [MessageHandler((filters.PHOTO | filters.Document.ALL) | ~filters.COMMAND,
                                               save_mark_evidence)],
            Step.RECTIFY_TEXT: [MessageHandler(text, save_rectify), MessageHandler(~filters.COMMAND, wrong_rectify)],
            Step.ACC_RESULT: [MessageHandler(text, save_acc_result), MessageHandler(~filters.COMMAND, wrong_acc_result)],
        },
        draft=PENDING, cancelled=t.CANCELLED,
        name="assessment",
        timeout=TIMEOUT,
    )


# --- hand-scoring: pick the item, then the unit or village -------------------------------------------------


@requires(*SCORERS)
async def mark_pick_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed_one_of(update, (ScoreMarkPick, ScoreMarkItem))
    if isinstance(code, ScoreMarkPick):
        items = await call(context, catalogue.ensure, year=code.year)
        rows = grid([button(f"{i.seq}. {i.name}", ScoreMarkItem(i.id).pack()) for i in items
                     if i.kind != ItemKind.computed], 2)
        rows.append([button(t.BUTTON_BACK, ScoreMine(code.year).pack())])
        await reply(update, t.MARK_PICK, reply_markup=inline(rows), edit=True)
        return
    item = await call(context, catalogue.get, item_id=code.item_id)
    if item.kind == ItemKind.computed:
        raise StaleButton()
    found = await call(context, scoring.subjects)
    rows = grid([button(name, ScoreMarkSubject(item.id, s.kind, s.id).pack()) for s, name in found
                 if item.applies_to in ("all", str(s.kind))], 2)
    rows.append([button(t.BUTTON_BACK, ScoreMarkPick(item.year).pack())])
    await reply(update, t.MARK_SUBJECT.format(item=esc(item.name)), reply_markup=inline(rows), edit=True)


# --- 责任书 -----------------------------------------------------------------------------------------------


@requires(*MANAGERS)
async def agreements_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed_one_of(update, (ScoreAgreements, ScoreAgreementsSend, ScoreAgreementsChase))
    note = ""
    if isinstance(code, ScoreAgreementsSend):
        count = await call(context, agreements.send, actor_id=context.person.id, year=code.year, now=now(context),
                           commend_score=_commend(context))
        note = t.AGREEMENTS_SENT.format(count=count)
    elif isinstance(code, ScoreAgreementsChase):
        count = await call(context, agreements.chase, actor_id=context.person.id, year=code.year, now=now(context))
        note = t.AGREEMENTS_CHASED.format(count=count) if count else t.AGREEMENTS_ALL_SIGNED
    st = await call(context, agreements.status, actor_id=context.person.id, year=code.year)
    lines = [note] if note else []
    lines.append(t.AGREEMENTS_HEAD.format(year=code.year, signed=len(st.signed), unsigned=len(st.unsigned)))
    if not st.signed and not st.unsigned:
        lines.append(t.AGREEMENTS_NONE_SENT)
    if st.unsigned:
        lines.append(t.AGREEMENTS_UNSIGNED.format(names=esc("、".join(st.unsigned))))
    if st.not_sent:
        lines.append(t.AGREEMENTS_NO_HEAD.format(names=esc("、".join(st.not_sent))))
    rows = [[button(t.BUTTON_SEND_AGREEMENTS, ScoreAgreementsSend(code.year).pack())]]
    if st.unsigned:
        rows[0].append(button(t.BUTTON_CHASE_AGREEMENTS, ScoreAgreementsChase(code.year).pack()))
    rows.append([button(t.BUTTON_BACK, ScoreMine(code.year).pack())])
    await reply(update, "\n".join(lines), reply_markup=inline(rows), edit=True)


@requires()
async def sign_button(update: Update, context: BotContext) -> None:
    code = pressed(update, ScoreSign)
    first = await call(context, agreements.sign, actor_id=context.person.id, agreement_id=code.agreement_id,
                       now=now(context))
    await update.callback_query.edit_message_reply_markup(None)
    await update.effective_chat.send_message(t.SIGNED.format(year=_year(context)) if first else t.ALREADY_SIGNED)


# --- year end and 整改 -------------------------------------------------------------------------------------


@requires(*MANAGERS)
async def year_end_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, ScoreYearEnd)
    view = await call(context, yearend.year_end, actor_id=context.person.id, year=code.year, now=now(context),
                      tz=_tz(context), org=context.deps.notice_style.org, commend_score=_commend(context))
    chat = update.effective_chat
    await chat.send_document(document=yearend.xlsx(view), filename=t.SHEET_FILE.format(year=code.year),
                             caption=t.YEAR_END_CAPTION.format(year=code.year, day=_day(context)), protect_content=True)
    await chat.send_document(document=yearend.docx(view), filename=t.REPORT_FILE.format(year=code.year),
                             protect_content=True)


def _order_state(order: rectify.OrderView) -> str:
    return t.RECTIFY_STATE["done" if order.done else "overdue" if order.overdue else "open"]


@requires(*MANAGERS)
async def rectify_list_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, ScoreRectifyList)
    found = await call(context, rectify.orders, actor_id=context.person.id, year=code.year, now=now(context),
                       tz=_tz(context))
    lines = [t.RECTIFY_HEAD.format(year=code.year)]
    lines += [t.RECTIFY_LINE.format(state=_order_state(o), subject=esc(o.subject), text=esc(o.text),
                                    owner=esc(o.owner), due=o.due_on) for o in found]
    if not found:
        lines.append(t.RECTIFY_NONE)
    await reply(update, "\n".join(lines), reply_markup=inline([[button(t.BUTTON_BACK, ScoreMine(code.year).pack())]]),
                edit=True)


@requires(Role.director)
async def accountability_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, ScoreAccountability)
    found = await call(context, rectify.accountabilities, actor_id=context.person.id, year=code.year, tz=_tz(context))
    lines = [t.ACC_HEAD.format(year=code.year)]
    lines += [t.ACC_LINE.format(state="✅" if a.result else "⏳", subject=esc(a.subject), opened=a.opened_on,
                                reason=esc(a.reason), result=t.ACC_RESULT.format(result=esc(a.result)) if a.result else "")
              for a in found]
    if not found:
        lines.append(t.ACC_NONE)
    rows = [[button(t.BUTTON_ACC_CLOSE.format(subject=a.subject), ScoreAccountabilityClose(a.id).pack())]
            for a in found if a.result is None]
    rows.append([button(t.BUTTON_BACK, ScoreMine(code.year).pack())])
    await reply(update, "\n".join(lines), reply_markup=inline(rows), edit=True)


@requires()
async def rectify_done_button(update: Update, context: BotContext) -> None:
    code = pressed(update, ScoreRectifyDone)
    await call(context, rectify.mark_done, actor_id=context.person.id, order_id=code.order_id, now=now(context),
               tz=_tz(context))
    await update.callback_query.edit_message_reply_markup(None)
    await update.effective_chat.send_message(t.RECTIFIED)


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state."""
    return [
        build_conversation(),
        CommandHandler("score", score_command),
        CallbackQueryHandler(mine_button, pattern=any_of(ScoreMine)),
        CallbackQueryHandler(subject_button, pattern=any_of(ScoreSubject)),
        CallbackQueryHandler(item_cases_button, pattern=any_of(ScoreItemCases)),
        CallbackQueryHandler(catalogue_button, pattern=any_of(ScoreCatalogue, ScoreTemplate, ScoreItemEdit)),
        CallbackQueryHandler(mark_pick_button, pattern=any_of(ScoreMarkPick, ScoreMarkItem)),
        CallbackQueryHandler(agreements_button, pattern=any_of(ScoreAgreements, ScoreAgreementsSend,
                                                               ScoreAgreementsChase)),
        CallbackQueryHandler(sign_button, pattern=any_of(ScoreSign)),
        CallbackQueryHandler(year_end_button, pattern=any_of(ScoreYearEnd)),
        CallbackQueryHandler(rectify_list_button, pattern=any_of(ScoreRectifyList)),
        CallbackQueryHandler(rectify_done_button, pattern=any_of(ScoreRectifyDone)),
        CallbackQueryHandler(accountability_button, pattern=any_of(ScoreAccountability)),
    ]
