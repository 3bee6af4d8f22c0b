"""The first window paints before the data layer is imported, then the main window replaces it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from vrboard.ui.loading import LoadingWindow

CHILD = """
import sys
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from vrboard.app import start
seen = []
launcher, code = start(["--db", {db!r}, "--as", "rkaplan"], hook=False,
                       settings=QSettings({ini!r}, QSettings.Format.IniFormat),
                       on_first_window=lambda: seen.append(
                           ("sqlalchemy" in sys.modules,
                            [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()])))
print("FIRST", seen)
print("AFTER", [type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible()])
"""


def test_first_window_is_on_screen_before_sqlalchemy_is_imported(demo_db, tmp_path: Path):
    code = CHILD.format(db=demo_db.url, ini=str(tmp_path / "s.ini"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=60, check=True).stdout
    first = next(line for line in out.splitlines() if line.startswith("FIRST"))
    after = next(line for line in out.splitlines() if line.startswith("AFTER"))
    assert "[(False, ['vrboard'])]" in first  # loading window shown, data layer not yet imported
    assert "MainWindow" in after and "LoadingWindow" not in after


def test_loading_window_never_shows_a_password(qtbot):
    w = LoadingWindow("postgresql://vrb:s3cret@dbserver/vrb")
    qtbot.addWidget(w)
    assert "s3cret" not in w.message.text() and "dbserver/vrb" in w.message.text()
    default = LoadingWindow(None)
    qtbot.addWidget(default)
    assert "your board" in default.message.text()
