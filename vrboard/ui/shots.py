"""What the screenshot commands share: a demo board in a temporary file, the secretariat's
main window at 1280x800, pages and dialogs grabbed offscreen (``setup_screenshots``,
``edit_screenshots``), and their command line."""
from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

SIZE = (1280, 800)
Dialogs = Callable[[Any, Any], dict[str, Callable[[], Any]]]


def take(out_dir: Path, prefix: str, pages: Iterable[str], dialogs: Dialogs) -> list[Path]:
    """PNGs named ``<prefix>-page-<key>.png`` for each page in the main window and
    ``<prefix>-<name>.png`` for each dialog ``dialogs(ctx, window)`` makes, at its opening size."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from ..demo import build_demo
    from ..model import Channel
    from ..seed import init_board
    from ..services.context import actor_for, find_person
    from ..store import open_database
    from .context import AppContext
    from .main_window import MainWindow
    from .style import apply_style

    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    apply_style(app, dark=False)
    saved: list[Path] = []

    def settle() -> None:
        for _ in range(3):
            app.processEvents()

    def grab(widget: QWidget, name: str) -> None:
        settle()
        path = out_dir / f"{prefix}-{name}.png"
        widget.grab().save(str(path))
        saved.append(path)

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}")
        try:
            with db.transaction() as s:
                init_board(s, "")
                build_demo(s, "")
            with db.session() as s:
                person = find_person(s, "rkaplan")
                assert person is not None
                actor = actor_for(person, Channel.APP)
            ctx = AppContext(db, actor)
            window = MainWindow(ctx, QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
            window.resize(*SIZE)
            window.show()
            for key in pages:
                window.show_page(key)
                grab(window, f"page-{key}")
            for name, make in dialogs(ctx, window).items():
                dialog = make()
                dialog.show()
                grab(dialog, name)
                dialog.close()
                dialog.deleteLater()
            window.close()
            window.deleteLater()
            settle()
        finally:
            db.close()
    return saved


def main(module: str, take_all: Callable[[Path], list[Path]], argv: Sequence[str] | None) -> int:
    """``python -m <module> OUTDIR``: take the pictures and print their paths."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print(f"usage: python -m {module} OUTDIR", file=sys.stderr)
        return 2
    for path in take_all(Path(args[0])):
        print(path)
    return 0
