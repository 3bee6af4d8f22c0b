"""Backup and restore from the File menu: in the background, restore only into a new database,
then offer to open it."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from vrboard.services.board import the_board
from vrboard.store import open_database
from vrboard.ui.dialogs.backup import RestoreDialog, default_backup_path, start_backup, start_restore
from vrboard.ui.main_window import MainWindow


def _window(qtbot, ctx, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    w = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    return w


def test_backup_then_restore_into_a_new_file_and_offer_to_open_it(qtbot, ctx, tmp_path, auto_dialogs):
    w = _window(qtbot, ctx, tmp_path)
    backup_file = tmp_path / "board.json.gz"
    task = start_backup(ctx, w, str(backup_file))
    with qtbot.waitSignal(task.done, timeout=20000):
        pass
    assert backup_file.is_file()
    assert auto_dialogs[-1][0] == "Backup made" and str(backup_file) in auto_dialogs[-1][1]

    target = tmp_path / "restored.sqlite3"
    with qtbot.waitSignal(w.open_database_requested, timeout=20000) as opened:
        start_restore(ctx, w, str(backup_file), str(target))
    assert opened.args == [str(target)]
    assert auto_dialogs[-1][0] == "Board restored"
    db = open_database(str(target))
    try:
        with db.session() as s, ctx.read() as mine:
            assert the_board(s).name == the_board(mine).name
    finally:
        db.close()


def test_restore_into_a_database_in_use_is_refused_in_plain_words(qtbot, ctx, tmp_path, auto_dialogs):
    backup_file = tmp_path / "b.json"
    with qtbot.waitSignal(start_backup(ctx, None, str(backup_file)).done, timeout=20000):
        pass
    task = start_restore(ctx, None, str(backup_file), ctx.db.url)
    with qtbot.waitSignal(task.failed, timeout=20000):
        pass
    title, text = auto_dialogs[-1]
    assert title == "Could not restore the backup"
    assert "not empty" in text and "Nothing was restored" in text


def test_backup_to_a_missing_folder_says_which(qtbot, ctx, tmp_path, auto_dialogs):
    task = start_backup(ctx, None, str(tmp_path / "nowhere" / "b.json"))
    with qtbot.waitSignal(task.failed, timeout=20000):
        pass
    assert "does not exist" in auto_dialogs[-1][1]


def test_restore_dialog_checks_its_fields(qtbot, tmp_path):
    dlg = RestoreDialog()
    qtbot.addWidget(dlg)
    assert dlg.problem() == "Please choose the backup file."
    dlg.source.set_path(str(tmp_path / "missing.json"))
    assert "There is no file" in dlg.problem()
    src = tmp_path / "b.json"
    src.write_text("{}")
    dlg.source.set_path(str(src))
    existing = tmp_path / "existing.sqlite3"
    existing.write_text("")
    dlg.target.set_path(str(existing))
    assert "already exists" in dlg.problem()
    dlg.target.set_path(str(tmp_path / "new.sqlite3"))
    assert dlg.problem() is None
    dlg.server.setText("not a url")
    assert dlg.to_server.isChecked()
    assert "postgresql://" in dlg.problem()


def test_default_backup_name_sits_beside_the_database(ctx):
    path = default_backup_path(ctx)
    assert path.parent == Path(ctx.db.label).parent
    assert path.name.startswith("vrboard-backup-") and path.name.endswith(".json.gz")
