"""The agenda editor: items in order (drag to reorder, or Ctrl+Up / Ctrl+Down), add, edit,
delete, and the papers attached to the selected item."""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...model import Classification
from ...services import meetings as svc
from ...services.meeting_views import ItemView, MeetingDetail
from ..context import AppContext
from ..widgets.tables import fit_columns
from .common import plural
from .item_dialog import ItemDialog
from .models import AgendaModel, PaperModel

PAPER_FILTER = "Papers (*.pdf *.docx *.doc *.odt *.xlsx *.xls *.ods *.pptx *.txt);;All files (*)"


class AgendaEditor(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: MeetingDetail | None = None
        self.editable = False
        self.dialog: QDialog | None = None
        self._keep_selected: int | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_button = QPushButton("&Add item…")
        self.add_button.setToolTip("Add an item at the end of the agenda (Insert)")
        self.edit_button = QPushButton("&Edit item…")
        self.edit_button.setToolTip("Edit the selected item (Enter)")
        self.delete_button = QPushButton("&Delete item")
        self.delete_button.setToolTip("Delete the selected item (Delete)")
        self.up_button = QPushButton("Move &up")
        self.up_button.setToolTip("Move the selected item up (Ctrl+Up); or drag it")
        self.down_button = QPushButton("Move do&wn")
        self.down_button.setToolTip("Move the selected item down (Ctrl+Down); or drag it")
        for b in (self.add_button, self.edit_button, self.delete_button, self.up_button,
                  self.down_button):
            bar.addWidget(b)
        self.planned_button = QPushButton("Add &planned items")
        self.planned_button.setToolTip("Bring the items planned for this meeting (forward plan) "
                                       "onto its agenda, before any other business")
        self.planned_button.clicked.connect(self.add_planned)
        bar.addStretch(1)
        layout.addLayout(bar)
        # a second row: the five buttons above fill the pane beside the meetings list at 1024 px
        bar2 = QHBoxLayout()
        bar2.addWidget(self.planned_button)
        bar2.addStretch(1)
        self.total = QLabel()
        self.total.setAccessibleName("Agenda length")
        bar2.addWidget(self.total)
        layout.addLayout(bar2)

        self.model = AgendaModel(self)
        # queued: the drop finishes before the agenda reloads underneath the view
        self.model.move_requested.connect(self.move_to, Qt.ConnectionType.QueuedConnection)
        self.table = QTableView()
        self.table.setAccessibleName("Agenda")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.setDragDropOverwriteMode(False)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.verticalHeader().hide()
        fit_columns(self.table, stretch=1)  # the title carries the meaning

        papers = QGroupBox("Papers for the selected item")
        pl = QVBoxLayout(papers)
        self.paper_model = PaperModel(self)
        self.papers = QTableView()
        self.papers.setAccessibleName("Papers")
        self.papers.setModel(self.paper_model)
        self.papers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.papers.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.papers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.papers.verticalHeader().hide()
        ph = self.papers.horizontalHeader()
        ph.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        ph.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        pl.addWidget(self.papers)
        pbar = QHBoxLayout()
        self.attach_button = QPushButton("Attach &paper…")
        self.open_paper_button = QPushButton("&Open paper")
        self.remove_paper_button = QPushButton("&Remove paper")
        for b in (self.attach_button, self.open_paper_button, self.remove_paper_button):
            pbar.addWidget(b)
        pbar.addStretch(1)
        pl.addLayout(pbar)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(papers)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)

        self.add_button.clicked.connect(self.add_item)
        self.edit_button.clicked.connect(self.edit_item)
        self.delete_button.clicked.connect(self.delete_item)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.attach_button.clicked.connect(self.attach_paper)
        self.open_paper_button.clicked.connect(self.open_paper)
        self.remove_paper_button.clicked.connect(self.remove_paper)
        self.table.doubleClicked.connect(self.edit_item)
        self.papers.doubleClicked.connect(self.open_paper)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.papers.selectionModel().selectionChanged.connect(self._update_buttons)
        shortcuts = ((QKeySequence("Ctrl+Up"), lambda: self.move_selected(-1)),
                     (QKeySequence("Ctrl+Down"), lambda: self.move_selected(1)),
                     (QKeySequence(Qt.Key.Key_Delete), self.delete_item),
                     (QKeySequence(Qt.Key.Key_Insert), self.add_item),
                     (QKeySequence(Qt.Key.Key_Return), self.edit_item),
                     (QKeySequence(Qt.Key.Key_Enter), self.edit_item))
        for seq, slot in shortcuts:
            QShortcut(seq, self.table, slot, context=Qt.ShortcutContext.WidgetShortcut)

    # --- showing -----------------------------------------------------------------------------
    def show_meeting(self, detail: MeetingDetail, editable: bool, why_not: str) -> None:
        keep = self._keep_selected
        if keep is None:
            current = self.selected()
            keep = current.id if current and self.detail and self.detail.id == detail.id else None
        self._keep_selected = None
        self.detail = detail
        self.editable = editable
        self.model.movable = editable
        self.model.set_rows(list(detail.items))
        minutes = sum(i.minutes_allotted for i in detail.items)
        self.total.setText(f"{plural(len(detail.items), 'item')}, {minutes // 60} h {minutes % 60:02d} min")
        for b in (self.add_button, self.edit_button, self.delete_button, self.up_button,
                  self.down_button, self.attach_button, self.remove_paper_button):
            b.setToolTip(b.toolTip() if editable else why_not)
        self.planned_button.setText(f"Add &planned items ({detail.planned_waiting})")
        self.planned_button.setVisible(detail.planned_waiting > 0)
        self.planned_button.setEnabled(editable)
        row = self.model.find(keep) if keep is not None else -1
        if row >= 0:
            self.table.selectRow(row)
        self._selection_changed()

    def add_planned(self) -> None:
        from ...services.forward_plan import place_planned_items

        if self.detail is None or not self.editable:
            return
        mid = self.detail.id
        self.ctx.run(self, "add the planned items",
                     lambda s, a: len(place_planned_items(s, a, mid)), "meeting")

    def selected(self) -> ItemView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0]) if rows else None

    def selected_paper_id(self) -> int | None:
        rows = self.papers.selectionModel().selectedRows()
        return self.paper_model.row(rows[0]).id if rows else None

    def _selection_changed(self, *_args: object) -> None:
        item = self.selected()
        self.paper_model.set_rows(list(item.papers) if item else [])
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        item, e = self.selected(), self.editable
        self.add_button.setEnabled(e and self.detail is not None)
        for b in (self.edit_button, self.delete_button, self.attach_button):
            b.setEnabled(e and item is not None)
        self.up_button.setEnabled(e and item is not None and item.position > 1)
        self.down_button.setEnabled(e and item is not None and item.position < self.model.rowCount())
        paper = self.selected_paper_id() is not None
        self.remove_paper_button.setEnabled(e and paper)
        self.open_paper_button.setEnabled(paper)

    # --- acts --------------------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(self._dialog_finished)
        dialog.open()

    def _dialog_finished(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        saved = getattr(dialog, "saved_item_id", None)
        if result == QDialog.DialogCode.Accepted and saved is not None:
            row = self.model.find(saved)
            if row >= 0:
                self.table.selectRow(row)
        dialog.deleteLater()

    def add_item(self) -> None:
        if self.editable and self.detail is not None:
            self._open(ItemDialog(self.ctx, self, self.detail.id))

    def edit_item(self) -> None:
        item = self.selected()
        if self.editable and self.detail is not None and item is not None:
            self._open(ItemDialog(self.ctx, self, self.detail.id, item))

    def delete_item(self) -> None:
        item = self.selected()
        if not self.editable or item is None:
            return
        extra = " and its minute" if item.discussion or item.decisions else ""
        answer = QMessageBox.question(
            self, "Delete agenda item",
            f"Delete item {item.position} '{item.title}', its {len(item.papers)} paper(s){extra}? "
            "The items after it move up.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.ctx.run(self, "delete the agenda item", lambda s, a: svc.delete_item(s, a, item.id),
                     changed="meeting")

    def move_selected(self, step: int) -> None:
        item = self.selected()
        if item is None or not self.editable:
            return
        target = item.position + step
        if 1 <= target <= self.model.rowCount():
            self.move_to(item.id, target)

    def move_to(self, item_id: int, new_position: int) -> None:
        """Move an item (by keyboard, button or drop) and keep it selected."""
        if not self.editable:
            return
        self._keep_selected = item_id
        result = self.ctx.run(self, "move the agenda item",
                              lambda s, a: svc.move_item(s, a, item_id, new_position).position,
                              changed="meeting")
        if result is None:
            self._keep_selected = None

    def attach_paper(self) -> None:
        item = self.selected()
        if not self.editable or item is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, f"Attach a paper to item {item.position}",
                                              "", PAPER_FILTER)
        if not path:
            return
        title, ok = QInputDialog.getText(self, "Paper title", "Title of the paper:",
                                         text=Path(path).stem.replace("_", " "))
        if not ok:
            return
        marking = (Classification.OFFICIAL_SENSITIVE if item.part == 2 else item.classification)
        self._keep_selected = item.id
        self.ctx.run(self, "attach the paper",
                     lambda s, a: svc.attach_paper(s, a, item.id, title, path, marking),
                     changed="meeting")

    def remove_paper(self) -> None:
        pid = self.selected_paper_id()
        if not self.editable or pid is None:
            return
        self.ctx.run(self, "remove the paper", lambda s, a: svc.remove_paper(s, a, pid),
                     changed="meeting")

    def open_paper(self) -> None:
        """Open the paper (its bytes come from the database) in the system's viewer, from a
        private temporary copy."""
        pid = self.selected_paper_id()
        if pid is None:
            return
        from ...services.papers import paper_file

        got = self.ctx.run(self, "open the paper", lambda s, a: paper_file(s, a, pid))
        if got is None:
            return
        name, data = got
        folder = Path(tempfile.mkdtemp(prefix="vrboard-paper-"))
        target = folder / name
        target.write_bytes(data)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
