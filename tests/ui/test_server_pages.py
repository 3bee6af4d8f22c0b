"""The app on a shared server, signed in as an owner and as a viewer (real login roles, the
database's rules in force): every page opens, and the window says who the server says you are."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from tests.core.pgboard import PgBoard, make_board
from vrboard import app as app_mod

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def board() -> Iterator[PgBoard]:
    yield from make_board()


@pytest.mark.parametrize(("who", "label"), [("tfletcher", "Tom Fletcher · Owner"),
                                             ("vviewer", "Vera Viewer · Viewer")])
def test_every_page_opens_under_the_servers_rules(qtbot, board: PgBoard, tmp_path: Path,
                                                   monkeypatch, who: str, label: str) -> None:
    monkeypatch.setattr(app_mod, "log_dir", lambda: tmp_path)
    monkeypatch.setenv("LOGNAME", board.login("zadeyemi"))  # the OS login changes nothing
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    launcher, code = app_mod.start(["--db", board.url_as(who)], settings=settings, hook=False)
    try:
        assert code == 0 and launcher is not None
        w = launcher.window
        qtbot.waitExposed(w)
        assert w.user_label.text() == f"Signed in as {label}"
        for key in w.page_keys():
            assert w.show_page(key) is not None, key
            qtbot.wait(50)
    finally:
        if launcher is not None and launcher.window is not None:
            launcher.window.close()
            launcher.window.ctx.db.close()
        for handler in list(logging.getLogger("vrboard").handlers):
            logging.getLogger("vrboard").removeHandler(handler)
            handler.close()
