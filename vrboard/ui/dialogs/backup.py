"""Back up the whole board to one file, and restore a backup into a new, empty database.

A restore never overwrites the board in use: it fills a new database (a new file, or an
empty database on a server) and then offers to open it.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...errors import VrboardError
from ...progress import Progress
from ...services.access import check_backup
from ...store import sqlite_file
from ..context import AppContext, show_error
from ..tasks import BackgroundTask, run_task
from .common import PathField, documents_dir, remember_folder, stamp

if TYPE_CHECKING:
    from ...backup import BackupResult, RestoreResult

BACKUP_FILTER = "vrboard backups (*.json.gz *.json);;All files (*)"


def default_backup_path(ctx: AppContext) -> Path:
    path = sqlite_file(ctx.db.url)
    folder = path.parent if path is not None and path.parent.is_dir() else documents_dir()
    return folder / f"vrboard-backup-{stamp()}.json.gz"


def ask_backup_path(parent: QWidget | None, ctx: AppContext) -> str:
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getSaveFileName(parent, "Back up the board to", str(default_backup_path(ctx)),
                                          BACKUP_FILTER)
    if path:
        remember_folder(path)
    return path


def start_backup(ctx: AppContext, parent: QWidget | None, path: str | None = None) -> BackgroundTask | None:
    """Ask where (unless given), then write the backup in the background."""
    try:
        with ctx.read() as s:
            check_backup(s, ctx.actor)  # the secretariat or the administrator only
    except VrboardError as exc:
        show_error(parent, "Could not back up the board", str(exc))
        return None
    path = path if path is not None else ask_backup_path(parent, ctx)
    if not path:
        return None
    db = ctx.db

    def work(progress: Progress) -> BackupResult:
        from ...backup import backup

        return backup(db, path, progress)

    def done(result: BackupResult) -> None:
        QMessageBox.information(
            parent, "Backup made",
            f"Backed up {result.total_rows:,} rows in {len(result.counts)} tables to\n{result.path}\n\n"
            "Keep the file somewhere safe: it holds the whole board, including OFFICIAL-SENSITIVE "
            "material.")

    return run_task(parent, "Back up", "back up the board", work, done)


class RestoreDialog(QDialog):
    """Which backup, and which new database to restore it into."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.setMinimumWidth(600)
        lay = QVBoxLayout(self)
        intro = QLabel("A backup is restored into a NEW, empty database, never over the board in use. "
                       "Afterwards you can open the restored board.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.source = PathField("open", "Choose the backup file", BACKUP_FILTER, "Backup file")
        form.addRow("&Backup file:", self.source)
        self.to_file = QRadioButton("A new database &file")
        self.to_server = QRadioButton("An empty database on a &server")
        self.to_file.setChecked(True)
        self.target = PathField("save", "Name the new database file",
                                "vrboard databases (*.sqlite3);;All files (*)", "New database file")
        self.target.set_path(documents_dir() / f"vrboard-restored-{stamp()}.sqlite3")
        self.server = QLineEdit()
        self.server.setAccessibleName("Server address")
        self.server.setPlaceholderText("postgresql://user@server:5432/vrboard_restored")
        self.server.textChanged.connect(lambda _t: self.to_server.setChecked(True))
        form.addRow("Restore into:", self.to_file)
        form.addRow("", self.target)
        form.addRow("", self.to_server)
        form.addRow("", self.server)
        lay.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def target_url(self) -> str:
        return self.target.path() if self.to_file.isChecked() else self.server.text().strip()

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            QMessageBox.warning(self, "Restore from backup", problem)
            return
        self.accept()

    def problem(self) -> str | None:
        if not self.source.path():
            return "Please choose the backup file."
        if not Path(self.source.path()).is_file():
            return f"There is no file {self.source.path()}."
        if not self.target_url():
            return "Please say where to restore the board."
        if self.to_file.isChecked() and Path(self.target.path()).exists():
            return (f"{self.target.path()} already exists. A backup is restored only into a new "
                    "database: choose a new file name.")
        if self.to_server.isChecked() and "://" not in self.target_url():
            return "A server address starts with postgresql://."
        return None


def start_restore(ctx: AppContext, parent: QWidget | None, source: str | None = None,
                  target: str | None = None) -> BackgroundTask | None:
    """Ask which backup and where to (unless given), restore in the background, then offer
    to open the restored board (through the window's ``open_database_requested``)."""
    if source is None or target is None:
        dlg = RestoreDialog(parent)
        if not dlg.exec():
            return None
        source, target = dlg.source.path(), dlg.target_url()

    who = ctx.actor.name

    def work(progress: Progress) -> RestoreResult:
        from ...backup import restore_to
        from ...services.access import restore_authoriser

        # the administrator only; nothing is left behind on a refusal
        return restore_to(target, source, progress, authorise=restore_authoriser(who))

    def done(result: RestoreResult) -> None:
        answer = QMessageBox.question(
            parent, "Board restored",
            f"Restored {result.total_rows:,} rows from {Path(source).name} into\n{target}\n\n"
            "Open the restored board now?")
        opener: Any = getattr(parent, "open_database_requested", None)
        if answer == QMessageBox.StandardButton.Yes and opener is not None:
            opener.emit(target)

    return run_task(parent, "Restore", "restore the backup", work, done)
