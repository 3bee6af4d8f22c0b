"""The Workstreams page: the eight workstreams with lead, open actions by RAG (letter and
number), overdue, awaiting sign-off and mean progress; the selected one's actions below."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ...services.queries import WorkstreamCounts, workstream_counts
from ..actions.group_page import GroupSummaryPage
from ..actions.group_panel import count_columns
from ..actions.table_model import Filter
from ..tablemodel import Column

COLUMNS: list[Column[WorkstreamCounts]] = [
    Column("Code", lambda w: w.workstream.code, key=lambda w: (w.workstream.position, w.workstream.code),
           width=60),
    Column("Workstream", lambda w: w.workstream.name, tooltip=lambda w: w.workstream.description or None),
    Column("Lead", lambda w: w.workstream.lead.name if w.workstream.lead else "No lead yet", width=150),
    *count_columns(lambda w: w.by_rag),
]


class WorkstreamsPage(GroupSummaryPage):
    title = "Workstreams"
    icon = "workstreams.svg"
    shortcut = "Ctrl+4"
    topics = frozenset({"action", "board", "workstream"})
    columns = COLUMNS
    group = "workstream"
    target_key = "workstream_id"
    key_type = int
    splitter_sizes = (300, 440)

    def load(self, session: Session) -> list[WorkstreamCounts]:
        counts = workstream_counts(session, self.ctx.today)
        for w in counts:
            _ = w.workstream.lead  # load the lead while the session is open
        return counts

    def key_of(self, group: WorkstreamCounts) -> int:
        return group.workstream.id

    def show_group(self, w: WorkstreamCounts) -> None:
        ws = w.workstream
        lead = ws.lead.name if ws.lead else "no lead yet"
        info = (f"Lead: {lead}. {w.total} actions: {w.open} open ({w.overdue} overdue), "
                f"{w.awaiting} awaiting sign-off, {w.signed_off} signed off; mean progress "
                f"{w.mean_percent:.0f}%.")
        if ws.description:
            info += f"\n{ws.description}"
        self.panel.show_group(f"{ws.code}  {ws.name}", info, w.by_rag, Filter(workstream_id=ws.id),
                              {"workstream_id": ws.id})
