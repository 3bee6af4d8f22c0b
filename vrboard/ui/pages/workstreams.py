"""The Workstreams page: the eight workstreams with lead, open actions by RAG (letter and
number), overdue, awaiting sign-off and mean progress; the selected one's actions below."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QPushButton, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from ...services.context import Perm, who_may
from ...services.queries import WorkstreamCounts, workstream_counts
from ..actions.group_page import GroupSummaryPage
from ..actions.group_panel import count_columns
from ..actions.table_model import Filter
from ..context import AppContext
from ..tablemodel import Column

COLUMNS: list[Column[WorkstreamCounts]] = [
    Column("Code", lambda w: w.workstream.code, key=lambda w: (w.workstream.position, w.workstream.code),
           width=60),
    Column("Workstream", lambda w: w.workstream.name, tooltip=lambda w: w.workstream.description or None),
    Column("Lead", lambda w: w.workstream.lead.name if w.workstream.lead else "No lead yet", width=150),
    *count_columns(lambda w: w.by_rag),
]


class WorkstreamsPage(GroupSummaryPage):
    """The workstreams, with "Set lead…" for naming the selected workstream's lead."""

    title = "Workstreams"
    icon = "workstreams.svg"
    shortcut = "Ctrl+4"
    topics = frozenset({"action", "board", "workstream"})
    columns = COLUMNS
    group = "workstream"
    target_key = "workstream_id"
    key_type = int
    splitter_sizes = (300, 440)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        row = QHBoxLayout()
        self.lead_button = QPushButton("Set &lead…")
        self.lead_button.setToolTip("Name the person who leads the selected workstream")
        if not ctx.can(Perm.EDIT_BOARD):
            self.lead_button.setEnabled(False)
            self.lead_button.setToolTip(f"Only the {who_may(Perm.EDIT_BOARD)} may name leads.")
        row.addWidget(self.lead_button)
        row.addStretch(1)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(1, row)
        self.lead_button.clicked.connect(self.set_lead)

    def set_lead(self) -> None:
        from ...services.meeting_views import people_choices
        from ...services.setup import set_workstream_lead

        w = self.current()
        if w is None or not self.ctx.can(Perm.EDIT_BOARD):
            return
        with self.ctx.read() as s:
            people = people_choices(s)
        names = ["No lead"] + [n for _i, n in people]
        ws = w.workstream
        now = ws.lead.name if ws.lead else "No lead"
        name, ok = QInputDialog.getItem(self, f"Lead of {ws.code}", f"Who leads {ws.name}?",
                                        names, names.index(now) if now in names else 0, False)
        if not ok:
            return
        pid = next((i for i, n in people if n == name), None)
        self.ctx.run(self, "set the workstream lead",
                     lambda s, a: set_workstream_lead(s, a, ws.id, pid), changed="workstream")

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
