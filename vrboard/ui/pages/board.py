"""The Board page: who sits on the board, in what role, for which term; what needs attention."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...services import board as svc
from ...services.context import Perm, who_may
from ...services.meeting_views import BoardView, MemberRow, board_view
from ..board.dialogs import EndMembershipDialog, MemberDialog
from ..board.models import MemberTableModel
from ..context import AppContext
from ..meetings.common import Banner, fill_combo, uk_date
from ..page import Page


class BoardPage(Page):
    title = "Board"
    icon = "board.svg"
    shortcut = "Ctrl+2"
    topics = frozenset({"board"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.view_data: BoardView | None = None
        self.dialog: QDialog | None = None
        self._build()
        self._apply_permissions()

    # --- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        heading = QLabel("<h2>Board membership</h2>")
        heading.setAccessibleName("Board membership")
        self.summary = QLabel()
        self.summary.setAccessibleName("Board summary")
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        self.warnings = Banner(self, "Board warnings")
        layout.addWidget(self.warnings)

        bar = QHBoxLayout()
        self.add_button = QPushButton("&Add member…")
        self.add_button.setToolTip("Add a person to the board (Ctrl+N)")
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setToolTip("Edit the selected member (Enter)")
        self.end_button = QPushButton("E&nd membership…")
        self.end_button.setToolTip("Record the last day of the selected membership")
        self.terms_button = QPushButton("&Terms of reference…")
        self.terms_button.setToolTip("Quorum, notice period and the standing agenda items every "
                                     "new meeting starts with")
        self.show_ended = QCheckBox("Show &ended memberships")
        self.show_ended.setAccessibleName("Show ended memberships")
        for b in (self.add_button, self.edit_button, self.end_button, self.terms_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.show_ended)
        layout.addLayout(bar)

        self.model = MemberTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Board members")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.table, 1)

        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setAccessibleName("Selected member")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)

        chair = QGroupBox("Acting chair")
        cl = QHBoxLayout(chair)
        self.acting_label = QLabel()
        self.acting_label.setAccessibleName("Acting chair")
        self.acting_label.setWordWrap(True)
        self.acting_combo = QComboBox()
        self.acting_combo.setAccessibleName("Vice-chair to record as acting chair")
        self.acting_set = QPushButton("&Record as acting chair")
        self.acting_clear = QPushButton("&Clear acting chair")
        cl.addWidget(self.acting_label, 1)
        cl.addWidget(self.acting_combo)
        cl.addWidget(self.acting_set)
        cl.addWidget(self.acting_clear)
        layout.addWidget(chair)

        self.add_button.clicked.connect(self.add_member)
        self.edit_button.clicked.connect(self.edit_member)
        self.end_button.clicked.connect(self.end_membership)
        self.terms_button.clicked.connect(self.edit_terms)
        self.show_ended.toggled.connect(self._show_rows)
        self.table.doubleClicked.connect(self.edit_member)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.acting_set.clicked.connect(self.record_acting_chair)
        self.acting_clear.clicked.connect(self.clear_acting_chair)
        QShortcut(QKeySequence.StandardKey.New, self, self.add_member,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self.table, self.edit_member,
                      context=Qt.ShortcutContext.WidgetShortcut)
        self.setTabOrder(self.add_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.end_button)
        self.setTabOrder(self.end_button, self.show_ended)
        self.setTabOrder(self.show_ended, self.table)
        self.setTabOrder(self.table, self.acting_combo)

    def _apply_permissions(self) -> None:
        self._editable = self.ctx.can(Perm.EDIT_BOARD)
        if not self._editable:
            why = (f"Only the {who_may(Perm.EDIT_BOARD)} may {Perm.EDIT_BOARD.value}; you are "
                   f"signed in as {self.ctx.actor.describe()}.")
            for w in (self.add_button, self.edit_button, self.end_button, self.acting_combo,
                      self.acting_set, self.acting_clear, self.terms_button):
                w.setEnabled(False)
                w.setToolTip(why)

    # --- data --------------------------------------------------------------------------------
    def refresh(self) -> None:
        selected = self.selected()
        with self.ctx.read() as s:
            self.view_data = board_view(s, self.ctx.today)
        v = self.view_data
        current = [m for m in v.members if m.current]
        voting = [m for m in current if m.voting and m.role.value != "secretariat"]
        self.summary.setText(f"{v.name}: {len(current)} current members, {len(voting)} voting; "
                             f"quorum {v.quorum}.")
        if v.warnings:
            self.warnings.show_message("Needs attention:\n" + "\n".join(f"•  {w}" for w in v.warnings),
                                       "warning")
        else:
            self.warnings.show_message("Membership is in order: no terms ending, quorum can be met, "
                                       "the board has a chair.", "ok")
        self._show_rows()
        if selected is not None:
            self.select_membership(selected.membership_id)
        self._show_acting_chair(v)

    def _show_rows(self) -> None:
        if self.view_data is None:
            return
        rows = [m for m in self.view_data.members if self.show_ended.isChecked() or m.current
                or m.state == "Starts later"]
        self.model.set_rows(rows)
        self._selection_changed()

    def _show_acting_chair(self, v: BoardView) -> None:
        fill_combo(self.acting_combo, [(name, pid) for pid, name in v.vice_chairs], v.acting_chair_id)
        if v.acting_chair_id is not None:
            text = (f"{v.acting_chair_name} is recorded as acting chair and may approve minutes "
                    "and sign off actions until this is cleared.")
        elif v.vice_chairs:
            text = ("No acting chair is recorded; only the chair may approve minutes and sign off "
                    "actions. Record the vice-chair when the chair is away.")
        else:
            text = "No acting chair is recorded, and the board has no current vice-chair."
        self.acting_label.setText(text)
        if self._editable:
            self.acting_combo.setEnabled(bool(v.vice_chairs))
            self.acting_set.setEnabled(bool(v.vice_chairs))
            self.acting_clear.setEnabled(v.acting_chair_id is not None)

    def selected(self) -> MemberRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0]) if rows else None

    def select_membership(self, membership_id: int) -> None:
        n = self.model.find(membership_id)
        if n >= 0:
            self.table.selectRow(n)

    def _selection_changed(self, *_args: object) -> None:
        r = self.selected()
        if self._editable:
            self.edit_button.setEnabled(r is not None)
            self.end_button.setEnabled(
                r is not None and (r.term_end is None or r.term_end >= self.ctx.today))
        if r is None:
            self.details.setText("Select a member to see their details.")
            return
        bits = [r.job_title, r.organisation, r.email, f"login {r.login}" if r.login else "",
                f"app access: {r.access_role.label.lower()}"]
        term = f"term {uk_date(r.term_start)} to {uk_date(r.term_end) or 'no end date'}"
        notes = f"\nNotes: {r.notes}" if r.notes else ""
        self.details.setText(f"{r.name}: {', '.join(b for b in bits if b)}; {term}.{notes}")

    # --- acts --------------------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(self._dialog_finished)
        dialog.open()

    def _dialog_finished(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if result == QDialog.DialogCode.Accepted and isinstance(dialog, MemberDialog):
            self.refresh_if_stale()
            if dialog.saved_membership_id is not None:
                self.select_membership(dialog.saved_membership_id)
        if dialog is not None:
            dialog.deleteLater()

    def add_member(self) -> None:
        if self._editable:
            self._open(MemberDialog(self.ctx, self))

    def edit_member(self) -> None:
        r = self.selected()
        if r is not None and self._editable:
            self._open(MemberDialog(self.ctx, self, r))

    def end_membership(self) -> None:
        r = self.selected()
        if r is not None and self._editable:
            self._open(EndMembershipDialog(self.ctx, self, r))

    def edit_terms(self) -> None:
        from ..board.terms_dialog import TermsDialog

        if self._editable:
            self._open(TermsDialog(self.ctx, self))

    def record_acting_chair(self) -> None:
        pid = self.acting_combo.currentData()
        if pid is not None:
            self.ctx.run(self, "record the acting chair",
                         lambda s, a: svc.set_acting_chair(s, a, pid), changed="board")

    def clear_acting_chair(self) -> None:
        self.ctx.run(self, "clear the acting chair",
                     lambda s, a: svc.set_acting_chair(s, a, None), changed="board")
