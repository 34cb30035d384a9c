"""化解结果: how the ledgers and the statistics classify a closed case.

The center records an 办结结果 (Outcome) in its own words; inspections count cases by the four results of
the 矛盾纠纷排查化解台账. One mapping, used by every ledger and figure, so they always agree:

- 调解成功 → 实质性化解: the dispute itself is settled (only these count in 化解率);
- 部分成功 → 阶段性化解: part settled, the rest still open to work on;
- 未成功, 转办, 不予受理 → 程序性终结: the center's procedure ends (guided to litigation or arbitration,
  handed to the competent body, or outside its remit) without the dispute being settled here;
- 中止: no outcome records a suspension yet, so no case is counted as 中止 (the column stays, at 0).
"""

from enum import StrEnum

from models import Outcome


class Resolution(StrEnum):
    substantive = "实质性化解"
    procedural = "程序性终结"
    partial = "阶段性化解"
    suspended = "中止"


_BY_OUTCOME: dict[Outcome, Resolution] = {
    Outcome.mediated: Resolution.substantive,
    Outcome.partly_mediated: Resolution.partial,
    Outcome.not_mediated: Resolution.procedural,
    Outcome.transferred: Resolution.procedural,
    Outcome.declined: Resolution.procedural,
}


def resolution_of(outcome: Outcome | str | None) -> Resolution | None:
    """The ledger's 化解结果 for an 办结结果; None while the case has none (still being handled)."""
    if outcome is None:
        return None
    return _BY_OUTCOME[Outcome(outcome)]
