"""The chart sent with /stats: cases by category and the main rates, in Noto Sans CJK.

The font file is registered explicitly and is the only family used, so a character it lacks would
show as a box rather than silently come from another font; tests check it covers every character."""

import io
import threading
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: the bot renders into memory

from matplotlib import font_manager
from matplotlib.figure import Figure

from bot.services.stats.figures import RATES
from bot.services.stats.render import sorted_group
from bot.services.stats.report import StatsReport
from bot.texts import stats as words

FONT_FILE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # Debian's fonts-noto-cjk
FONT_FAMILY = "Noto Sans CJK SC"  # the simplified-Chinese face of the collection
_lock = threading.Lock()  # matplotlib's font cache is not thread-safe; db.run calls come from threads
_registered = False


def font() -> font_manager.FontProperties:
    global _registered
    with _lock:
        if not _registered:
            font_manager.fontManager.addfont(str(FONT_FILE))
            _registered = True
    return font_manager.FontProperties(family=FONT_FAMILY)


_RC = {"font.family": FONT_FAMILY, "axes.unicode_minus": False}  # every text, tick labels too, in the one font


def figure(report: StatsReport) -> Figure:
    """The chart as a matplotlib Figure (tests read its texts); `chart` renders it."""
    prop = font()
    with _lock, matplotlib.rc_context(_RC):
        return _draw(report, prop)


def _draw(report: StatsReport, prop: font_manager.FontProperties) -> Figure:
    fig = Figure(figsize=(10, 5.6), dpi=120)
    fig.suptitle(words.CHART_TITLE.format(title=report.period.label, scope=report.scope.label), fontproperties=prop,
                 fontsize=14)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1]})
    types = sorted_group(report.figures, "by_type")[:10]
    left.set_title(words.CHART_BY_TYPE, fontproperties=prop)
    if types:
        names = [n for n, _ in types][::-1]
        counts = [c for _, c in types][::-1]
        bars = left.barh(range(len(names)), counts, color="#3b6ea5")
        left.set_yticks(range(len(names)), names, fontproperties=prop)
        left.bar_label(bars, labels=[str(c) for c in counts], fontproperties=prop, padding=2)
    else:
        left.text(0.5, 0.5, words.CHART_EMPTY, ha="center", va="center", fontproperties=prop)
        left.set_yticks([])
    rates = [(words.RATE_LABELS[k][0], report.figures.rate(k)) for k in RATES]
    names = [n for n, _ in rates][::-1]
    shown = [float(v) if v is not None else 0.0 for _, v in rates][::-1]
    bars = right.barh(range(len(names)), shown, color="#5a9e6f")
    right.set_yticks(range(len(names)), names, fontproperties=prop)
    right.set_xlim(0, 115)
    right.set_title(words.CHART_RATES, fontproperties=prop)
    right.bar_label(bars, labels=["—" if v is None else f"{v}" for _, v in rates][::-1], fontproperties=prop,
                    padding=2)
    for axis in (left, right):
        for label in axis.get_xticklabels():
            label.set_fontproperties(prop)
    fig.tight_layout()
    return fig


def chart(report: StatsReport) -> bytes:
    """The chart as PNG bytes."""
    buf = io.BytesIO()
    fig = figure(report)
    with _lock, matplotlib.rc_context(_RC):
        fig.savefig(buf, format="png")
    return buf.getvalue()
