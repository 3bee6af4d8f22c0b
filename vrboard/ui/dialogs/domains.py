"""The domains of existing work (a classification for actions): add, rename, retire or
reinstate. Retired domains are no longer offered for actions; actions in them keep them."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...services import domains as svc
from ...services.context import Perm, who_may
from ..context import AppContext


class DomainsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[svc.DomainRow] = []
        self.setWindowTitle("Domains of existing work")
        self.setMinimumSize(720, 380)
        lay = QVBoxLayout(self)
        note = QLabel("Each action can be classed in one domain. A retired domain is no longer "
                      "offered for actions; the actions already in it keep it.")
        note.setWordWrap(True)
        lay.addWidget(note)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Domain", "Actions", "State"])
        self.table.setAccessibleName("Domains")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add domain…")
        self.rename_button = QPushButton("Re&name…")
        self.retire_button = QPushButton("&Retire")
        allowed = ctx.can(Perm.EDIT_BOARD)
        for b in (self.add_button, self.rename_button, self.retire_button):
            b.setEnabled(allowed)
            if not allowed:
                b.setToolTip(f"Only the {who_may(Perm.EDIT_BOARD)} may change the domains.")
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        lay.addWidget(buttons)
        self.add_button.clicked.connect(lambda: self.add(None))
        self.rename_button.clicked.connect(lambda: self.rename(None))
        self.retire_button.clicked.connect(self.retire)
        self.table.itemSelectionChanged.connect(self._selected)
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        with self.ctx.read() as s:
            self.rows = svc.list_domains(s)
        self.table.setRowCount(0)
        for r in self.rows:
            n = self.table.rowCount()
            self.table.insertRow(n)
            self.table.setItem(n, 0, QTableWidgetItem(r.name))
            self.table.setItem(n, 1, QTableWidgetItem(str(r.actions)))
            self.table.setItem(n, 2, QTableWidgetItem(
                f"Retired {r.retired_on:%d/%m/%Y}" if r.retired_on else "In use"))
            if r.id == select:
                self.table.selectRow(n)
        self._selected()

    def current(self) -> svc.DomainRow | None:
        n = self.table.currentRow()
        return self.rows[n] if 0 <= n < len(self.rows) and self.table.selectedItems() else None

    def _selected(self) -> None:
        r = self.current()
        self.retire_button.setText("Re&instate" if r and r.retired_on else "&Retire")

    def add(self, name: str | None) -> int | None:
        if name is None:
            name, ok = QInputDialog.getText(self, "Add a domain", "Name of the new domain:")
            if not ok:
                return None
        new = name
        ident = self.ctx.run(self, "add the domain", lambda s, a: svc.add_domain(s, a, new).id,
                             changed="domain")
        if ident is not None:
            self.refresh(ident)
        return ident

    def rename(self, name: str | None) -> None:
        r = self.current()
        if r is None:
            return
        if name is None:
            name, ok = QInputDialog.getText(self, "Rename the domain", "New name:", text=r.name)
            if not ok:
                return
        new = name
        if self.ctx.run(self, "rename the domain",
                        lambda s, a: svc.rename_domain(s, a, r.id, new, r.version).id,
                        changed="domain") is not None:
            self.refresh(r.id)

    def retire(self) -> None:
        r = self.current()
        if r is None:
            return
        if r.retired_on:
            done = self.ctx.run(self, "reinstate the domain",
                                lambda s, a: svc.reinstate_domain(s, a, r.id).id, changed="domain")
        else:
            done = self.ctx.run(self, "retire the domain",
                                lambda s, a: svc.retire_domain(s, a, r.id, self.ctx.today).id,
                                changed="domain")
        if done is not None:
            self.refresh(r.id)
