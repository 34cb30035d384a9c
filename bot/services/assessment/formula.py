"""The one formula every computed item uses: the catalogue row's threshold, step and cap are data.

- rule below (a rate): the gap is threshold − value; rule above (a count): value − threshold;
- no gap (≤ 0), or nothing measured: no deduction;
- per_unit: step × gap (e.g. 1 point per percentage point, 0.5 per occurrence), else step once;
- never more than the cap, nor than the item's points; two decimals, half up.
"""

from decimal import ROUND_HALF_UP, Decimal

from models import AssessmentItem, ItemRule

ZERO = Decimal("0")
CENT = Decimal("0.01")


def deduction(item: AssessmentItem, value: Decimal | None) -> Decimal:
    if value is None or item.rule is None or item.step is None:
        return ZERO
    threshold = Decimal(item.threshold or 0)
    gap = threshold - value if item.rule == ItemRule.below else value - threshold
    if gap <= 0:
        return ZERO
    loss = Decimal(item.step) * gap if item.per_unit else Decimal(item.step)
    limit = min(Decimal(item.cap), Decimal(item.points)) if item.cap is not None else Decimal(item.points)
    return min(loss, limit).quantize(CENT, rounding=ROUND_HALF_UP)


def capped(item: AssessmentItem, marks_total: Decimal) -> Decimal:
    """Hand-scored deductions of one item add up to at most its points."""
    return min(marks_total, Decimal(item.points)).quantize(CENT, rounding=ROUND_HALF_UP)
