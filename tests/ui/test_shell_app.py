"""The app's start: opens the database, sets up an empty one on request, finds the user,
and says in plain words (never a traceback) when it cannot."""
from __future__ import annotations

import getpass
import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy import text

from vrboard import app as app_mod
from vrboard.store import open_database
from vrboard.ui.dialogs import open_database as open_mod
from vrboard.ui.dialogs.open_database import OpenDatabaseDialog


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(autouse=True)
def log_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    monkeypatch.setattr(app_mod, "log_dir", lambda: tmp_path)
    yield tmp_path
    logger = logging.getLogger("vrboard")
    for handler in list(logger.handlers):  # the app's log file handler, added by start()
        logger.removeHandler(handler)
        handler.close()


def _close(launcher) -> None:  # noqa: ANN001
    if launcher is not None and launcher.window is not None:
        launcher.window.close()
        launcher.window.ctx.db.close()


def test_start_shows_the_window_on_the_given_database_as_the_given_user(qtbot, demo_db, settings):
    launcher, code = app_mod.start(["--db", demo_db.url], "tfletcher", settings=settings, hook=False)
    try:
        assert code == 0 and launcher is not None
        w = launcher.window
        qtbot.waitExposed(w)
        assert w.user_label.text() == "Signed in as Tom Fletcher · Owner"
        assert w.db_label.toolTip() == f"The database in use: {demo_db.label}"
    finally:
        _close(launcher)


def test_as_option_on_the_command_line(qtbot, demo_db, settings):
    launcher, code = app_mod.start(["--db", demo_db.url, "--as", "zadeyemi"], settings=settings, hook=False)
    try:
        assert launcher.window.ctx.actor.name == "Cllr Zoë Adeyemi"
    finally:
        _close(launcher)


def test_an_unknown_user_is_told_what_to_do(qtbot, demo_db, settings, auto_dialogs):
    launcher, code = app_mod.start(["--db", demo_db.url, "--as", "nobody"], settings=settings, hook=False)
    assert launcher is None and code == 1
    title, text = auto_dialogs[-1]
    assert title == "Who is using vrboard?"
    assert "'nobody'" in text and "--as" in text and demo_db.label in text


def test_a_database_from_a_newer_vrboard_is_refused_in_plain_words(qtbot, sqlite_url, settings, auto_dialogs):
    db = open_database(sqlite_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
    db.close()
    launcher, code = app_mod.start(["--db", sqlite_url], "rkaplan", settings=settings, hook=False)
    assert launcher is None and code == 1
    title, message = auto_dialogs[-1]
    assert title == "Could not open the database"
    assert "newer version of vrboard" in message and "Traceback" not in message


def test_an_unreachable_server_is_refused_in_plain_words(qtbot, settings, auto_dialogs):
    url = "postgresql://nobody@127.0.0.1:1/vrboard?connect_timeout=2"
    launcher, code = app_mod.start(["--db", url], "rkaplan", settings=settings, hook=False)
    assert launcher is None and code == 1
    title, message = auto_dialogs[-1]
    assert title == "Could not open the database" and "Traceback" not in message
    assert "127.0.0.1" in message


def test_an_empty_database_offers_the_demo_board(qtbot, tmp_path, settings, monkeypatch):
    asked = []
    monkeypatch.setattr(open_mod, "ask_setup", lambda parent, label: asked.append(label) or "demo")
    monkeypatch.setattr(getpass, "getuser", lambda: "newclerk")
    path = tmp_path / "new.sqlite3"
    launcher, code = app_mod.start(["--db", str(path)], settings=settings, hook=False)
    try:
        assert asked == [str(path)]
        assert code == 0
        # the demo's secretary takes the login of whoever created it
        assert launcher.window.ctx.actor.name == "Ruth Kaplan"
        assert launcher.window.ctx.actor.role.value == "secretariat"
    finally:
        _close(launcher)


def test_an_empty_board_records_the_user_as_secretariat(qtbot, tmp_path, settings, monkeypatch):
    monkeypatch.setattr(open_mod, "ask_setup", lambda parent, label: "empty")
    monkeypatch.setattr(getpass, "getuser", lambda: "newclerk")
    launcher, code = app_mod.start(["--db", str(tmp_path / "e.sqlite3")], settings=settings, hook=False)
    try:
        assert launcher.window.ctx.actor.name == "newclerk"
        assert launcher.window.ctx.actor.role.value == "secretariat"
    finally:
        _close(launcher)


def test_declining_to_set_up_quits(qtbot, tmp_path, settings, monkeypatch):
    monkeypatch.setattr(open_mod, "ask_setup", lambda parent, label: None)
    launcher, code = app_mod.start(["--db", str(tmp_path / "e.sqlite3")], "x", settings=settings, hook=False)
    assert launcher is None and code == 1


def test_opening_another_database_replaces_the_window(qtbot, demo_db, tmp_path, settings, monkeypatch):
    from tests.conftest import build_demo_into

    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    build_demo_into(other)
    other.close()
    launcher, _ = app_mod.start(["--db", demo_db.url], "rkaplan", settings=settings, hook=False)
    first = launcher.window
    first.open_database_requested.emit(str(tmp_path / "other.sqlite3"))
    try:
        assert launcher.window is not first
        assert launcher.window.db_label.toolTip() == f"The database in use: {tmp_path / 'other.sqlite3'}"
        assert not first.isVisible()
    finally:
        _close(launcher)


def test_a_failed_switch_keeps_the_current_window(qtbot, demo_db, tmp_path, settings, auto_dialogs):
    launcher, _ = app_mod.start(["--db", demo_db.url], "rkaplan", settings=settings, hook=False)
    first = launcher.window
    try:
        assert launcher.switch(str(tmp_path / "missing-folder" / "x.sqlite3")) is None
        assert launcher.window is first and first.isVisible()
        assert auto_dialogs[-1][0] == "Could not open the database"
        assert "does not exist" in auto_dialogs[-1][1]
    finally:
        _close(launcher)


def test_open_database_dialog_gives_a_file_or_a_server(qtbot, demo_db, auto_dialogs):
    dlg = OpenDatabaseDialog(None, current=demo_db.url)
    qtbot.addWidget(dlg)
    assert dlg.file_radio.isChecked() and dlg.url() == demo_db.label
    dlg.url_edit.setText("server.example")
    assert dlg.server_radio.isChecked() and not dlg.path_edit.isEnabled()
    dlg._accept()
    assert "postgresql://" in auto_dialogs[-1][1] and dlg.result() == 0
    dlg.url_edit.setText("postgresql://clerk@db.council.example:5432/vrboard")
    dlg._accept()
    assert dlg.result() == 1 and dlg.url() == "postgresql://clerk@db.council.example:5432/vrboard"
    server = OpenDatabaseDialog(None, current="postgresql+psycopg://u:secret@h/db")
    qtbot.addWidget(server)
    assert server.server_radio.isChecked() and "secret" not in server.url()


def test_excepthook_shows_a_plain_dialog_and_logs_the_traceback(qtbot, auto_dialogs, log_in_tmp, caplog):
    app_mod.setup_logging()
    try:
        raise KeyError("widget")
    except KeyError as exc:
        with caplog.at_level(logging.ERROR, logger="vrboard"):
            app_mod.excepthook(KeyError, exc, exc.__traceback__)
    title, message = auto_dialogs[-1]
    assert title == "vrboard: unexpected error"
    assert "KeyError" in message and "Traceback" not in message
    assert str(log_in_tmp / "vrboard.log") in message
    assert "Traceback" in caplog.text


def test_a_vrboard_error_reaching_the_hook_is_shown_as_it_is(qtbot, auto_dialogs):
    from vrboard.errors import RuleViolation

    app_mod.excepthook(RuleViolation, RuleViolation("The minutes are signed."), None)
    assert auto_dialogs[-1] == ("vrboard: unexpected error", "The minutes are signed.")


def test_importing_the_app_module_does_not_import_qt_or_file_libraries():
    import subprocess
    import sys

    code = ("import sys, vrboard.app; "
            "print(sorted(m for m in ('PySide6.QtWidgets', 'openpyxl', 'reportlab', 'sqlalchemy.orm') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
