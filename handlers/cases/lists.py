"""/mycases (the person's lists by tab and filter) and /search (a keyword over the cases they may see)."""

from telegram import Update

from bot import texts
from bot.callbacks import CaseListState, CaseView, MyCases, MyCasesTab, SearchPage
from bot.context import BotContext
from bot.keyboards import button, code_pager, inline
from bot.services import cases
from handlers.cases.card import case_row
from handlers.common import StaleButton, call, esc, now, pressed, reply, requires
from models import Role

SEARCH_KEY = "case_search"  # {"q": keyword, "n": serial of the search, so old pager buttons go stale}
PAGE_SIZE = 8
SEARCHERS = (Role.staff, Role.leader, Role.director, Role.secretary)


# --- /search ----------------------------------------------------------------------------------


async def _search_page(update: Update, context: BotContext, state: CaseListState, page: int, *, edit: bool) -> None:
    search = context.user_data.get(SEARCH_KEY) or {}
    query = search.get("q", "")
    found, total = await call(context, cases.search, viewer_id=context.person.id, query=query,
                              offset=page * PAGE_SIZE, limit=PAGE_SIZE, state=state.value, now=now(context),
                              policy=context.deps.policy.deadlines)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if page >= pages and total:  # cases closed or hidden since: show the last page there is
        await _search_page(update, context, state, pages - 1, edit=edit)
        return
    serial = search.get("n", 0)
    filters_row = [button(("• " if s == state else "") + texts.LIST_FILTERS[s.value], SearchPage(serial, s, 0).pack())
                   for s in CaseListState]
    rows = [filters_row, *([button(case_row(ref), CaseView(ref.id).pack())] for ref in found),
            code_pager(SearchPage(serial, state, page), pages)]
    fmt = texts.SEARCH_TITLE if total else texts.SEARCH_EMPTY
    text = fmt.format(query=esc(query), filter=texts.LIST_FILTERS[state.value], total=total, page=page + 1,
                      pages=pages)
    await reply(update, text, reply_markup=inline(rows), edit=edit)


async def new_search(update: Update, context: BotContext, query: str) -> None:
    serial = (context.user_data.get(SEARCH_KEY) or {}).get("n", 0) + 1
    context.user_data[SEARCH_KEY] = {"q": query.strip(), "n": serial}
    await _search_page(update, context, CaseListState.a, 0, edit=False)


@requires(*SEARCHERS)
async def search_command(update: Update, context: BotContext) -> None:
    await new_search(update, context, " ".join(context.args or []))


@requires(*SEARCHERS)
async def search_button(update: Update, context: BotContext) -> None:
    code = pressed(update, SearchPage)
    search = context.user_data.get(SEARCH_KEY) or {}
    if code.serial != search.get("n"):
        raise StaleButton()
    await _search_page(update, context, code.state, code.page, edit=True)


# --- /mycases ---------------------------------------------------------------------------------


def _tabs(person) -> list[MyCasesTab]:
    """Only the lists that make sense for this person's roles."""
    tabs = []
    if person.has(Role.grid, Role.staff, Role.leader, Role.director):
        tabs.append(MyCasesTab.r)
    if person.has(Role.staff, Role.leader, Role.director, Role.unit):
        tabs.append(MyCasesTab.a)
    if person.contact_village_ids:
        tabs.append(MyCasesTab.v)
    return tabs


async def _my_page(update: Update, context: BotContext, tab: MyCasesTab, state: CaseListState, page: int, *,
                   edit: bool) -> None:
    tabs = _tabs(context.person)
    if tab not in tabs:
        raise StaleButton()
    scope = tab.value
    found, total = await call(context, cases.list_cases, viewer_id=context.person.id, scope=scope,
                              state=state.value, offset=page * PAGE_SIZE, limit=PAGE_SIZE, now=now(context),
                              policy=context.deps.policy.deadlines)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if page >= pages and total:
        await _my_page(update, context, tab, state, pages - 1, edit=edit)
        return
    tab_row = [button(("• " if t == tab else "") + texts.MYCASES_TABS[t.value], MyCases(t, state, 0).pack())
               for t in tabs] if len(tabs) > 1 else []
    filter_row = [button(("• " if s == state else "") + texts.LIST_FILTERS[s.value], MyCases(tab, s, 0).pack())
                  for s in CaseListState]
    rows = [tab_row, filter_row, *([button(case_row(ref), CaseView(ref.id).pack())] for ref in found),
            code_pager(MyCases(tab, state, page), pages)]
    names = {"tab": texts.MYCASES_TABS[scope], "filter": texts.LIST_FILTERS[state.value]}
    if total:
        text = texts.MYCASES_TITLE.format(total=total, page=page + 1, pages=pages, **names)
    else:
        other = texts.MYCASES_EMPTY_OTHER_FILTER if state != CaseListState.a else ""
        text = texts.MYCASES_EMPTY.format(next=texts.MYCASES_EMPTY_NEXT[scope] + other, **names)
    await reply(update, text, reply_markup=inline(rows), edit=edit)


@requires()
async def mycases_command(update: Update, context: BotContext) -> None:
    tabs = _tabs(context.person)
    if not tabs:
        hint = texts.MYCASES_NO_TABS_SEARCH if context.person.has(*SEARCHERS) else texts.MYCASES_NO_TABS_HELP
        if context.person.has(Role.township_leader):  # their cases are the 包案 ones
            hint = texts.MYCASES_NO_TABS_BAOAN
        await update.effective_chat.send_message(texts.MYCASES_NO_TABS.format(next=hint))
        return
    tab = MyCasesTab.a if MyCasesTab.a in tabs else tabs[0]
    await _my_page(update, context, tab, CaseListState.o, 0, edit=False)


@requires()
async def mycases_button(update: Update, context: BotContext) -> None:
    code = pressed(update, MyCases)
    await _my_page(update, context, code.tab, code.state, code.page, edit=True)
