"""Terms of reference: the quorum, the notice period (clear days before a meeting that its
agenda and papers are published), the contact officer named on the cover of every pack and
the standing agenda items every new meeting starts with."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError
from ...services.standing import set_terms, terms
from ..context import AppContext
from ..widgets.quorum import QuorumEdit


class TermsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Terms of reference")
        self.setMinimumWidth(720)
        with ctx.read() as s:
            t = terms(s)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.quorum = QuorumEdit(t.quorum, t.quorum_fraction)
        self.notice = QSpinBox()
        self.notice.setRange(0, 30)
        self.notice.setValue(t.notice_clear_days)
        self.notice.setSuffix(" clear days")
        self.notice.setAccessibleName("Notice period")
        form.addRow("&Quorum (new meetings):", self.quorum)
        form.addRow("&Notice period:", self.notice)
        hint = QLabel("Agendas and papers are published this many clear days before a meeting, "
                      "not counting the day of publication, the meeting day, weekends and bank "
                      "holidays (the Local Government Act 1972 asks for five).")
        hint.setWordWrap(True)
        form.addRow("", hint)
        self.contact = []
        for label, name, value, tip in (
                ("Contact &officer:", "Contact officer's name", t.contact[0],
                 "Named on the cover of every pack; the board secretariat when left empty"),
                ("Contact &e-mail:", "Contact officer's e-mail", t.contact[1],
                 "e.g. governance@example.gov.uk"),
                ("Contact p&hone:", "Contact officer's phone", t.contact[2], "e.g. 020 7946 0123")):
            edit = QLineEdit(value)
            edit.setAccessibleName(name)
            edit.setPlaceholderText(tip)
            form.addRow(label, edit)
            self.contact.append(edit)
        lay.addLayout(form)

        box = QGroupBox("Standing agenda items (every new meeting starts with these)")
        bl = QVBoxLayout(box)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Item", "Presenter", "Minutes", "No paper"])
        self.table.horizontalHeaderItem(3).setToolTip(
            "Procedural items (welcome, apologies, any other business) need no paper: the pack "
            "checklist does not ask for one")
        self.table.setAccessibleName("Standing agenda items")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        for title, presenter, minutes, no_paper in t.standing:
            self._add_row(title, presenter, minutes, no_paper)
        self.table.setColumnWidth(1, 160)
        self.table.setColumnWidth(2, 90)
        self.table.setMinimumHeight(220)
        bl.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add item")
        self.remove_button = QPushButton("&Remove")
        self.up_button = QPushButton("Move &up")
        self.down_button = QPushButton("Move &down")
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            row.addWidget(b)
        row.addStretch(1)
        bl.addLayout(row)
        lay.addWidget(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.add_button.clicked.connect(self.add_item)
        self.remove_button.clicked.connect(self.remove_item)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))

    def _add_row(self, title: str = "", presenter: str = "", minutes: int = 5,
                 no_paper: bool = False) -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setItem(r, 0, QTableWidgetItem(title))
        self.table.setItem(r, 1, QTableWidgetItem(presenter))
        spin = QSpinBox()
        spin.setRange(1, 480)
        spin.setValue(minutes)
        spin.setAccessibleName("Minutes")
        self.table.setCellWidget(r, 2, spin)
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                       | Qt.ItemFlag.ItemIsSelectable)
        check.setCheckState(Qt.CheckState.Checked if no_paper else Qt.CheckState.Unchecked)
        check.setData(Qt.ItemDataRole.AccessibleTextRole, "No paper needed")
        self.table.setItem(r, 3, check)
        return r

    def rows(self) -> list[tuple[str, str, int, bool]]:
        out = []
        for r in range(self.table.rowCount()):
            title = self.table.item(r, 0).text() if self.table.item(r, 0) else ""
            presenter = self.table.item(r, 1).text() if self.table.item(r, 1) else ""
            spin = self.table.cellWidget(r, 2)
            check = self.table.item(r, 3)
            out.append((title, presenter, spin.value() if isinstance(spin, QSpinBox) else 5,
                        check is not None and check.checkState() == Qt.CheckState.Checked))
        return out

    def _set_rows(self, rows: list[tuple[str, str, int, bool]], select: int) -> None:
        self.table.setRowCount(0)
        for title, presenter, minutes, no_paper in rows:
            self._add_row(title, presenter, minutes, no_paper)
        if 0 <= select < len(rows):
            self.table.selectRow(select)

    def add_item(self) -> None:
        r = self._add_row("New item", "Chair", 5)
        self.table.selectRow(r)
        self.table.editItem(self.table.item(r, 0))

    def remove_item(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            rows = self.rows()
            del rows[r]
            self._set_rows(rows, min(r, len(rows) - 1))

    def move(self, step: int) -> None:
        r = self.table.currentRow()
        rows = self.rows()
        if 0 <= r < len(rows) and 0 <= r + step < len(rows):
            rows[r], rows[r + step] = rows[r + step], rows[r]
            self._set_rows(rows, r + step)

    def save(self) -> None:
        quorum, notice, rows = self.quorum.value(), self.notice.value(), self.rows()
        fraction = self.quorum.fraction_text()
        contact = [e.text() for e in self.contact]
        for n, (title, _p, _m, _np) in enumerate(rows, start=1):
            if not title.strip():
                from ..context import show_error

                show_error(self, "Terms of reference",
                           str(ValidationError(f"Standing item {n} has no title.")))
                return
        done = self.ctx.run(self, "save the terms of reference",
                            lambda s, a: set_terms(s, a, quorum=quorum, notice_clear_days=notice,
                                                   standing=rows, quorum_fraction=fraction,
                                                   contact=contact),
                            changed="board")
        if done is not None:
            self.accept()
