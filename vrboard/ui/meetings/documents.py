"""The meeting's issued documents (packs, public packs, signed minutes): listed, opened,
saved as a copy, and the pack issued from here."""
from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...errors import VrboardError
from ...services.documents import DocumentRow, fetch_document, list_documents, write_document
from ..context import AppContext, show_error
from ..dialogs.common import documents_dir, open_file, safe_name
from ..tablemodel import Column, RowTableModel


def _when(r: DocumentRow) -> str:
    return f"{r.issued_at.astimezone():%d/%m/%Y %H:%M}"  # type: ignore[attr-defined]


def _what(r: DocumentRow) -> str:
    if not r.signed:
        return r.kind.label
    return r.kind.label + (" (timestamped)" if r.timestamped else "")


COLUMNS: list[Column[DocumentRow]] = [
    Column("Document", _what),
    Column("Version", lambda r: str(r.version), key=lambda r: r.version),
    Column("Issued", _when, key=lambda r: r.issued_at),
    Column("By", lambda r: r.issued_by),
    Column("Reason or note", lambda r: r.reason or r.note, tooltip=lambda r: r.reason or r.note),
    Column("SHA-256", lambda r: r.sha256[:16] + "…", tooltip=lambda r: f"SHA-256 {r.sha256}"),
]


class DocumentsPanel(QWidget):
    """The Documents tab of the Meetings page."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: int | None = None
        self.meeting_label = ""
        self.dialog: QDialog | None = None
        # Copies opened for reading; removed with the panel (the kept documents are in the db).
        self._tmp = tempfile.mkdtemp(prefix="vrboard-documents-")
        self.destroyed.connect(functools.partial(shutil.rmtree, self._tmp, True))
        lay = QVBoxLayout(self)
        intro = QLabel("Documents issued for this meeting, kept exactly as they went out. A pack "
                       "built again later comes from the current record; these do not change.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.model: RowTableModel[DocumentRow] = RowTableModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setAccessibleName("Issued documents")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.table, 1)
        self.empty = QLabel("Nothing issued yet.")
        self.empty.setProperty("role", "muted")
        lay.addWidget(self.empty)
        row = QHBoxLayout()
        self.open_button = QPushButton("&Open")
        self.save_button = QPushButton("Save a &copy…")
        self.issue_button = QPushButton("&Issue the pack…")
        self.issue_button.setToolTip("Build the board pack (full or public) and keep it as issued")
        for b in (self.open_button, self.save_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.issue_button)
        lay.addLayout(row)
        self.open_button.clicked.connect(self.open_selected)
        self.save_button.clicked.connect(self.save_selected)
        self.issue_button.clicked.connect(self.issue_pack)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        self._update()

    def show_meeting(self, meeting_id: int, label: str, can_issue: bool, why_not: str) -> None:
        self.meeting_id, self.meeting_label = meeting_id, label
        with self.ctx.read() as s:
            rows = list_documents(s, self.ctx.actor, meeting_id)
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.issue_button.setEnabled(can_issue)
        self.issue_button.setToolTip(why_not or "Build the board pack (full or public) and keep "
                                                "it as issued")
        self._update()

    def _update(self) -> None:
        chosen = self.selected() is not None
        self.open_button.setEnabled(chosen)
        self.save_button.setEnabled(chosen)

    def selected(self) -> DocumentRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0]) if rows else None

    def _bytes(self, r: DocumentRow) -> bytes | None:
        try:
            with self.ctx.read() as s:
                return fetch_document(s, self.ctx.actor, r.id)[1]
        except VrboardError as exc:
            show_error(self, "Could not open the document", str(exc))
            return None

    def open_selected(self) -> Path | None:
        r = self.selected()
        data = self._bytes(r) if r is not None else None
        if r is None or data is None:
            return None
        path = Path(self._tmp) / f"{r.id} {safe_name(r.filename)}"
        if not path.exists():
            path.write_bytes(data)
            path.chmod(0o400)  # a copy to read; the kept document is in the database
        open_file(path)
        return path

    def save_selected(self, target: str | None = None) -> Path | None:
        r = self.selected()
        if r is None:
            return None
        if target is None:
            target, _ = QFileDialog.getSaveFileName(self, "Save a copy of the document",
                                                    str(documents_dir() / safe_name(r.filename)),
                                                    "PDF documents (*.pdf)")
        data = self._bytes(r) if target else None
        if not target or data is None:
            return None
        try:
            return write_document(data, Path(target), force=True)
        except VrboardError as exc:
            show_error(self, "Could not save the document", str(exc))
            return None

    def issue_pack(self) -> None:
        from ..dialogs.pack import PackDialog

        if self.meeting_id is None:
            return
        self.dialog = PackDialog(self.ctx, self, kind="pack", meeting_id=self.meeting_id,
                                 issue=True)
        self.dialog.finished.connect(self._dialog_done)
        self.dialog.open()

    def _dialog_done(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if self.meeting_id is not None:
            self.show_meeting(self.meeting_id, self.meeting_label, self.issue_button.isEnabled(),
                              "")
