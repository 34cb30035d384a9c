"""综治工作计划 (综治中心工作职责 1: "制定本辖区综治工作计划、方案、措施等，并负责组织实施").

A plan covers a year, a quarter or a month (one plan per period): its 总体目标 and its 工作任务, each
with one 责任单位 or 责任人 and a 完成时限 (a working day inside the period). The center drafts it;
the director 印发 it with a 发文字号 (综治发〔2026〕3号), after which it is frozen and each task is
carried out (组织实施): its owner reports 进展 and 完成, the director may send a completion back
(退回), and the sweep chases a task close to its date and one past it.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class PlanPeriod(StrEnum):
    year = "year"  # 年度
    quarter = "quarter"  # 季度
    month = "month"  # 月度


class PlanStatus(StrEnum):
    draft = "draft"  # 草稿: tasks may be added and removed
    issued = "issued"  # 已印发: frozen, carried out


class WorkPlan(SQLModel, table=True):
    __tablename__ = "work_plan"
    __table_args__ = (UniqueConstraint("period", "year", "part", name="uq_work_plan_period"),)
    id: int | None = Field(default=None, primary_key=True)
    period: PlanPeriod = Field(sa_type=String(8))
    year: int
    part: int = 0  # the quarter (1–4) or the month (1–12); 0 for a year's plan
    aim: str = Field(sa_column=Column(Text, nullable=False))  # 总体目标 / 工作思路
    status: PlanStatus = Field(default=PlanStatus.draft, sa_type=String(8), index=True)
    author_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    number: str | None = Field(default=None, max_length=40)  # 发文字号, given at 印发
    issued_by_id: int | None = Field(default=None, foreign_key="person.id")
    issued_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TaskStatus(StrEnum):
    open = "open"  # 进行中
    done = "done"  # 已完成 (reported by its owner; the director may send it back)


ONE_OWNER = "(unit_id IS NULL) <> (person_id IS NULL)"


class PlanTask(SQLModel, table=True):
    """One 工作任务 of a plan: a 责任单位 (its contacts answer) or a 责任人."""

    __tablename__ = "plan_task"
    __table_args__ = (CheckConstraint(ONE_OWNER, name="ck_plan_task_one_owner"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="work_plan.id", index=True)
    seq: int  # 1, 2, … in the plan (renumbered when a draft's task is removed)
    text: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    due_on: date  # 完成时限: a working day inside the plan's period
    status: TaskStatus = Field(default=TaskStatus.open, sa_type=String(8), index=True)
    progress: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # the latest 进展
    progress_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    result: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # 完成情况
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_by_id: int | None = Field(default=None, foreign_key="person.id")
    returned_reason: str | None = Field(default=None, max_length=300)  # the director's last 退回
    # The sweep's marks, each set with its messages (restart-safe, once each; a 退回 clears them).
    soon_told_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    overdue_told_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
