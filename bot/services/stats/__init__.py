"""统计分析: the center's monthly, quarterly and yearly figures (/stats, the month pack, the weekly brief).

Call these without a chat:
- `report(session, period=, scope=, now=, tz=)` / `monthly(session, month=, scope=, now=, tz=)` → StatsReport
  (a frozen month shows its frozen figures, with any later 更正);
- `chart(report)` → PNG bytes, `xlsx(report)` → .xlsx bytes, `docx(report)` → .docx bytes;
- `freeze_due(session, now=, tz=)`: the monthly freeze (the sweep runs it; idempotent, catches up);
- `scope_for(session, person_id=)`: the township or a contact point's villages, or NotAllowed;
  `may_view(person)`: whether /stats answers them at all (their menu shows it only then).
"""

from bot.services.stats.analysis import docx
from bot.services.stats.chart import FONT_FILE as CHART_FONT_FILE
from bot.services.stats.chart import chart
from bot.services.stats.chart import figure as chart_figure
from bot.services.stats.figures import RATES, Figures, compute, percent
from bot.services.stats.periods import Period, PeriodChoice, PeriodKind, chosen, month_of
from bot.services.stats.render import chinese_date, footnotes, summary_facts, values
from bot.services.stats.report import (
    TOWNSHIP_SCOPE,
    Scope,
    StatsReport,
    freeze,
    freeze_due,
    live,
    may_view,
    monthly,
    report,
    scope_for,
    village_scope,
)
from bot.services.stats.workbook import xlsx

__all__ = [
    "CHART_FONT_FILE",
    "RATES",
    "TOWNSHIP_SCOPE",
    "Figures",
    "Period",
    "PeriodChoice",
    "PeriodKind",
    "Scope",
    "StatsReport",
    "chart",
    "chart_figure",
    "chinese_date",
    "chosen",
    "compute",
    "docx",
    "footnotes",
    "freeze",
    "freeze_due",
    "live",
    "may_view",
    "month_of",
    "monthly",
    "percent",
    "report",
    "scope_for",
    "summary_facts",
    "values",
    "village_scope",
    "xlsx",
]
