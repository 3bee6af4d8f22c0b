"""The forward plan in the app: meetings still to come and the business planned for them.
An item can be planned for a meeting before its agenda is built; building the agenda (a new
meeting with its standing items, or the agenda's "Add planned items") brings it in."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ...services import forward_plan as svc
from ...services.context import Actor, Perm, who_may
from ...services.meeting_views import workstream_choices
from ..context import AppContext
from ..widgets.buttons import save_cancel
from .common import fill_combo, select_data

COLUMNS = ("Meeting", "Item", "Presenter", "Time", "Links", "State")


class PlannedItemDialog(QDialog):
    """Plan an item for a meeting (``row=None``), or change one still planned."""

    def __init__(self, ctx: AppContext, parent: QWidget | None, meetings: list[tuple[int, str]],
                 meeting_id: int | None = None, row: svc.PlanRow | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.saved_id: int | None = None
        self.setWindowTitle("Plan an item" if row is None else "Edit the planned item")
        self.setMinimumWidth(560)
        with ctx.read() as s:
            workstreams = workstream_choices(s)
        self.meeting = QComboBox()
        self.meeting.setAccessibleName("Meeting")
        fill_combo(self.meeting, [(label, i) for i, label in meetings], meeting_id)
        self.title_edit = QLineEdit(row.title if row else "")
        self.title_edit.setAccessibleName("Title")
        self.presenter = QLineEdit(row.presenter if row else "")
        self.presenter.setAccessibleName("Presenter")
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 480)
        self.minutes.setValue(row.minutes if row else 15)
        self.minutes.setSuffix(" minutes")
        self.minutes.setAccessibleName("Time allotted")
        self.workstream = QComboBox()
        self.workstream.setAccessibleName("Workstream")
        fill_combo(self.workstream, [("None", None)] + [(t, i) for i, t in workstreams])
        if row and row.workstream:
            select_data(self.workstream, next((i for i, t in workstreams
                                               if t.split(" ", 1)[0] == row.workstream), None))
        self.notes = QPlainTextEdit(row.notes if row else "")
        self.notes.setAccessibleName("Notes")
        self.notes.setFixedHeight(64)
        form = QFormLayout()
        form.addRow("&Meeting:", self.meeting)
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Presenter:", self.presenter)
        form.addRow("Time &allotted:", self.minutes)
        form.addRow("&Workstream:", self.workstream)
        form.addRow("&Notes:", self.notes)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(save_cancel(self, self.save))

    def values(self) -> dict[str, Any]:
        return {"meeting_id": self.meeting.currentData(), "title": self.title_edit.text(),
                "presenter": self.presenter.text(), "minutes_allotted": self.minutes.value(),
                "workstream_id": self.workstream.currentData(),
                "notes": self.notes.toPlainText()}

    def save(self) -> None:
        values, row = self.values(), self.row

        def add(s: Session, a: Actor) -> int:
            fields = dict(values)
            return svc.add_planned_item(s, a, fields.pop("meeting_id"), **fields).id

        def edit(s: Session, a: Actor) -> int:
            assert row is not None and row.planned_id is not None
            return svc.update_planned_item(s, a, row.planned_id, row.version, values).id

        result = self.ctx.run(self, "plan the item" if row is None else "save the planned item",
                              add if row is None else edit, "meeting")
        if result is not None:
            self.saved_id = result
            self.accept()


class ForwardPlanDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: list[svc.PlanMeeting] = []
        self.rows: list[tuple[svc.PlanMeeting, svc.PlanRow | None]] = []
        self.dialog: QDialog | None = None
        self.setWindowTitle("Forward plan")
        self.setMinimumSize(960, 520)
        lay = QVBoxLayout(self)
        note = QLabel("Meetings still to come and the business planned for them. Plan an item "
                      "before the agenda is built; it joins the agenda when the meeting is "
                      "scheduled with its standing items, or with “Add planned items” on the "
                      "agenda. Procedural items are left out.")
        note.setWordWrap(True)
        lay.addWidget(note)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Forward plan")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        bar = QHBoxLayout()
        self.add_button = QPushButton("&Plan an item…")
        self.edit_button = QPushButton("&Edit…")
        self.remove_button = QPushButton("&Remove")
        self.save_button = QPushButton("&Save as PDF or Excel…")
        allowed = ctx.can(Perm.EDIT_MEETINGS)
        for b in (self.add_button, self.edit_button, self.remove_button):
            b.setEnabled(allowed)
            if not allowed:
                b.setToolTip(f"Only the {who_may(Perm.EDIT_MEETINGS)} may plan items.")
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        lay.addLayout(bar)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        lay.addWidget(close)
        self.add_button.clicked.connect(lambda: self.plan_item())
        self.edit_button.clicked.connect(lambda: self.edit_item())
        self.remove_button.clicked.connect(self.remove_item)
        self.save_button.clicked.connect(lambda: self.save_as(None))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit_item())
        self.refresh()

    def refresh(self) -> None:
        with self.ctx.read() as s:
            self.plan = svc.forward_plan(s, self.ctx.actor, self.ctx.today)
        self.rows = []
        for m in self.plan:
            self.rows += [(m, r) for r in m.rows] or [(m, None)]
        self.table.setRowCount(len(self.rows))
        for n, (m, r) in enumerate(self.rows):
            cells = (f"{m.starts_at:%a %d/%m/%Y}", r.title if r else "Nothing planned yet",
                     r.presenter if r else "", f"{r.minutes} min" if r else "",
                     " ".join(x for x in (r.workstream, r.action) if x) if r else "",
                     r.state if r else f"Pack due by {m.pack_due:%d/%m/%Y}")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(n, c, item)
        head = self.table.horizontalHeader()
        for c in (2, 5):  # long presenters and states give way to the item's title
            head.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
            self.table.resizeColumnToContents(c)
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), 200))
        self._update_buttons()

    def current(self) -> tuple[svc.PlanMeeting, svc.PlanRow | None] | None:
        n = self.table.currentRow()
        return self.rows[n] if 0 <= n < len(self.rows) and self.table.selectedItems() else None

    def _update_buttons(self) -> None:
        cur = self.current()
        planned = cur is not None and cur[1] is not None and cur[1].state == "Planned"
        allowed = self.ctx.can(Perm.EDIT_MEETINGS)
        self.edit_button.setEnabled(allowed and planned)
        self.remove_button.setEnabled(allowed and planned)

    def _meetings(self) -> list[tuple[int, str]]:
        return [(m.meeting_id, m.label) for m in self.plan]

    def plan_item(self, values: dict[str, Any] | None = None) -> int | None:
        """Open the dialog (or, with ``values``, save them straight away)."""
        cur = self.current()
        self.dialog = dlg = PlannedItemDialog(self.ctx, self, self._meetings(),
                                              cur[0].meeting_id if cur else None)
        if values is not None:
            dlg.title_edit.setText(str(values.get("title", "")))
            dlg.presenter.setText(str(values.get("presenter", "")))
            if "meeting_id" in values:
                select_data(dlg.meeting, values["meeting_id"])
            dlg.save()
        elif dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        self.refresh()
        return dlg.saved_id

    def edit_item(self) -> None:
        cur = self.current()
        if cur is None or cur[1] is None or cur[1].state != "Planned":
            return
        dlg = PlannedItemDialog(self.ctx, self, self._meetings(), cur[0].meeting_id, cur[1])
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def remove_item(self) -> None:
        cur = self.current()
        if cur is None or cur[1] is None or cur[1].planned_id is None:
            return
        ident = cur[1].planned_id
        if self.ctx.run(self, "remove the planned item",
                        lambda s, a: svc.remove_planned_item(s, a, ident), "meeting") is not False:
            self.refresh()

    def save_as(self, target: str | None) -> str | None:
        if target is None:
            target, _ = QFileDialog.getSaveFileName(
                self, "Save the forward plan", "forward-plan.pdf",
                "PDF (*.pdf);;Excel workbook (*.xlsx)")
            if not target:
                return None
        out = target
        done = self.ctx.run(self, "save the forward plan",
                            lambda s, a: str(svc.write_forward_plan(s, a, out, self.ctx.today)[0]))
        return done
