"""Asking for a server's password when the server wants one. The password lives only in the
open connection's address, in memory: never in the settings or any list of databases."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget
from sqlalchemy.engine import make_url

from ...pg.errors import ServerLoginError, describe_server
from ...store import Database, open_database, resolve_url

MAX_TRIES = 3


class ServerPasswordDialog(QDialog):
    def __init__(self, parent: QWidget | None, server: str, login: str, refused: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle("Server password")
        self.setMinimumWidth(440)
        lay = QVBoxLayout(self)
        text = f"The server {server} wants the password for the login {login}."
        if refused:
            text = (f"The password for the login {login} was not accepted by the server {server}. "
                    "Try again, or ask the administrator to set a new one.")
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        lay.addWidget(self.password)
        note = QLabel("vrboard keeps it only while the board is open. To stop being asked, put it "
                      "in your ~/.pgpass file (or the file PGPASSFILE names).")
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        lay.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


def ask_password(parent: QWidget | None, server: str, login: str, refused: bool) -> str | None:
    dlg = ServerPasswordDialog(parent, server, login, refused)
    try:
        return dlg.password.text() if dlg.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dlg.deleteLater()


def with_password(url: str | None, password: str) -> str:
    return make_url(resolve_url(url)).set(password=password).render_as_string(hide_password=False)


def without_password(url: str) -> str:
    """The address as the user may see and edit it: no password, not even hidden."""
    try:
        return make_url(url)._replace(password=None).render_as_string(hide_password=False)
    except Exception:  # noqa: BLE001 - not a URL: show it as it was given
        return url


def open_asking_password(parent: QWidget | None, url: str | None) -> Database | None:
    """Open ``url``; when the server wants a password (or refuses the one given), ask for it,
    up to three times. None: the user cancelled. Other errors propagate."""
    attempt, refused = url, False
    for n in range(MAX_TRIES + 1):
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return open_database(attempt)
        except ServerLoginError as exc:
            if not exc.needs_password or n == MAX_TRIES:
                raise
        finally:
            QGuiApplication.restoreOverrideCursor()
        server, login = describe_server(resolve_url(url))
        password = ask_password(parent, server, login, refused)
        if password is None:
            return None
        attempt, refused = with_password(url, password), True
    return None
