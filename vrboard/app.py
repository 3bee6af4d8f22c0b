"""The desktop app's entry point: ``vrboard gui`` / ``python main.py [--db URL] [--as USER]``.

Opens the database (a plain-words dialog when it cannot: a newer schema, a server that does
not answer), offers to set up a board when the database is empty, works out who is acting
(the OS login, or ``--as``), then shows the main window. Qt and the file libraries are
imported only here, inside the functions, so ``import vrboard.app`` stays cheap.
"""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from .ui.context import AppContext
    from .ui.main_window import MainWindow

APP_NAME = "vrboard"
log = logging.getLogger("vrboard")


def log_dir() -> Path:
    from platformdirs import user_log_dir

    path = Path(user_log_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    return log_dir() / "vrboard.log"


def setup_logging() -> None:
    from logging.handlers import RotatingFileHandler

    root = logging.getLogger("vrboard")
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return
    try:
        handler = RotatingFileHandler(log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return  # no writable log folder: the dialogs still say what went wrong
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def plain_message(exc: BaseException) -> str:
    from .explain import describe, technical
    from .pg.errors import privilege_error

    refused = privilege_error("", "", exc)  # a shared server refused it: say so plainly
    if refused is not None:
        return str(refused)
    message = describe(exc)  # vrboard's own errors, the database busy, a disk full...
    if message is not None:
        return message
    try:
        where = f"The details were written to the log file:\n{log_file()}"
    except OSError:  # no usable folder for the log (HOME or XDG_STATE_HOME unusable)
        where = "The details could not be logged: vrboard's log folder cannot be created."
    return (f"Something unexpected went wrong ({technical(exc)}).\n\n"
            f"What you had already saved is safe. {where}")


_in_hook = False


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
    """Last resort for errors nobody caught: log the traceback, show a plain dialog."""
    global _in_hook
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log.error("Unexpected error", exc_info=(exc_type, exc, tb))
    if _in_hook:
        return
    _in_hook = True
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is not None:
            QMessageBox.critical(QApplication.activeWindow(), "vrboard: unexpected error",
                                 plain_message(exc))
        else:
            print(f"vrboard: {plain_message(exc)}", file=sys.stderr)
    finally:
        _in_hook = False


def install_excepthook() -> None:
    sys.excepthook = excepthook


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    p = argparse.ArgumentParser(prog="vrboard-gui", description="The vrboard desktop app.")
    p.add_argument("--db", metavar="URL", help="database: a SQLite file path or a server URL")
    p.add_argument("--as", dest="as_user", metavar="USER",
                   help="act as this person (login, e-mail or name); default: your OS login")
    return p.parse_known_args(list(argv))


def application(qt_args: Sequence[str] = ()) -> QApplication:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME, *qt_args])
    assert isinstance(app, QApplication)
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("vrboard")
    return app


class Launcher:
    """Keeps the open main window, and replaces it when the user opens another database."""

    def __init__(self, login: str | None, settings: Any = None) -> None:
        self.login = login
        self.settings = settings
        self.window: MainWindow | None = None

    def show(self, ctx: AppContext) -> MainWindow:
        from .ui.main_window import MainWindow

        window = MainWindow(ctx, self.settings)
        window.open_database_requested.connect(self.switch)
        window.show()
        self.window = window
        window.check_record()  # the record's own check, in the background
        return window

    def switch(self, url: str) -> MainWindow | None:
        from .ui.dialogs.open_database import open_board

        old = self.window
        ctx = open_board(old, url, self.login)
        if ctx is None:
            return None  # the dialog said why; the current window stays as it was
        if old is not None:
            old.close()
            old.ctx.db.close()
            old.deleteLater()
        return self.show(ctx)


def start(argv: Sequence[str] = (), as_user: str | None = None, *, settings: Any = None,
          hook: bool = True, on_first_window: Callable[[], None] | None = None,
          ) -> tuple[Launcher | None, int]:
    """Everything up to the window on screen; returns the launcher (None and an exit code
    when the user gave up or the database could not be opened).

    A small "Opening the board…" window paints first, before the data layer is imported;
    ``on_first_window`` is called once it is on screen (the start-up benchmark uses it)."""
    args, qt_args = parse_args(argv)
    login = as_user or args.as_user
    setup_logging()
    app = application(qt_args)
    if hook:
        install_excepthook()
    from .ui.loading import LoadingWindow
    from .ui.style import apply_style

    apply_style(app)

    loading = LoadingWindow(args.db)
    loading.show()
    app.processEvents()
    if on_first_window is not None:
        on_first_window()
    try:
        from .ui.dialogs.open_database import open_board  # imports the data layer

        ctx = open_board(None, args.db, login, offer_setup=True)
        if ctx is None:
            return None, 1
        launcher = Launcher(login, settings)
        launcher.show(ctx)
    finally:
        loading.close()
        loading.deleteLater()
    return launcher, 0


def main(argv: Sequence[str] | None = None, as_user: str | None = None) -> int:
    from .guicheck import gui_problem

    problem = gui_problem()  # no display, or Qt's libraries missing: Qt would abort (exit 134)
    if problem is not None:
        print(f"vrboard: {problem}", file=sys.stderr)
        return 1
    launcher, code = start(sys.argv[1:] if argv is None else argv, as_user)
    if launcher is None:
        return code
    from PySide6.QtWidgets import QApplication

    return int(QApplication.instance().exec())  # type: ignore[union-attr]


if __name__ == "__main__":
    sys.exit(main())
