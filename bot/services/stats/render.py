"""The figures as people read them: counts with their 更正, rates to two decimals, 环比 and 同比, and the
footnotes. Plain text (no HTML): the chat, the chart, the workbook and the report all use these."""

from datetime import date, datetime
from decimal import Decimal

from bot.services.stats.figures import COUNTS, RATES, Figures, percent
from bot.services.stats.report import StatsReport
from bot.texts import stats as words


def chinese_date(day: date | datetime) -> str:
    """2026年12月4日 (no leading zeros), as Chinese documents write it."""
    return f"{day.year}年{day.month}月{day.day}日"


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def signed(n: int | Decimal) -> str:
    return f"+{n}" if n > 0 else f"{n}".replace("-", "−")


def corrected(report: StatsReport) -> Figures | None:
    """The recomputed figures of a frozen month that was corrected since; None otherwise."""
    return None if report.corrections is None else report.figures + report.corrections


def count_text(report: StatsReport, key: str) -> str:
    """办结 37（更正 +1）: the reported number, and the correction beside it."""
    shown = str(report.figures.counts[key])
    delta = report.corrections.counts[key] if report.corrections else 0
    return shown + (words.CORRECTION.format(delta=signed(delta)) if delta else "")


def rate_text(report: StatsReport, key: str) -> str:
    shown = report.figures.rate(key)
    text = pct(shown)
    fixed = corrected(report)
    if fixed is not None:
        new = fixed.rate(key)
        if new != shown:
            delta = "—" if new is None or shown is None else signed(new - shown) + "个百分点"
            text += words.CORRECTION.format(delta=delta)
    return text


def count_change(now: int, then: int | None) -> str:
    if then is None:
        return "—"
    return "持平" if now == then else f"{signed(now - then)}件"


def rate_change(now: Decimal | None, then: Decimal | None) -> str:
    if now is None or then is None:
        return "—"
    return signed(now - then)


def values(report: StatsReport) -> dict[str, str]:
    """Every count and rate as shown, and the comparisons, keyed for the text templates."""
    out = {key: count_text(report, key) for key in COUNTS}
    out |= {key: rate_text(report, key) for key in RATES}
    counts = report.figures.counts
    prev = report.previous.counts if report.previous else None
    last = report.last_year.counts
    out |= {
        "reg_mom": count_change(counts["registered"], prev["registered"] if prev else None),
        "res_mom": count_change(counts["resolved"], prev["resolved"] if prev else None),
        "reg_yoy": count_change(counts["registered"], last["registered"]),
        "res_yoy": count_change(counts["resolved"], last["resolved"]),
    }
    return out


def footnotes(report: StatsReport) -> list[str]:
    """The formulas and definitions, written out: every output carries them."""
    notes = [formula for _name, formula in words.RATE_LABELS.values()]
    notes += [words.FOOT_PERIOD, words.FOOT_REPEAT, words.FOOT_CONFIDENTIAL, words.FOOT_RATES]
    if report.frozen_at is not None:
        at = report.frozen_at.astimezone(report.tz)
        notes.append(words.FOOT_FROZEN.format(month=report.period.label, at=f"{chinese_date(at)} {at:%H:%M}"))
    if report.partial:
        at = report.as_of.astimezone(report.tz)
        notes.append(words.FOOT_PARTIAL.format(at=f"{chinese_date(at)} {at:%H:%M}"))
    return notes


def share(n: int, total: int) -> str:
    return pct(percent(n, total))


def sorted_group(figures: Figures, group: str) -> list[tuple[str, int]]:
    return sorted(figures.groups[group].items(), key=lambda item: (-item[1], item[0]))


def summary_facts(report: StatsReport) -> dict:
    """What the chat summary says besides the figures (texts.stats.summary's keyword arguments)."""
    at = report.as_of.astimezone(report.tz)
    return dict(title=report.period.label, scope=report.scope.label,
                confidential=report.figures.counts["confidential"], corrected=report.corrections is not None,
                partial_at=f"{chinese_date(at)} {at:%H:%M}" if report.partial else None)
