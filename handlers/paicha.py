"""排查 returns in chat (issue 16): /paicha shows a grid worker the open periods of their village (grid)
with 「报送排查事项」 (the /report flow, see handlers/report.py) and 「本期零报告」; the center (staff,
leaders, director) sees 已报 n/m with the missing villages and grid workers by name and chases them
with one press; the director opens a 集中排查 (due day, all or chosen villages) and switches the
节日 / 敏感期 daily returns on and off.

The 集中排查 draft is kept in the director's user_data (persisted), so each button carries one value.
No typed input: buttons only.
"""

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callbacks import (
    PaichaCampaignAll,
    PaichaCampaignDue,
    PaichaCampaignNew,
    PaichaCampaignOpen,
    PaichaCampaignScopeDone,
    PaichaCampaignVillage,
    PaichaCancel,
    PaichaChase,
    PaichaSensitiveOff,
    PaichaSensitiveOn,
    PaichaStatus,
    PaichaZero,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline, keyboard
from bot.services import paicha
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import DomainError
from bot.texts import paicha as t
from handlers.common import (
    StaleButton,
    call,
    esc,
    in_private,
    local_today,
    now,
    pressed,
    pressed_one_of,
    reply,
    requires,
)
from models import Role

CENTER_ROLES = (Role.director, Role.leader, Role.staff)
ROLES = (*CENTER_ROLES, Role.grid)
DRAFT = "paicha_campaign"  # user_data: {"days": 5, "villages": [ids] | None, "scoped": bool}


def _schedule(context: BotContext) -> paicha.Schedule:
    return paicha.Schedule.from_settings(context.deps.settings)



def _deadlines(context: BotContext) -> DeadlinePolicy:
    return context.deps.policy.deadlines


async def _calendar(context: BotContext):
    return await call(context, _deadlines(context).calendar)


# --- /paicha ----------------------------------------------------------------------------------------


def _grid_text(unit: str, rows: list[paicha.GridRow]) -> str:
    lines = [t.HOME_GRID_HEAD.format(unit=esc(unit))]
    lines += [t.HOME_GRID_ROW.format(title=r.title, start=t.short_date(r.start), due=t.short_date(r.due), state=r.state)
              for r in rows] or [t.HOME_NONE]
    return "\n".join(lines)


def status_text(st: paicha.Status) -> str:
    lines = [t.STATUS.format(title=st.title, start=t.short_date(st.start), due=t.short_date(st.due), filed=st.filed,
                             total=st.total, zero=st.zero, items_units=st.items_units, items=st.items)]
    if st.missing:
        lines.append(t.STATUS_MISSING_HEAD)
        lines += [t.STATUS_MISSING_ROW.format(unit=esc(m.unit), names=esc("、".join(m.workers) or t.NO_GRID_WORKER))
                  for m in st.missing]
    else:
        lines.append(t.ALL_FILED)
    return "\n".join(lines)


@requires(*ROLES)
async def paicha_command(update: Update, context: BotContext) -> None:
    if not in_private(update):
        await update.effective_chat.send_message(t.PRIVATE_ONLY)
        return
    cal, schedule, moment, today = await _calendar(context), _schedule(context), now(context), local_today(context)
    if Role.grid in context.person.roles:
        unit, rows = await call(context, paicha.grid_home, person_id=context.person.id, today=today, cal=cal,
                                schedule=schedule, now=moment)
        await reply(update, _grid_text(unit, rows), reply_markup=keyboard(paicha.grid_buttons(rows)))
    if set(CENTER_ROLES) & context.person.roles:
        found, on, director = await call(context, paicha.center_home, person_id=context.person.id, today=today,
                                         cal=cal, schedule=schedule, now=moment)
        lines = [t.HOME_CENTER_HEAD]
        if on is not None:
            lines.append(t.SENSITIVE_ON_LINE.format(label=t.SENSITIVE_LABELS[on["label"]], since=on["since"]))
        rows = []
        for st in found:
            lines.append(t.CENTER_ROW.format(title=st.title, start=t.short_date(st.start), due=t.short_date(st.due),
                                             filed=st.filed, total=st.total))
            rows.append([button(t.BUTTON_STATUS.format(title=st.title, due=t.short_date(st.due)),
                                PaichaStatus(st.period_id).pack())])
        if director:
            rows.append([button(t.BUTTON_CAMPAIGN, PaichaCampaignNew().pack())])
            if on is None:
                rows.append([button(t.BUTTON_SENSITIVE_ON.format(label=label), PaichaSensitiveOn(code).pack())
                             for code, label in t.SENSITIVE_LABELS.items()])
            else:
                rows.append([button(t.BUTTON_SENSITIVE_OFF, PaichaSensitiveOff().pack())])
        await reply(update, "\n".join(lines), reply_markup=inline(rows) if rows else None)


# --- the grid worker's 零报告 ---------------------------------------------------------------------------


@requires(Role.grid)
async def zero_button(update: Update, context: BotContext) -> None:
    code = pressed(update, PaichaZero)
    filed = await call(context, paicha.file_zero, person_id=context.person.id, period_id=code.period_id,
                       now=now(context), today=local_today(context), schedule=_schedule(context))
    if filed.first:
        await update.callback_query.edit_message_reply_markup(None)
    await update.effective_chat.send_message(filed.message)


# --- the center: 已报 n/m, 催报 --------------------------------------------------------------------------


@requires(*CENTER_ROLES)
async def status_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed_one_of(update, (PaichaStatus, PaichaChase))
    note = ""
    if isinstance(code, PaichaChase):
        sent, missing, reachable = await call(context, paicha.chase_missing, period_id=code.period_id,
                                              actor_id=context.person.id, now=now(context))
        note = (t.CHASED.format(count=sent) if sent else t.NOBODY_TO_CHASE if not missing
                else t.CHASED_JUST_NOW if reachable else t.NO_GRID_WORKER)
    st = await call(context, paicha.status, period_id=code.period_id, viewer_id=context.person.id)
    text = "\n\n".join(p for p in (note, status_text(st)) if p)
    await reply(update, text, reply_markup=keyboard(paicha.status_buttons(st)), edit=True)


# --- the director: 集中排查 and 节日 / 敏感期 ------------------------------------------------------------

CAMPAIGN_BUTTONS = (PaichaCampaignNew, PaichaCampaignDue, PaichaCampaignAll, PaichaCampaignVillage,
                    PaichaCampaignScopeDone, PaichaCampaignOpen, PaichaCancel)


def _draft(context: BotContext) -> dict:
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict) or draft.get("days") not in paicha.CAMPAIGN_DAYS:
        raise DomainError(t.STALE)
    return draft


async def _scope(update: Update, context: BotContext, draft: dict) -> None:
    chosen = set(draft.get("villages") or [])
    choices = await call(context, paicha.village_choices)
    rows = [[button(t.SCOPE_ALL, PaichaCampaignAll().pack())]]
    rows += grid([button(("✅ " if v in chosen else "") + name, PaichaCampaignVillage(v).pack()) for v, name in choices], 3)
    rows.append([button(t.SCOPE_DONE.format(count=len(chosen)), PaichaCampaignScopeDone().pack()),
                 button(t.BUTTON_CANCEL, PaichaCancel().pack())])
    await reply(update, t.ASK_CAMPAIGN_SCOPE, reply_markup=inline(rows), edit=True)


async def _preview(update: Update, context: BotContext, draft: dict) -> None:
    cal, today = await _calendar(context), local_today(context)
    villages = draft.get("villages")
    total = await call(context, paicha.count_units, village_ids=villages, schedule=_schedule(context))
    names = dict(await call(context, paicha.village_choices))
    scope = t.SCOPE_ALL if villages is None else "、".join(names.get(v, "") for v in villages)
    text = t.CAMPAIGN_PREVIEW.format(start=t.short_date(today),
                                     due=t.short_date(paicha.campaign_due(cal, today, draft["days"])),
                                     scope=esc(scope), total=total)
    rows = [[button(t.BUTTON_OPEN, PaichaCampaignOpen().pack()), button(t.BUTTON_CANCEL, PaichaCancel().pack())]]
    await reply(update, text, reply_markup=inline(rows), edit=True)


@requires(Role.director)
async def campaign_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed_one_of(update, CAMPAIGN_BUTTONS)
    if isinstance(code, PaichaCancel):
        context.user_data.pop(DRAFT, None)
        await reply(update, t.CANCELLED, edit=True)
        return
    if isinstance(code, PaichaCampaignNew):
        cal, today = await _calendar(context), local_today(context)
        rows = [[button(t.DUE_BUTTON.format(days=d, due=t.short_date(paicha.campaign_due(cal, today, d))),
                        PaichaCampaignDue(d).pack())] for d in paicha.CAMPAIGN_DAYS]
        rows.append([button(t.BUTTON_CANCEL, PaichaCancel().pack())])
        await reply(update, t.ASK_CAMPAIGN_DUE, reply_markup=inline(rows), edit=True)
        return
    if isinstance(code, PaichaCampaignDue):
        if code.days not in paicha.CAMPAIGN_DAYS:
            raise StaleButton()
        context.user_data[DRAFT] = draft = {"days": code.days, "villages": []}
        await _scope(update, context, draft)
        return
    draft = _draft(context)
    if isinstance(code, PaichaCampaignVillage):
        if code.village_id not in dict(await call(context, paicha.village_choices)):
            raise StaleButton()
        chosen = list(draft.get("villages") or [])
        chosen.remove(code.village_id) if code.village_id in chosen else chosen.append(code.village_id)
        draft["villages"] = chosen
        await _scope(update, context, draft)
        return
    if isinstance(code, PaichaCampaignAll):
        draft["villages"] = None
        draft["scoped"] = True
        await _preview(update, context, draft)
        return
    if isinstance(code, PaichaCampaignScopeDone):
        if not draft.get("villages"):
            raise DomainError(t.NO_SCOPE)
        draft["scoped"] = True
        await _preview(update, context, draft)
        return
    if not draft.get("scoped"):  # 发起 pressed before a scope was settled (forged or stale)
        raise DomainError(t.STALE)
    period, total, sent = await call(context, paicha.open_campaign, actor_id=context.person.id, days=draft["days"],
                                     village_ids=draft.get("villages"), today=local_today(context),
                                     cal=await _calendar(context), schedule=_schedule(context), now=now(context))
    context.user_data.pop(DRAFT, None)
    await reply(update, t.CAMPAIGN_OPENED.format(due=t.short_date(period.due_day), total=total, sent=sent),
                reply_markup=inline([[button(t.BUTTON_STATUS.format(title=period.title, due=t.short_date(period.due_day)),
                                             PaichaStatus(period.id).pack())]]), edit=True)


@requires(Role.director)
async def sensitive_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed_one_of(update, (PaichaSensitiveOn, PaichaSensitiveOff))
    label = code.label if isinstance(code, PaichaSensitiveOn) else None
    if label is not None and label not in t.SENSITIVE_LABELS:
        raise StaleButton()
    changed, sent = await call(context, paicha.switch_sensitive, actor_id=context.person.id, label=label,
                               today=local_today(context), cal=await _calendar(context), schedule=_schedule(context),
                               now=now(context))
    if label is None:
        text = t.SENSITIVE_OFF if changed else t.SENSITIVE_ALREADY_OFF
    elif changed:
        text = t.SENSITIVE_ON.format(label=t.SENSITIVE_LABELS[label], sent=sent)
    else:
        on = await call(context, paicha.sensitive)
        text = t.SENSITIVE_ALREADY_ON.format(label=t.SENSITIVE_LABELS[on["label"]], since=on["since"])
    await reply(update, text, edit=True)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("paicha", paicha_command),
        CallbackQueryHandler(zero_button, pattern=PaichaZero.pattern()),
        CallbackQueryHandler(status_button, pattern=any_of(PaichaStatus, PaichaChase)),
        CallbackQueryHandler(campaign_button, pattern=any_of(*CAMPAIGN_BUTTONS)),
        CallbackQueryHandler(sensitive_button, pattern=any_of(PaichaSensitiveOn, PaichaSensitiveOff)),
    ]
