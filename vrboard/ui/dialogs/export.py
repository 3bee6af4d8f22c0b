"""Export trackers: one workbook per owner into a folder, or one workbook of chosen actions."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...model import Action, Person, Plan, Workstream
from ...progress import Progress
from ...services.context import Actor
from ..context import AppContext
from ..tasks import BackgroundTask, run_session_task
from .common import PathField, documents_dir, open_file, safe_name, stamp


class ExportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task: BackgroundTask | None = None
        self.results: list[Any] = []
        self.setWindowTitle("Export trackers")
        self.setMinimumWidth(620)
        lay = QVBoxLayout(self)
        intro = QLabel("Owners update their actions in these workbooks and send them back; "
                       "Board > Import returns reads them in again.")
        intro.setWordWrap(True)
        lay.addWidget(intro)

        self.per_owner = QRadioButton("One workbook &per owner, into a folder")
        self.single = QRadioButton("One &workbook of the actions chosen below")
        self.per_owner.setChecked(True)
        self.folder = PathField("folder", "Choose the folder for the trackers", "", "Folder")
        self.folder.set_path(documents_dir() / f"VRB trackers {stamp()}")
        self.workstream = QComboBox()
        self.workstream.setAccessibleName("Workstream")
        self.owner = QComboBox()
        self.owner.setAccessibleName("Owner")
        self.plan = QComboBox()
        self.plan.setAccessibleName("Plan")
        self._fill()
        for combo in (self.workstream, self.owner, self.plan):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(24)
        self.path = PathField("save", "Save the tracker as", "Excel workbooks (*.xlsx)", "Save as")
        lay.addWidget(self.per_owner)
        lay.addLayout(_indented(("&Folder:", self.folder)))
        lay.addWidget(self.single)
        lay.addLayout(_indented(("Wor&kstream:", self.workstream), ("&Owner:", self.owner),
                                ("P&lan:", self.plan), ("&Save as:", self.path)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

        self.per_owner.toggled.connect(self._sync)
        for combo in (self.workstream, self.owner, self.plan):
            combo.currentIndexChanged.connect(self._suggest)
        self._suggest()
        self._sync()

    def _fill(self) -> None:
        with self.ctx.read() as s:
            streams = list(s.scalars(select(Workstream).order_by(Workstream.position)))
            owners = list(s.scalars(select(Person).where(
                Person.id.in_(select(Action.owner_id).where(Action.owner_id.is_not(None))))
                .order_by(Person.name)))
            plans = list(s.scalars(select(Plan).order_by(Plan.code)))
        self.workstream.addItem("Every workstream", None)
        for w in streams:
            self.workstream.addItem(f"{w.code}  {w.name}", w.code)
        self.owner.addItem("Every owner", None)
        for p in owners:
            self.owner.addItem(p.name, p.login or p.email or p.name)
        self.plan.addItem("Every plan", None)
        for p in plans:
            self.plan.addItem(f"{p.code}  {p.name}", p.code)

    def _sync(self) -> None:
        per_owner = self.per_owner.isChecked()
        self.folder.setEnabled(per_owner)
        for w in (self.workstream, self.owner, self.plan, self.path):
            w.setEnabled(not per_owner)

    def _suggest(self, *_args: object) -> None:
        parts = [c.currentText().split("  ")[0] for c in (self.workstream, self.owner, self.plan)
                 if c.currentData() is not None]
        name = safe_name("VRB actions - " + (", ".join(parts) if parts else "all")) + f" {stamp()}.xlsx"
        current = Path(self.path.path()) if self.path.path() else None
        folder = current.parent if current is not None and current.parent.is_dir() else documents_dir()
        self.path.set_path(folder / name)

    def start(self) -> BackgroundTask | None:
        per_owner = self.per_owner.isChecked()
        target = self.folder.path() if per_owner else self.path.path()
        if not target:
            QMessageBox.warning(self, "Export trackers", "Please say where to save the trackers.")
            return None
        if not per_owner and not Path(target).parent.is_dir():
            QMessageBox.warning(self, "Export trackers", f"The folder {Path(target).parent} does not exist.")
            return None
        ws, owner, plan = (c.currentData() for c in (self.workstream, self.owner, self.plan))

        def work(session: Session, actor: Actor, progress: Progress) -> list[Any]:
            from ...excel import export_actions, export_per_owner

            if per_owner:
                return list(export_per_owner(session, actor, target, progress=progress))
            return [export_actions(session, actor, target, workstream=ws, owner=owner, plan=plan,
                                   progress=progress)]

        self.ok.setEnabled(False)
        self.task = run_session_task(self.ctx, self, "Export trackers", "export the trackers", work,
                                     self._done, writes=True, changed="export")
        self.task.finished.connect(lambda: self.ok.setEnabled(True))
        return self.task

    def _done(self, results: list[Any]) -> None:
        self.results = results
        rows = sum(r.rows for r in results)
        if len(results) == 1:
            where = str(results[0].path)
            text = f"Wrote {rows:,} action{'s' if rows != 1 else ''} to\n{where}"
            folder = results[0].path.parent
        else:
            folder = Path(self.folder.path())
            text = f"Wrote {len(results)} workbooks ({rows:,} actions) to\n{folder}"
        box = QMessageBox(QMessageBox.Icon.Information, "Trackers exported", text,
                          QMessageBox.StandardButton.Close, self.parentWidget())
        show = box.addButton("Open the folder", QMessageBox.ButtonRole.ActionRole)
        self.accept()
        if show_result_box(box) is show:
            open_file(folder, self.parentWidget())


def _indented(*rows: tuple[str, QWidget]) -> QFormLayout:
    form = QFormLayout()
    form.setContentsMargins(24, 0, 0, 6)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    for label, widget in rows:
        form.addRow(label, widget)
    return form


def show_result_box(box: QMessageBox) -> object:
    """Shows the box and returns the button clicked (tests replace this)."""
    box.exec()
    return box.clickedButton()
