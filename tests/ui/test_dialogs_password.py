"""The app asks for a server's password when the server wants one, asks again when it is
refused, keeps it in memory only, and gives up quietly when the user cancels."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from tests.pgauth import ScramServer
from vrboard.cli import main
from vrboard.ui.dialogs.open_database import OpenDatabaseDialog, open_board
from vrboard.ui.dialogs.server_password import ServerPasswordDialog

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _answer(qtbot, answers: list[str | None], seen: list[str]) -> None:
    """Answer each password dialog as it opens: type the next answer and press OK (None:
    Cancel), noting what the dialog said."""

    def respond() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, ServerPasswordDialog):
            QTimer.singleShot(20, respond)
            return
        seen.append(dlg.message.text())
        answer = answers.pop(0)
        if answer is None:
            dlg.reject()
            return
        dlg.password.setText(answer)
        dlg.accept()
        if answers:
            QTimer.singleShot(20, respond)

    QTimer.singleShot(0, respond)


def test_the_app_asks_for_the_password_and_keeps_it_in_memory(
        qtbot, scram: ScramServer, no_pgpass, tmp_path: Path, auto_dialogs, monkeypatch) -> None:
    from vrboard import app as app_mod

    monkeypatch.setattr(app_mod, "log_dir", lambda: tmp_path)
    db = scram.new_database()
    assert main(["--db", scram.url(scram.password, database=db), "init", "--demo"]) == 0
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    seen: list[str] = []
    _answer(qtbot, ["wrong password", scram.password], seen)
    launcher, code = app_mod.start(["--db", scram.url(database=db)], settings=settings, hook=False)
    try:
        assert code == 0 and launcher is not None and auto_dialogs == []
        window = launcher.window
        assert window.ctx.actor.name == "Ruth Kaplan"  # the demo's secretary: the login that set it up
        assert seen[0] == (f"The server 127.0.0.1:{scram.port}/{db} wants the password "
                           f"for the login {scram.user}.")
        assert seen[1].startswith(f"The password for the login {scram.user} was not accepted")
        assert scram.password not in window.db_label.text()
        dlg = OpenDatabaseDialog(window, current=window.ctx.db.url)  # shown without the password
        qtbot.addWidget(dlg)
        assert dlg.url_edit.text() == f"postgresql+psycopg://{scram.user}@127.0.0.1:{scram.port}/{db}"
        window.close()  # saves the window's settings
    finally:
        if launcher is not None and launcher.window is not None:
            launcher.window.ctx.db.close()
        for handler in list(logging.getLogger("vrboard").handlers):
            logging.getLogger("vrboard").removeHandler(handler)
            handler.close()
    settings.sync()
    saved = Path(settings.fileName()).read_bytes()
    assert saved and scram.password.encode() not in saved
    assert b"wrong password" not in saved


def test_cancelling_the_password_gives_up_quietly(qtbot, scram: ScramServer, no_pgpass,
                                                  auto_dialogs) -> None:
    seen: list[str] = []
    _answer(qtbot, [None], seen)
    assert open_board(None, scram.url(), None) is None
    assert len(seen) == 1 and auto_dialogs == []
