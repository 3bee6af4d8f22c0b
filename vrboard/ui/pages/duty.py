"""The Duty page: the partnership's record under the Serious Violence Duty (the local
definition of serious violence, the strategic needs assessment, the published strategy and
its annual review), what is due next, and each requirement's state. The secretariat and the
chair record changes here (Edit…) or with ``vrboard duty set``; the rules live in
services/duty.py."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...services import duty as dy
from ...services.common import uk_date
from ...services.context import Perm, who_may
from ..context import AppContext
from ..page import Page
from ..tablemodel import Column, RowTableModel
from ..widgets.tables import fit_columns, read_only_table

COLUMNS: list[Column[dy.DueItem]] = [
    Column("Requirement", lambda i: i.what, width=240),
    Column("State", lambda i: i.state, width=110),
    Column("Date", lambda i: uk_date(i.date), key=lambda i: (i.date is None, i.date), width=96),
    Column("Detail", lambda i: i.detail, tooltip=lambda i: i.detail),
]


class DutyPage(Page):
    title = "Duty"
    icon = "duty.svg"
    shortcut = "Ctrl+0"
    topics = frozenset({"duty_record"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.items = RowTableModel(COLUMNS, self)
        self.table = read_only_table(self.items, "Serious Violence Duty requirements")
        fit_columns(self.table, 3)
        note = QLabel("Since 31 January 2023 the Serious Violence Duty (Police, Crime, Sentencing and "
                      "Courts Act 2022) asks the partnership for a local definition of serious "
                      "violence, a strategic needs assessment and a published strategy, reviewed "
                      "each year.")
        note.setWordWrap(True)
        self.next_label = QLabel()
        self.next_label.setWordWrap(True)
        self.next_label.setAccessibleName("What is due next")
        self.next_label.setStyleSheet("font-size: 14pt; padding: 6px 0;")
        heading = QLabel("<b>Local definition of serious violence</b>")
        self.definition = QLabel()
        self.definition.setWordWrap(True)
        self.definition.setAccessibleName("Local definition of serious violence")
        self.definition.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.definition.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.edit_button = QPushButton("&Edit…")
        allowed = ctx.can(Perm.EDIT_DUTY)
        self.edit_button.setEnabled(allowed)
        self.edit_button.setToolTip("Record the local definition, the needs assessment, the "
                                    "strategy's publication and its review" if allowed else
                                    f"Only the {who_may(Perm.EDIT_DUTY)} may record the Duty.")
        self.edit_button.clicked.connect(self.open_edit)
        self.dialog: QDialog | None = None
        top = QHBoxLayout()
        top.addWidget(self.next_label, 1)
        top.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(top)
        for w in (heading, self.definition):
            layout.addWidget(w)
        layout.addWidget(self.table, 1)

    def open_edit(self) -> None:
        from ..dialogs.duty import DutyDialog

        self.dialog = DutyDialog(self.ctx, self)
        self.dialog.finished.connect(self._closed)
        self.dialog.open()

    def _closed(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if result == QDialog.DialogCode.Accepted:
            self.refresh()
        if dialog is not None:
            dialog.deleteLater()

    def refresh(self) -> None:
        with self.ctx.read() as s:
            rec = dy.get_duty(s, self.ctx.actor)
            items = dy.status(rec, self.ctx.today)
            definition = rec.local_definition if rec else ""
            link = rec.strategy_link if rec else ""
        self.items.set_rows(items)
        nxt = dy.next_due(items)
        self.next_label.setText(f"<b>Next:</b> {nxt.what}. {nxt.detail}." if nxt
                                else "<b>Next:</b> nothing is due.")
        self.definition.setText((definition or "Not yet recorded by the partnership.")
                                + (f"\n\nStrategy: {link}" if link else ""))
