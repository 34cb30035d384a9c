"""群防群治 and 平安创建 in chat (issue 17): /teams shows a village's teams (治保会, 调委会, patrol,
十户联防, volunteers: leader, phone masked per the viewer's rights, members) and the 平安村 / 平安单位
records; the center picks any village or unit, a head sees their own. Registering a team takes one
typed line (one persistent conversation, "teams"); so does a village's 平安学校/路段/市场 (its name) or
平安家庭 (the households: "campaigns"); the director reviews 平安创建 by button."""

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

from bot.callbacks import CampaignApply, CampaignReview, CampaignStart, TeamAdd, TeamRemove, TeamsOpen, any_of
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services.access import CENTER
from bot.services.assessment import scoring, teams
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
from models import CampaignKind, CampaignResult, Role, SubjectKind, TeamKind

KEEPERS = (*CENTER, Role.unit)
PENDING = "teams_pending"  # user_data: [village id, team kind]
CAMPAIGN_PENDING = "campaign_pending"  # user_data: [village id, campaign kind, year]
TIMEOUT = 15 * 60


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    TEAM = 0
    CAMPAIGN = 1


async def _show(update: Update, context: BotContext, subject: Subject, *, edit: bool, note: str = "") -> None:
    tz = context.deps.settings.tz
    reg = await call(context, teams.register, actor_id=context.person.id, subject=subject, tz=tz)
    lines = [note] if note else []
    lines.append(t.TEAMS_HEAD.format(name=esc(reg.name)))
    if subject.kind == SubjectKind.village:
        lines += [t.TEAM_LINE.format(label=t.TEAM_LABELS[x.kind], leader=esc(x.leader), phone=esc(x.phone),
                                     count=len(x.members), members=f"（{esc('、'.join(x.members))}）" if x.members else "")
                  for x in reg.teams]
        if not reg.teams:
            lines.append(t.TEAMS_NONE)
        if reg.missing:
            lines.append(t.TEAMS_MISSING.format(kinds="、".join(t.TEAM_LABELS[k] for k in reg.missing)))
    lines += [t.CAMPAIGN_LINE.format(year=c.year, what=esc(c.what), result=t.RESULT_LABELS[c.result],
                                     applied=c.applied_on) for c in reg.campaigns]
    if not reg.campaigns:
        lines.append(t.CAMPAIGN_NONE)
    rows = []
    if subject.kind == SubjectKind.village:
        rows += grid([button(t.BUTTON_ADD_TEAM.format(label=t.TEAM_LABELS[k]), TeamAdd(subject.id, k).pack())
                      for k in TeamKind], 2)
        rows += grid([button(t.BUTTON_REMOVE_TEAM.format(label=t.TEAM_LABELS[x.kind], leader=x.leader),
                             TeamRemove(x.id).pack()) for x in reg.teams], 2)
    year = now(context).astimezone(tz).year
    rows += grid([button(t.BUTTON_APPLY.format(year=year, label=teams.campaign_label(k, reg.village_kind)),
                         (CampaignApply(subject.kind, subject.id, year) if k in (CampaignKind.village, CampaignKind.unit)
                          else CampaignStart(subject.id, k, year)).pack())
                  for k in reg.may_apply(year)], 2)
    if Role.director in context.person.roles:
        for c in reg.campaigns:
            if c.result == CampaignResult.pending:
                rows.append([button(t.BUTTON_PASS.format(year=c.year, name=c.what), CampaignReview(c.id, 1).pack()),
                             button(t.BUTTON_FAIL.format(year=c.year, name=c.what), CampaignReview(c.id, 0).pack())])
    await reply(update, "\n".join(lines), reply_markup=inline(rows) if rows else None, edit=edit)


@requires(*KEEPERS)
async def teams_command(update: Update, context: BotContext) -> None:
    if not in_private(update):
        await update.effective_chat.send_message(t.PRIVATE_ONLY)
        return
    if set(CENTER) & context.person.roles:
        found = await call(context, scoring.subjects)
        rows = grid([button(name, TeamsOpen(s.kind, s.id).pack()) for s, name in found], 3)
        await reply(update, t.TEAMS_PICK, reply_markup=inline(rows) if rows else None)
        return
    subject = await call(context, scoring.subject_of, person_id=context.person.id)
    if subject is None:
        await update.effective_chat.send_message(t.TEAMS_NOT_YOURS)
        return
    await _show(update, context, subject, edit=False)


@requires(*KEEPERS)
async def register_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed_one_of(update, (TeamsOpen, TeamRemove, CampaignApply, CampaignReview))
    moment = now(context)
    if isinstance(code, TeamsOpen):
        await _show(update, context, Subject(code.kind, code.subject_id), edit=True)
        return
    if isinstance(code, TeamRemove):
        village_id = await call(context, teams.remove_team, actor_id=context.person.id, team_id=code.team_id,
                                now=moment)
        await _show(update, context, Subject(SubjectKind.village, village_id), edit=True, note=t.TEAM_REMOVED)
        return
    if isinstance(code, CampaignApply):
        subject = Subject(code.kind, code.subject_id)
        await call(context, teams.apply, actor_id=context.person.id, subject=subject, year=code.year, now=moment)
        await _show(update, context, subject, edit=True, note=t.CAMPAIGN_APPLIED)
        return
    if code.passed not in (0, 1):
        raise StaleButton()
    row = await call(context, teams.review, actor_id=context.person.id, campaign_id=code.campaign_id,
                     passed=bool(code.passed), now=moment)
    await _show(update, context, teams.campaign_subject(row), edit=True,
                note=t.CAMPAIGN_REVIEWED.format(result=t.RESULT_LABELS[CampaignResult(row.result)]))


@requires(*KEEPERS)
async def ask_team(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, TeamAdd)
    # refused now, not after the typing, when the village is not theirs
    await call(context, teams.register, actor_id=context.person.id, subject=Subject(SubjectKind.village, code.village_id),
               tz=context.deps.settings.tz)
    context.user_data[PENDING] = [code.village_id, code.kind.value]
    await update.effective_chat.send_message(t.ASK_TEAM.format(label=t.TEAM_LABELS[code.kind]))
    return Step.TEAM


async def save_team(update: Update, context: BotContext) -> int:
    pending = context.user_data.get(PENDING)
    if not isinstance(pending, list) or len(pending) != 2:
        await update.effective_chat.send_message(t.TEAMS_STALE)
        return ConversationHandler.END
    village_id, kind = pending[0], TeamKind(pending[1])
    try:
        await call(context, teams.add_team, actor_id=context.person.id, village_id=village_id, kind=kind,
                   text=update.message.text, now=now(context))
    except DomainError as exc:
        await update.effective_chat.send_message(str(exc))
        return Step.TEAM
    context.user_data.pop(PENDING, None)
    await _show(update, context, Subject(SubjectKind.village, village_id), edit=False,
                note=t.TEAM_SAVED.format(label=t.TEAM_LABELS[kind]))
    return ConversationHandler.END


async def wrong_team(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(t.TEAM_FORMAT)
    return Step.TEAM


@requires(*KEEPERS)
async def ask_campaign(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, CampaignStart)
    subject = Subject(SubjectKind.village, code.village_id)
    # refused now, not after the typing, when the village is not theirs
    await call(context, teams.register, actor_id=context.person.id, subject=subject, tz=context.deps.settings.tz)
    if code.kind not in teams.campaign_kinds(subject) or code.kind == CampaignKind.village:
        raise StaleButton()
    context.user_data[CAMPAIGN_PENDING] = [code.village_id, code.kind.value, code.year]
    kind = code.kind.value
    await update.effective_chat.send_message(
        t.ASK_HOUSEHOLDS if code.kind == CampaignKind.family else
        t.ASK_CAMPAIGN_NAME.format(label=t.CAMPAIGN_LABELS[kind], noun=t.CAMPAIGN_NAME_NOUNS[kind],
                                   example=t.CAMPAIGN_NAME_EXAMPLES[kind]))
    return Step.CAMPAIGN


async def save_campaign(update: Update, context: BotContext) -> int:
    pending = context.user_data.get(CAMPAIGN_PENDING)
    if not isinstance(pending, list) or len(pending) != 3:
        await update.effective_chat.send_message(t.TEAMS_STALE)
        return ConversationHandler.END
    village_id, kind, year = pending[0], CampaignKind(pending[1]), pending[2]
    text = update.message.text
    try:
        details = {"households": teams.parse_households(text)} if kind == CampaignKind.family else {"name": text}
        await call(context, teams.apply, actor_id=context.person.id, subject=Subject(SubjectKind.village, village_id),
                   year=year, kind=kind, now=now(context), **details)
    except DomainError as exc:
        await update.effective_chat.send_message(str(exc))
        return Step.CAMPAIGN
    context.user_data.pop(CAMPAIGN_PENDING, None)
    await _show(update, context, Subject(SubjectKind.village, village_id), edit=False, note=t.CAMPAIGN_APPLIED)
    return ConversationHandler.END


async def wrong_campaign(update: Update, context: BotContext) -> int:
    pending = context.user_data.get(CAMPAIGN_PENDING)
    family = isinstance(pending, list) and len(pending) == 3 and pending[1] == CampaignKind.family.value
    await update.effective_chat.send_message(t.HOUSEHOLDS_FORMAT if family else t.TEXT_ONLY)
    return Step.CAMPAIGN


def build_campaign_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CallbackQueryHandler(ask_campaign, pattern=any_of(CampaignStart))],
        states={Step.CAMPAIGN: [MessageHandler(filters.TEXT & ~filters.COMMAND, save_campaign),
                                MessageHandler(~filters.COMMAND, wrong_campaign)]},
        draft=CAMPAIGN_PENDING, cancelled=t.CANCELLED,
        name="campaigns",
        timeout=TIMEOUT,
    )


def build_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CallbackQueryHandler(ask_team, pattern=any_of(TeamAdd))],
        states={Step.TEAM: [MessageHandler(filters.TEXT & ~filters.COMMAND, save_team),
                            MessageHandler(~filters.COMMAND, wrong_team)]},
        draft=PENDING, cancelled=t.CANCELLED,
        name="teams",
        timeout=TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    return [
        build_conversation(),
        build_campaign_conversation(),
        CommandHandler("teams", teams_command),
        CallbackQueryHandler(register_button, pattern=any_of(TeamsOpen, TeamRemove, CampaignApply, CampaignReview)),
    ]
