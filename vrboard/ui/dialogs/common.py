"""Bits the work dialogs share: a path field with a Browse button, default folders, file names."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QMessageBox, QPushButton, QWidget

_LAST_FOLDER_KEY = "files/last_folder"
_last_folder: Path | None = None  # this session's, when there are no saved settings


def documents_dir() -> Path:
    """Where a file dialog starts: the folder the user last chose a file in (remembered across
    sessions), else their Documents folder, else home."""
    last = _last_folder
    if last is None and QCoreApplication.applicationName():
        saved = QSettings().value(_LAST_FOLDER_KEY, "")
        last = Path(str(saved)) if saved else None
    if last is not None and last.is_dir():
        return last
    loc = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(loc) if loc else Path.home()
    return path if path.is_dir() else Path.home()


def remember_folder(path: str | Path) -> None:
    """The folder of a file (or a folder) the user just chose: dialogs start there next time."""
    global _last_folder
    p = Path(path)
    folder = p if p.is_dir() else p.parent
    if not folder.is_dir():
        return
    _last_folder = folder
    if QCoreApplication.applicationName():
        QSettings().setValue(_LAST_FOLDER_KEY, str(folder))


def safe_name(text: str) -> str:
    """A file name from free text: no characters Windows refuses, no trailing dots."""
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', " ", text)
    return re.sub(r"\s+", " ", name).strip(" .") or "vrboard"


def stamp(day: dt.date | None = None) -> str:
    return (day or dt.date.today()).strftime("%d-%m-%Y")


class PathField(QWidget):
    """A line edit for a path and a Browse… button: mode "save", "open" or "folder"."""

    def __init__(self, mode: str, caption: str, file_filter: str = "", accessible: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.caption = caption
        self.file_filter = file_filter
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(accessible or caption)
        self.edit.setMinimumWidth(320)
        self.browse = QPushButton("Browse…")
        self.browse.setAccessibleName(f"Browse: {accessible or caption}")
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.browse)
        self.browse.clicked.connect(self._browse)
        self.setFocusProxy(self.edit)

    def path(self) -> str:
        return self.edit.text().strip()

    def set_path(self, path: str | Path) -> None:
        self.edit.setText(str(path))

    def _browse(self) -> None:
        start = self.path() or str(documents_dir())
        if self.mode == "folder":
            chosen = QFileDialog.getExistingDirectory(self, self.caption, start)
        elif self.mode == "open":
            chosen, _ = QFileDialog.getOpenFileName(self, self.caption, start, self.file_filter)
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, self.caption, start, self.file_filter)
        if chosen:
            self.set_path(chosen)
            remember_folder(chosen)


def open_file(path: str | Path, parent: QWidget | None = None) -> bool:
    """Open a file or folder in the system's own program; when none opens it, say so (the
    file is still saved) rather than leave the user waiting for a window that never comes."""
    opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    if not opened:
        QMessageBox.information(
            parent, "Could not open the file",
            f"Saved {path}, but no program on this computer opened it. Open it from its folder, "
            "or install a program for this kind of file (a PDF reader or a spreadsheet).")
    return opened
