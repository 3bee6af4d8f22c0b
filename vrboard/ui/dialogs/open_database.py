"""Opening a board database: the dialog (a SQLite file or a server URL), and ``open_board``,
which opens it, offers to set up a board when it is empty and finds the acting user, saying
in plain words what stopped it when it cannot."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...errors import VrboardError
from ...model import Channel
from ...services.context import os_login, resolve_actor
from ...store import Database, describe_url, open_database, sqlite_file
from ..context import AppContext, show_error

SQLITE_FILTER = "vrboard databases (*.sqlite3 *.sqlite *.db);;All files (*)"


class OpenDatabaseDialog(QDialog):
    """Choose a SQLite file (new or existing) or type a server URL."""

    def __init__(self, parent: QWidget | None = None, current: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Open database")
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        intro = QLabel("Open another board database. Your own copy of the board is a file; a shared "
                       "board lives on a PostgreSQL server.")
        intro.setWordWrap(True)
        lay.addWidget(intro)

        grid = QGridLayout()
        self.file_radio = QRadioButton("A &file on this computer or a shared drive")
        self.server_radio = QRadioButton("A &server (PostgreSQL)")
        group = QButtonGroup(self)
        group.addButton(self.file_radio)
        group.addButton(self.server_radio)
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Database file")
        self.path_edit.setPlaceholderText("e.g. S:\\Board\\vrboard.sqlite3")
        self.browse = QPushButton("&Browse…")
        self.browse.setAccessibleName("Browse for a database file")
        self.url_edit = QLineEdit()
        self.url_edit.setAccessibleName("Server address")
        self.url_edit.setPlaceholderText("postgresql://user@server:5432/vrboard")
        grid.addWidget(self.file_radio, 0, 0, 1, 2)
        grid.addWidget(self.path_edit, 1, 0)
        grid.addWidget(self.browse, 1, 1)
        grid.addWidget(self.server_radio, 2, 0, 1, 2)
        grid.addWidget(self.url_edit, 3, 0, 1, 2)
        lay.addLayout(grid)
        note = QLabel("A server password is better kept in your ~/.pgpass file than typed here.")
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        lay.addWidget(note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

        self.browse.clicked.connect(self._browse)
        self.file_radio.toggled.connect(self._sync)
        self.path_edit.textChanged.connect(lambda _t: self.file_radio.setChecked(True))
        self.url_edit.textChanged.connect(lambda _t: self.server_radio.setChecked(True))
        path = sqlite_file(current) if current else None
        if current and path is None:
            self.url_edit.setText(describe_url(current))
            self.server_radio.setChecked(True)
        else:
            self.path_edit.setText(str(path) if path else "")
            self.file_radio.setChecked(True)
        self._sync()

    def _sync(self) -> None:
        file_mode = self.file_radio.isChecked()
        self.path_edit.setEnabled(file_mode)
        self.browse.setEnabled(file_mode)
        self.url_edit.setEnabled(not file_mode)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Choose a database file (an existing one, or a name for a new one)",
            self.path_edit.text(), SQLITE_FILTER, options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.path_edit.setText(path)

    def url(self) -> str:
        if self.file_radio.isChecked():
            return self.path_edit.text().strip()
        return self.url_edit.text().strip()

    def _accept(self) -> None:
        if not self.url():
            what = "the database file" if self.file_radio.isChecked() else "the server's address"
            QMessageBox.warning(self, "Open database", f"Please give {what}.")
            return
        if self.server_radio.isChecked() and "://" not in self.url():
            QMessageBox.warning(self, "Open database",
                                "A server address starts with postgresql://, for example "
                                "postgresql://user@server:5432/vrboard.")
            return
        self.accept()


def _busy() -> None:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)


def _idle() -> None:
    if QGuiApplication.overrideCursor() is not None:
        QGuiApplication.restoreOverrideCursor()


def open_board(parent: QWidget | None, url: str | None, login: str | None, *,
               offer_setup: bool = True) -> AppContext | None:
    """Open ``url`` (None: the default database) and resolve the acting user.

    Returns None after telling the user, in a dialog, why it could not."""
    _busy()
    try:
        db = open_database(url)
    except VrboardError as exc:
        _idle()
        show_error(parent, "Could not open the database", str(exc))
        return None
    _idle()
    try:
        if not _ensure_board(parent, db, login, offer_setup):
            db.close()
            return None
        with db.session() as s:
            actor = resolve_actor(s, login, Channel.APP)
    except VrboardError as exc:
        db.close()
        show_error(parent, "Who is using vrboard?",
                   f"{exc}\n\nDatabase: {db.label}")
        return None
    return AppContext(db, actor)


def _ensure_board(parent: QWidget | None, db: Database, login: str | None, offer: bool) -> bool:
    from ...seed import is_initialised

    with db.session() as s:
        if is_initialised(s):
            return True
    if not offer:
        show_error(parent, "No board in this database",
                   f"{db.label} holds no board yet. Set one up with: vrboard init")
        return False
    choice = ask_setup(parent, db.label)
    if choice is None:
        return False
    setup_board(db, os_login(), demo=choice == "demo")  # the operating-system login is who acts
    return True


def ask_setup(parent: QWidget | None, label: str) -> str | None:
    """Ask what to do with an empty database: "demo", "empty", or None to give up."""
    box = QMessageBox(QMessageBox.Icon.Question, "Set up a board",
                      f"The database {label} is empty: it holds no board yet.\n\n"
                      "Create the demo board (fictional people, meetings and actions) to explore "
                      "vrboard, or set up an empty board for real use? Either way, you are recorded "
                      "as the board secretariat.", QMessageBox.StandardButton.NoButton, parent)
    demo = box.addButton("Create the &demo board", QMessageBox.ButtonRole.AcceptRole)
    empty = box.addButton("Set up an &empty board", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(demo)
    box.exec()
    clicked = box.clickedButton()
    return "demo" if clicked is demo else "empty" if clicked is empty else None


def setup_board(db: Database, login: str, *, demo: bool) -> None:
    from ...demo import build_demo
    from ...seed import init_board

    _busy()
    try:
        with db.transaction() as s:
            init_board(s, "" if demo else login)
            if demo:
                build_demo(s, login)
    finally:
        _idle()
