"""Import returns: read the workbook (in the background), preview every change row by row
with a tick to accept or reject it, then apply the accepted rows (in the background).

Nothing is written until Apply; the apply is one transaction (all or nothing), audited
with the file name and row.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ...progress import Progress
from ...services.context import Actor
from ..context import AppContext
from ..tasks import BackgroundTask, run_session_task
from .common import documents_dir
from .import_model import KIND_LABELS, PlanRowsModel

IMPORT_FILTER = "Spreadsheets (*.xlsx *.xlsm *.ods);;All files (*)"
_FLOWS: set[ImportFlow] = set()


def show_value(value: object) -> str:
    from ...excel.values import show

    return show(value)


def describe_row(r: Any) -> str:
    """Everything about one row, field by field, as a person reads it."""
    lines = [f"Sheet '{r.sheet}', row {r.row}: {r.reference or '(new action)'}"
             + (f" — {r.title}" if r.title else ""),
             f"What happens: {KIND_LABELS.get(r.kind, r.kind)}", ""]
    if r.changes:
        lines.append("Changes (cell  field: old → new):")
        lines += [f"  {c.cell:<6}{c.label}: {show_value(c.old)} → {show_value(c.new)}"
                  + (f" (follows from {c.follows})" if c.follows else "") for c in r.changes]
    if r.kind == "new" and r.new_fields:
        lines.append("The new action:")
        lines += [f"  {k.replace('_', ' ').capitalize()}: {show_value(v)}" for k, v in r.new_fields.items()]
    if r.progress_text:
        lines += ["", f"New progress update ({r.progress_cell}):", f"  {r.progress_text}"]
    if getattr(r, "notes", None):
        lines += ["", "Typed into read-only columns:"]
        lines += [f"  {n}" for n in r.notes]
    if r.conflicts:
        lines += ["", "Conflicts: changed in vrboard since the export. Tick the row to let the file's "
                  "value win; leave it unticked to keep vrboard's."]
        lines += [f"  {c.cell:<6}{c.label}: vrboard now {show_value(c.yours)}; the file says "
                  f"{show_value(c.theirs)} (both started from {show_value(c.exported)})" for c in r.conflicts]
    if r.errors:
        lines += ["", "Errors (the row cannot be applied until the file is corrected):"]
        lines += [f"  {e.sheet}!{e.cell}: {e.message}" if e.cell else f"  {e.sheet}: {e.message}"
                  for e in r.errors]
    if r.kind == "unchanged":
        lines.append("Nothing to do: vrboard already holds these values.")
    return "\n".join(lines).rstrip()


class ImportPreviewDialog(QDialog):
    """The change plan, row by row. Emits ``apply_requested(accepted rows, skip_invalid)``."""

    apply_requested = Signal(object, bool)

    def __init__(self, plan: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(f"Import preview — {plan.source}")
        self.setAccessibleName("Import preview")
        self.resize(1060, 680)
        lay = QVBoxLayout(self)
        self.summary = QLabel(self._summary_text())
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.summary)

        self.model = PlanRowsModel(plan.rows, self)
        self.split = QSplitter(Qt.Orientation.Vertical, objectName="import_split")
        self.view = QTableView(objectName="import_rows")
        self.view.setAccessibleName("Rows of the workbook; tick a row to apply it")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((72, 48, 80, 300, 120)):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        self.detail = QPlainTextEdit(objectName="import_detail")
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName("The selected row, field by field")
        self.detail.setPlaceholderText("Select a row to see every change, conflict and error in it.")
        self.split.addWidget(self.view)
        self.split.addWidget(self.detail)
        self.split.setSizes([400, 180])
        lay.addWidget(self.split, 1)

        row = QHBoxLayout()
        self.show_unchanged = QCheckBox("Show &unchanged rows")
        self.accept_all = QPushButton("&Accept all")
        self.reject_all = QPushButton("&Reject all")
        self.skip_invalid = QCheckBox("&Skip rows with errors and apply the rest")
        self.skip_invalid.setVisible(plan.has_errors)
        self.skip_invalid.setChecked(plan.has_errors)
        row.addWidget(self.show_unchanged)
        row.addWidget(self.accept_all)
        row.addWidget(self.reject_all)
        row.addSpacing(12)
        row.addWidget(self.skip_invalid)
        row.addStretch(1)
        lay.addLayout(row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply.setDefault(True)
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

        self.show_unchanged.toggled.connect(self.model.set_show_unchanged)
        self.accept_all.clicked.connect(lambda: self.model.set_all(True))
        self.reject_all.clicked.connect(lambda: self.model.set_all(False))
        self.skip_invalid.toggled.connect(self._update)
        self.model.dataChanged.connect(self._update)
        self.model.modelReset.connect(self._update)
        self.view.selectionModel().selectionChanged.connect(self._show_selected)
        self._update()
        if self.model.rowCount():
            self.view.selectRow(0)

    def _summary_text(self) -> str:
        p = self.plan
        lines = [p.summary()]
        if p.sheet:
            lines.append(f"Sheet '{p.sheet}'" + (f", exported for {p.owner_name}" if p.owner_name else "")
                         + ("" if p.from_vrboard else " (not a vrboard export: changes made in vrboard "
                            "meanwhile cannot be detected)"))
        if p.unknown_columns:
            lines.append("Columns not recognised (ignored): " + ", ".join(p.unknown_columns))
        lines += [f"Warning: {w}" for w in p.warnings]
        lines += [f"Error: {e}" for e in p.file_errors]
        return "\n".join(lines)

    def _update(self, *_args: object) -> None:
        accepted = self.model.accepted_rows()
        blocked = self.plan.has_errors and not self.skip_invalid.isChecked()
        n = len(accepted)
        self.apply.setText(f"Apply {n:,} row{'s' if n != 1 else ''}")
        self.apply.setEnabled(n > 0 and not blocked)
        if blocked:
            errors = len(self.plan.errors)
            self.status.setText(f"The file has {errors:,} error{'s' if errors != 1 else ''}: correct the "
                                "file, or tick 'Skip rows with errors' to apply only the valid rows.")
        elif n == 0:
            self.status.setText("Nothing is ticked: there is nothing to apply.")
        else:
            conflicts = sum(1 for r in self.plan.rows if r.kind == "conflict" and r.row in accepted)
            self.status.setText(f"{n:,} row{'s' if n != 1 else ''} will be applied"
                                + (f", including {conflicts:,} conflict{'s' if conflicts != 1 else ''} "
                                   "where the file's values will win" if conflicts else "") + ".")

    def _show_selected(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        rows = self.view.selectionModel().selectedRows()
        self.detail.setPlainText(describe_row(self.model.plan_row(rows[0].row())) if rows else "")

    def _apply(self) -> None:
        if self.apply.isEnabled():
            self.apply.setEnabled(False)
            self.apply_requested.emit(self.model.accepted_rows(),
                                      self.plan.has_errors and self.skip_invalid.isChecked())


class ImportFlow(QObject):
    """Read → preview → apply, each slow step in the background."""

    previewed = Signal(object)  # the ImportPreviewDialog, once shown
    applied = Signal(object)    # the ApplyResult

    def __init__(self, ctx: AppContext, parent: QWidget | None, path: str,
                 mapping_name: str | None = None, *, recommendations: bool = False) -> None:
        super().__init__(None)
        self.ctx = ctx
        # A recommendation tracker (excel/recimport.py) instead of an action tracker.
        self.recommendations = recommendations
        self.parent_widget = parent
        self.path = path
        self.mapping_name = mapping_name
        self.plan: Any = None
        self.dialog: ImportPreviewDialog | None = None
        self.result: Any = None
        self.task: BackgroundTask | None = None

    def start(self) -> BackgroundTask:
        path, mapping = self.path, self.mapping_name

        def read(session: Session, actor: Actor, progress: Progress) -> Any:
            from ...excel import read_plan
            from ...excel.recimport import read_recommendation_plan

            if recommendations:
                return read_recommendation_plan(session, actor, path)
            return read_plan(session, actor, path, mapping_name=mapping, progress=progress)

        recommendations = self.recommendations
        _FLOWS.add(self)
        self.task = run_session_task(self.ctx, self.parent_widget, "Import returns",
                                     f"read {Path(path).name}", read, self._preview)
        self.task.failed.connect(self._end)
        self.task.cancelled.connect(self._end)
        return self.task

    def _preview(self, plan: Any) -> None:
        self.plan = plan
        self.dialog = ImportPreviewDialog(plan, self.parent_widget)
        self.dialog.apply_requested.connect(self._apply)
        self.dialog.rejected.connect(self._end)
        self.dialog.open()
        self.previewed.emit(self.dialog)

    def _apply(self, accepted: set[int], skip_invalid: bool) -> None:
        plan = self.plan

        recommendations = self.recommendations

        def apply(session: Session, actor: Actor, progress: Progress) -> Any:
            from ...excel import apply_plan
            from ...excel.recimport import apply_recommendations

            if recommendations:
                return apply_recommendations(session, actor, plan, accept=set(accepted),
                                             skip_invalid=skip_invalid)
            return apply_plan(session, actor, plan, accept=set(accepted), skip_invalid=skip_invalid,
                              progress=progress)

        self.task = run_session_task(self.ctx, self.dialog, "Import returns",
                                     f"apply {plan.source}", apply, self._applied, writes=True,
                                     changed="recommendation" if recommendations else "action")
        self.task.failed.connect(lambda _m: self.dialog and self.dialog._update())
        self.task.cancelled.connect(lambda: self.dialog and self.dialog._update())

    def _applied(self, result: Any) -> None:
        self.result = result
        if self.dialog is not None:
            self.dialog.accept()
        lines = [result.summary()]
        lines += [f"Row {row} skipped: {why}" for row, why in result.skipped[:20]]
        if len(result.skipped) > 20:
            lines.append(f"… and {len(result.skipped) - 20} more skipped.")
        QMessageBox.information(self.parent_widget, "Returns imported", "\n".join(lines))
        self.applied.emit(result)
        self._end()

    def _end(self, *_args: object) -> None:
        _FLOWS.discard(self)


class ChooseImportDialog(QDialog):
    """Which file, and (for a legacy tracker) which saved column mapping."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from .common import PathField

        self.setWindowTitle("Import returns")
        self.setMinimumWidth(600)
        lay = QVBoxLayout(self)
        intro = QLabel("Choose an owner's returned tracker. You will see every change before anything "
                       "is saved.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.file = PathField("open", "Choose the returned tracker", IMPORT_FILTER, "Workbook")
        self.file.set_path(str(documents_dir()) + "/")
        self.mapping = QComboBox()
        self.mapping.setAccessibleName("Column mapping")
        self.mapping.addItem("Automatic (a vrboard tracker, or recognised headings)", None)
        from ...excel import list_mappings

        with ctx.read() as s:
            for name, _m in list_mappings(s):
                self.mapping.addItem(f"Saved mapping: {name}", name)
        from PySide6.QtWidgets import QFormLayout

        form = QFormLayout()
        form.addRow("&Workbook:", self.file)
        form.addRow("&Columns:", self.mapping)
        lay.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("&Preview", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _accept(self) -> None:
        if not Path(self.file.path()).is_file():
            QMessageBox.warning(self, "Import returns", "Please choose the workbook to import.")
            return
        self.accept()


def start_import(ctx: AppContext, parent: QWidget | None, path: str | None = None,
                 mapping_name: str | None = None) -> ImportFlow | None:
    if path is None:
        dlg = ChooseImportDialog(ctx, parent)
        if not dlg.exec():
            return None
        path, mapping_name = dlg.file.path(), dlg.mapping.currentData()
    flow = ImportFlow(ctx, parent, path, mapping_name)
    flow.start()
    return flow


