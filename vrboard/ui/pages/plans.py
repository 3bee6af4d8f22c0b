"""The Plans page: the plans actions deliver, with their period and their actions counted
(open by RAG, overdue, awaiting sign-off, progress); the selected plan's actions below."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ...services import action_rows as rows
from ...services.action_rows import PlanCounts
from ..actions.group_page import GroupSummaryPage
from ..actions.group_panel import count_columns
from ..actions.table_model import Filter
from ..tablemodel import Column


def period_text(p: PlanCounts) -> str:
    if p.period_start and p.period_end:
        return f"{p.period} ({rows.uk(p.period_start)} to {rows.uk(p.period_end)})"
    return p.period


COLUMNS: list[Column[PlanCounts]] = [
    Column("Code", lambda p: p.code, width=64),
    Column("Plan", lambda p: p.name, tooltip=lambda p: p.description or None),
    Column("Period", lambda p: p.period, key=lambda p: (p.period_start is None, p.period_start),
           tooltip=period_text, width=80),
    *count_columns(lambda p: p.by_rag),
]


class PlansPage(GroupSummaryPage):
    title = "Plans"
    icon = "plans.svg"
    shortcut = "Ctrl+6"
    topics = frozenset({"action", "plan"})
    columns = COLUMNS
    group = "plan"
    target_key = "plan_code"
    splitter_sizes = (200, 540)

    def load(self, session: Session) -> list[PlanCounts]:
        return rows.plan_counts(session, self.ctx.today)

    def key_of(self, group: PlanCounts) -> str:
        return group.code

    def show_group(self, p: PlanCounts) -> None:
        info = (f"Period: {period_text(p) or 'not set'}. {p.total} actions: {p.open} open "
                f"({p.overdue} overdue), {p.awaiting} awaiting sign-off, {p.signed_off} signed off; "
                f"mean progress {p.mean_percent:.0f}%.")
        if p.description:
            info += f"\n{p.description}"
        self.panel.show_group(f"{p.code}  {p.name}", info, p.by_rag, Filter(plan_code=p.code),
                              {"plan_code": p.code})
