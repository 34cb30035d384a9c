"""The words of /ledger (台账) that buttons carry: which ledger, which period. No tables."""

from enum import StrEnum


class LedgerKind(StrEnum):
    cases = "cases"  # 矛盾纠纷排查化解台账
    visits = "visits"  # 来访（首问）登记台账
    notices = "notices"  # 督办台账
    baoan = "baoan"  # 领导包案台账
    reports = "reports"  # 信息报告台账
    duty = "duty"  # 值班台账
    meetings = "meetings"  # 会议台账 (bot/services/decisions.ledger_rows)
    announcements = "announcements"  # 传达台账 (bot/services/announcements.ledger_rows)
    paicha = "paicha"  # 排查台账 (bot/services/paicha.ledger_rows)
    assignments = "assignments"  # 上级交办事项台账 (bot/services/assignments.ledger_rows)
    home_visits = "home_visits"  # 上门受理登记台账 (bot/services/ledgers/flow_ledgers.py)
    consultations = "consultations"  # 会商记录 (bot/services/ledgers/flow_ledgers.py)
    campaigns = "campaigns"  # 平安创建台账 (bot/services/assessment/teams.ledger_rows)
    contact = "contact"  # 联系点工作台账 (bot/services/contact_points.ledger_rows)
    focus_areas = "focus_areas"  # 社会治安重点整治台账 (bot/services/ledgers/focus_ledger.py)
    plans = "plans"  # 综治工作计划台账 (bot/services/ledgers/focus_ledger.plan_ledger)


class PeriodChoice(StrEnum):
    month = "month"  # 本月
    last_month = "last_month"  # 上月
    quarter = "quarter"  # 本季度
    year = "year"  # 本年
    custom = "custom"  # 自定义: two dates typed
