"""The Actions page: every action in one table with filters and a search box, and the
selected action's detail beside it."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...changes import Change, topic_of
from ...services import action_rows as rows
from ...services.action_rows import affected_actions
from ...services.context import Perm
from ..actions.action_dialog import ActionDialog
from ..actions.detail import ActionDetailPanel
from ..actions.filter_bar import FilterBar
from ..actions.table_model import C_DUE, COLUMNS, ActionsTableModel, Filter
from ..context import AppContext
from ..page import Page

PRESETS = {
    "awaiting_sign_off": Filter(awaiting_sign_off=True),
    "overdue": Filter(overdue=True),
    "due_soon": Filter(due_soon=True),
}


class ActionsPage(Page):
    title = "Actions"
    icon = "actions.svg"
    shortcut = "Ctrl+5"
    topics = frozenset({"action", "board"})
    #: the navigation contract: ask the main window to show another page
    navigate = Signal(str, object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = ActionsTableModel(self)
        self.filters = FilterBar()
        self.filters.filter_changed.connect(self.apply_filter)
        self.table = QTableView()
        self.table.setAccessibleName("Actions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(QFontMetrics(self.font()).height() + 8)
        for n, col in enumerate(COLUMNS):
            self.table.setColumnWidth(n, col.width)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.doubleClicked.connect(lambda _i: self.detail.edit())
        self.detail = ActionDetailPanel(ctx)
        self.detail.open_meeting.connect(lambda m: self.navigate.emit("meetings", {"meeting_id": m}))
        self.splitter = QSplitter(Qt.Orientation.Vertical, objectName="actions_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([400, 340])
        self.new_button = QPushButton("&New action…")
        self.new_button.setToolTip("Create an action (Ctrl+N)")
        self.new_button.clicked.connect(self.new_action)
        if not ctx.can(Perm.EDIT_ACTIONS):
            self.new_button.setEnabled(False)
            self.new_button.setToolTip("Only the secretariat or the chair may create actions; you are "
                                       f"signed in as {ctx.actor.describe()}.")
        heading = QLabel("Actions")
        heading.setStyleSheet("font-size: 15pt; font-weight: 600;")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.splitter, 1)
        self._shortcuts()
        f = self.filters
        chain = [self.new_button, f.search, f.workstream, f.plan, f.owner, f.status, f.rag, f.overdue,
                 f.due_soon, f.awaiting, f.clear_button, self.table, *self.detail.buttons.values(),
                 self.detail.tabs]
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)

    def _shortcuts(self) -> None:
        def add(seq: QKeySequence | str, slot: Any, text: str) -> QAction:
            act = QAction(text, self)
            act.setShortcut(QKeySequence(seq))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            return act
        self.find_act = add(QKeySequence.StandardKey.Find, self.focus_search, "Search actions")
        self.new_act = add("Ctrl+N", self.new_action, "New action")
        self.update_act = add("Ctrl+U", self._update_shortcut, "Add a progress update")
        self.edit_act = add("F2", self._edit_shortcut, "Edit the selected action")

    # --- loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        keep = self.selected_id()
        with self.ctx.read() as s:
            choices = rows.choices(s, active_people_only=False)
            data = rows.action_rows(s, self.ctx.actor)
        self.filters.set_choices(choices)
        self.model.set_rows(data, self.ctx.today)
        self._after_view_change(keep)

    def apply_remote(self, changes: list[Change]) -> None:
        """Another user's saved changes: reload only those actions' rows, keeping the filter,
        the order and the selection; other areas' changes mark the page for a full reload
        (a workstream renamed, a person's name) as before."""
        if any(topic_of(c.entity) == "" or c.entity in ("person", "plan", "workstream")
               for c in changes):
            super().apply_remote(changes)
            return
        with self.ctx.read() as s:
            ids = affected_actions(s, changes)
            if not ids:
                return
            fresh = rows.action_rows(s, self.ctx.actor, ids)
        gone = ids - {t[0] for t in fresh}
        self.model.update_rows(fresh, gone)
        self.filters.show_count(self.model.rowCount(), self.model.total)
        shown = self.detail.detail
        if shown is not None and shown.id in ids:
            self.detail.reload()

    def apply_filter(self, f: Filter) -> None:
        keep = self.selected_id()
        self.model.set_filter(f)
        # The user narrowed the list: the detail follows what is listed, never an action the
        # filter hides (whose Edit and Drop would then act on a record not on screen).
        self._after_view_change(keep, follow_list=True)

    def _after_view_change(self, keep: int | None, follow_list: bool = False) -> None:
        self.filters.show_count(self.model.rowCount(), self.model.total)
        row = self.model.row_of(keep) if keep is not None else -1
        if row >= 0:
            self.select_row(row)
        elif not follow_list and keep is not None and self.model.contains(keep):
            # The user's own change took it out of the list (signed off under "awaiting
            # sign-off"): still show the result, and say why it is not highlighted.
            self.table.clearSelection()
            self.detail.show_action(keep)
            if self.detail.detail is not None:
                self.detail.heading.setText(
                    f"{self.detail.heading.text()}  (no longer matches the filter)")
        elif self.model.rowCount():
            self.select_row(0)  # something useful in the detail from the start
        else:
            self.detail.show_action(None)

    # --- selection ----------------------------------------------------------------------------
    def selected_id(self) -> int | None:
        idx = self.table.currentIndex()
        if not idx.isValid() or not self.table.selectionModel().isRowSelected(idx.row(), QModelIndex()):
            return self.detail.detail.id if self.detail.detail else None
        return self.model.action_id(idx.row())

    def select_row(self, row: int) -> None:
        idx = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(idx)
        self.detail.show_action(self.model.action_id(row))

    def select_action(self, action_id: int) -> bool:
        """Select ``action_id``, clearing the filters if they hide it."""
        self.refresh_if_stale()
        row = self.model.row_of(action_id)
        if row < 0 and self.model.contains(action_id):
            self.filters.clear()
            row = self.model.row_of(action_id)
        if row < 0:
            return False
        self.select_row(row)
        return True

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            aid = self.model.action_id(current.row())
            if self.detail.detail is None or self.detail.detail.id != aid:
                self.detail.show_action(aid)

    # --- navigation contract ------------------------------------------------------------------
    def open_target(self, target: Any) -> None:
        """{"action_id": id}, {"preset": "awaiting_sign_off"|"overdue"|"due_soon"},
        {"workstream_id": id}, {"plan_code": code}, or {"owner_id": id} (that owner's
        actions, earliest due first, so what is overdue and due soon leads)."""
        if not isinstance(target, dict):
            return
        self.refresh_if_stale()
        if "action_id" in target:
            self.select_action(int(target["action_id"]))
        elif target.get("preset") in PRESETS:
            self.filters.set_filter(PRESETS[target["preset"]])
        elif "workstream_id" in target:
            self.filters.set_filter(Filter(workstream_id=int(target["workstream_id"])))
        elif "plan_code" in target:
            self.filters.set_filter(Filter(plan_code=str(target["plan_code"])))
        elif "owner_id" in target:
            self.filters.set_filter(Filter(owner_id=int(target["owner_id"])))
            self.table.sortByColumn(C_DUE, Qt.SortOrder.AscendingOrder)
        if self.model.rowCount() and self.table.currentIndex().row() < 0:
            self.select_row(0)

    # --- acts -----------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def new_action(self) -> int | None:
        if not self.new_button.isEnabled():
            return None
        f = self.model.filter
        preset: dict[str, Any] = {}
        if f.workstream_id is not None:
            preset["workstream_id"] = f.workstream_id
        if f.plan_code:
            preset["plan_codes"] = [f.plan_code]
        dlg = ActionDialog(self.ctx, self, preset=preset)
        if dlg.exec() != QDialog.DialogCode.Accepted or dlg.saved_action_id is None:
            return None
        self.refresh_if_stale()
        self.select_action(dlg.saved_action_id)
        return dlg.saved_action_id

    def _update_shortcut(self) -> None:
        if self.detail.buttons["update"].isEnabled():
            self.detail.add_update()

    def _edit_shortcut(self) -> None:
        if self.detail.buttons["edit"].isEnabled():
            self.detail.edit()
