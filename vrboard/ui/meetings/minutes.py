"""The minutes editor: for each agenda item, the discussion and the decisions taken, and
"Create action from this decision" (pre-filled with the meeting, item and workstream)."""
from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...services import meetings as svc
from ...services.context import Perm
from ...services.meeting_views import ItemView, MeetingDetail, action_title, meeting_detail
from ..context import AppContext
from ..widgets.text_delegate import ParagraphDelegate
from .common import run_watching_reload
from .models import DecisionModel, ItemListModel


class MinutesEditor(QWidget):
    #: the user asked to see an action raised from a decision (its id)
    open_action = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: MeetingDetail | None = None
        self.item_id: int | None = None
        self.editable = False
        self.dirty = False
        self.dialog: QDialog | None = None
        self._loading = False

        self.items_model = ItemListModel(self)
        self.items = QTableView()
        self.items.setAccessibleName("Agenda items to minute")
        self.items.setModel(self.items_model)
        self.items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items.setWordWrap(True)
        self.items.setShowGrid(False)
        self.items.setStyleSheet("QTableView::item { padding: 4px 6px; }")
        self.items.verticalHeader().hide()
        self.items.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.items.horizontalHeader().hide()
        self.items.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.items.setMinimumWidth(170)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Item being minuted")
        rl.addWidget(self.heading)
        rl.addWidget(QLabel("&Discussion:"))
        self.discussion = QPlainTextEdit()
        self.discussion.setAccessibleName("Discussion")
        self.discussion.setTabChangesFocus(True)
        self.discussion.setPlaceholderText("What was presented and discussed.")
        rl.itemAt(rl.count() - 1).widget().setBuddy(self.discussion)
        rl.addWidget(self.discussion, 2)
        decisions_label = QLabel("Decisions (double-click or F2 to edit the wording):")
        decisions_label.setWordWrap(True)
        rl.addWidget(decisions_label)
        self.decision_model = DecisionModel(self)
        self.decisions = QTableView()
        self.decisions.setAccessibleName("Decisions")
        self.decisions.setModel(self.decision_model)
        self.decisions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.decisions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.decisions.setWordWrap(True)
        # a decision is a sentence or a paragraph: edited in a text box, not a one-line field
        self.decisions.setItemDelegateForColumn(0, ParagraphDelegate(self.decisions))
        self.decisions.verticalHeader().hide()
        self.decisions.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        dh = self.decisions.horizontalHeader()
        dh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        dh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        rl.addWidget(self.decisions, 2)
        bar = QHBoxLayout()
        self.add_decision_button = QPushButton("Add de&cision")
        self.remove_decision_button = QPushButton("Re&move")
        self.remove_decision_button.setToolTip("Remove the selected decision")
        self.action_button = QPushButton("Raise &action…")
        self.action_button.setToolTip("Create an action from the selected decision (pre-filled with "
                                      "the meeting, item and workstream)")
        self.open_action_button = QPushButton("Open ac&tion raised")
        self.open_action_button.setToolTip("Show the action raised from this decision on the "
                                           "Actions page (or double-click its reference)")
        self.save_button = QPushButton("&Save minute")
        self.save_button.setToolTip("Save this item's minute (Ctrl+S)")
        self.state = QLabel()
        self.state.setAccessibleName("Save state")
        # Two rows, so the editor stays usable beside the item list at ordinary window widths.
        for w in (self.add_decision_button, self.remove_decision_button, self.action_button):
            bar.addWidget(w)
        bar.addStretch(1)
        rl.addLayout(bar)
        bar2 = QHBoxLayout()
        bar2.addWidget(self.open_action_button)
        bar2.addStretch(1)
        bar2.addWidget(self.state)
        bar2.addWidget(self.save_button)
        rl.addLayout(bar2)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.items)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setSizes([240, 620])  # the editor and its buttons get the room
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        self.items.selectionModel().currentRowChanged.connect(self._item_changed)
        self.discussion.textChanged.connect(self._mark_dirty)
        self.decision_model.dataChanged.connect(self._mark_dirty)
        self.decision_model.rowsInserted.connect(self._mark_dirty)
        self.decision_model.rowsRemoved.connect(self._mark_dirty)
        self.decisions.selectionModel().selectionChanged.connect(self._update_buttons)
        self.add_decision_button.clicked.connect(self.add_decision)
        self.remove_decision_button.clicked.connect(self.remove_decision)
        self.action_button.clicked.connect(self.create_action)
        self.open_action_button.clicked.connect(self.open_raised_action)
        self.decisions.doubleClicked.connect(self._decision_double_clicked)
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # --- showing -----------------------------------------------------------------------------
    def show_meeting(self, detail: MeetingDetail, editable: bool, why_not: str) -> None:
        same = self.detail is not None and self.detail.id == detail.id
        self.detail, self.editable = detail, editable
        self.items_model.set_rows(list(detail.items))
        self.decision_model.editable = editable
        self.discussion.setReadOnly(not editable)
        for b in (self.add_decision_button, self.remove_decision_button, self.save_button):
            b.setToolTip(b.toolTip() if editable else why_not)
        keep = self.item_id if same and detail.item(self.item_id or -1) else None
        if keep is None:
            self.dirty = False
            keep = detail.items[0].id if detail.items else None
        self._select_item(keep)
        if not self.dirty:
            self._load(detail.item(keep) if keep is not None else None)
        self._update_buttons()

    def _select_item(self, item_id: int | None) -> None:
        self.items.selectionModel().blockSignals(True)
        row = self.items_model.find(item_id) if item_id is not None else -1
        if row >= 0:
            self.items.selectionModel().setCurrentIndex(
                self.items_model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.items.selectionModel().blockSignals(False)
        self.item_id = item_id

    def _load(self, item: ItemView | None) -> None:
        self._loading = True
        self.item_id = item.id if item else None
        if item is None:
            self.heading.setText("This meeting has no agenda items to minute yet.")
            self.discussion.setPlainText("")
            self.decision_model.set_rows([])
        else:
            part = (f"  —  Part 2, exempt under paragraph {item.exempt_paragraph}: kept out of "
                    "the public minutes") if item.part == 2 else ""
            declared = [d.person if d.withheld else f"{d.person} ({d.interest_type.lower()}: {d.nature})"
                        for d in (self.detail.declarations if self.detail else ())
                        if d.item_id == item.id]
            interests = ("<br>Interests declared on this item: " + html.escape("; ".join(declared))
                         if declared else "")
            if item.withheld:  # the title is the exempt notice: say it once, plainly
                self.heading.setText(f"<b>Item {item.position} (Part 2)</b>: "
                                     f"{html.escape(item.title)}.")
            else:
                self.heading.setText(f"<b>Item {item.position}: {html.escape(item.title)}</b>"
                                     f"{part}{interests}")
            self.discussion.setPlainText(item.discussion)
            self.decision_model.set_rows(list(item.decisions))
        self._loading = False
        self.dirty = False
        self._update_state()

    def _mark_dirty(self, *_args: object) -> None:
        if not self._loading and self.editable:
            self.dirty = True
            self._update_state()
            self._update_buttons()

    def _update_state(self) -> None:
        if self.detail is not None and self.detail.locked:
            self.state.setText("Signed and locked")
        else:
            self.state.setText("Unsaved changes" if self.dirty else "Saved")

    def current_item(self) -> ItemView | None:
        return self.detail.item(self.item_id) if self.detail and self.item_id else None

    def selected_decision_row(self) -> int:
        rows = self.decisions.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _update_buttons(self, *_args: object) -> None:
        e, has_item = self.editable, self.current_item() is not None
        row = self.selected_decision_row()
        self.add_decision_button.setEnabled(e and has_item)
        self.remove_decision_button.setEnabled(e and row >= 0)
        self.save_button.setEnabled(e and has_item and self.dirty)
        raised = row >= 0 and bool(self.decision_model.row(row).action_ids)
        self.open_action_button.setEnabled(raised and not self.dirty)
        may = self.ctx.can(Perm.EDIT_ACTIONS)
        self.action_button.setEnabled(may and row >= 0 and (self.dirty or
                                                            self.decision_model.row(row).id > 0))
        self.action_button.setToolTip(
            "Open a new action pre-filled with this meeting, item, decision and workstream"
            if may else "Only the secretariat or the chair may create actions; you are signed in "
            f"as {self.ctx.actor.describe()}.")

    def hideEvent(self, event: Any) -> None:  # noqa: N802
        """Leaving the tab or the page saves the minute being written, so nothing is lost."""
        if self.dirty and self.editable:
            self.save()
        super().hideEvent(event)

    # --- acts --------------------------------------------------------------------------------
    def _item_changed(self, current: Any, previous: Any) -> None:
        if self.detail is None or not current.isValid():
            return
        target = self.items_model.row(current.row()).id
        if self.dirty and not self.save():
            self._select_item(self.item_id)
            return
        # saving reloads the list underneath, so go by id, not by the old index
        self._select_item(target)
        self._load(self.detail.item(target) if self.detail else None)
        self._update_buttons()

    def add_decision(self) -> None:
        if not self.editable or self.current_item() is None:
            return
        row = self.decision_model.append("")
        index = self.decision_model.index(row, 0)
        self.decisions.setCurrentIndex(index)
        self.decisions.scrollTo(index)
        self.decisions.setFocus()
        self.decisions.edit(index)  # the new decision opens for typing

    def remove_decision(self) -> None:
        row = self.selected_decision_row()
        if self.editable and row >= 0:
            self.decision_model.remove(row)

    def save(self) -> bool:
        item = self.current_item()
        if not self.editable or item is None:
            return False
        if not self.dirty:
            return True
        discussion, decisions = self.discussion.toPlainText(), self.decision_model.texts()
        item_id_meeting = self.detail.id if self.detail else 0
        self.dirty = False
        saved, reloaded = run_watching_reload(
            self.ctx, self, f"save the minute of item {item.position}",
            lambda s, a: svc.save_minute(s, a, item.id, discussion, decisions, item.minute_version).id,
            "meeting")
        if saved is None and not reloaded:
            self.dirty = True
            self._update_state()
            return False
        with self.ctx.read() as s:
            fresh = meeting_detail(s, item_id_meeting, self.ctx.actor)
        if fresh is not None:
            self.detail = fresh
        self._load(self.current_item())  # on Reload: the version someone else saved
        self._update_buttons()
        return saved is not None

    def create_action(self) -> None:
        row = self.selected_decision_row()
        if row < 0 or self.detail is None:
            return
        if self.dirty and not self.save():
            return
        item = self.current_item()
        if item is None or row >= len(item.decisions):
            return
        decision = item.decisions[row]
        self.decisions.selectRow(row)
        preset: dict[str, Any] = {
            "raised_meeting_id": self.detail.id, "raised_item_id": item.id,
            "decision_id": decision.id, "title": action_title(decision.text),
            "description": f"Raised at the meeting of {self.detail.starts_at:%d/%m/%Y}, item "
                           f"{item.position} '{item.title}': {decision.text}",
        }
        if item.workstream_id is not None:
            preset["workstream_id"] = item.workstream_id
        from ..actions.action_dialog import ActionDialog

        self.dialog = ActionDialog(self.ctx, self, preset=preset)
        self.dialog.finished.connect(self._dialog_finished)
        self.dialog.open()

    def open_raised_action(self) -> None:
        row = self.selected_decision_row()
        if row >= 0 and self.decision_model.row(row).action_ids:
            self.open_action.emit(self.decision_model.row(row).action_ids[0])

    def _decision_double_clicked(self, index: Any) -> None:
        if index.column() == 1:
            self.open_raised_action()

    def _dialog_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
