"""目标管理责任制 (issue 17): the year's catalogue (catalogue), the measures computed items read
(measures) and the one formula (formula), running scores, hand-scored marks and 一票否决 (scoring),
the 责任书 (agreements), the monthly message (monthly), year end (yearend), 整改 and 领导责任查究
(rectify). No telegram import: handlers/assessment.py is the chat side."""

from bot.services.assessment import (
           agreements,
           catalogue,
           formula,
           measures,
           monthly,
           rectify,
           scoring,
           yearend,
)
from bot.services.assessment.measures import Measured, Subject

__all__ = ["Measured", "Subject", "agreements", "catalogue", "formula", "measures", "monthly", "rectify", "scoring",
           "yearend"]
