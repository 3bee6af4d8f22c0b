"""The main window's menus, toolbar and keyboard shortcuts, and what each one starts.

Entries for work whose module is not in this build (Excel, PDF, backup) are left out
rather than shown broken. Entries the acting user may not use are disabled, and their
tooltip and status tip say who may.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from ..services.context import Perm
from .style import icon

if TYPE_CHECKING:
    from .main_window import MainWindow


class WindowActions:
    def __init__(self, window: MainWindow) -> None:
        from .main_window import main_toolbar, module_available

        self.w = window
        self._all: list[QAction] = []
        mb = window.menuBar()
        has_excel = module_available("vrboard.excel")
        has_pdf = module_available("vrboard.pdf")
        has_backup = module_available("vrboard.backup")

        # File
        file_menu = mb.addMenu("&File")
        self.open_db = self._act(file_menu, "&Open database…", self.open_database, "open",
                                 QKeySequence.StandardKey.Open,
                                 "Open another board database: a SQLite file or a server")
        self.backup = self.restore = None
        if has_backup:
            file_menu.addSeparator()
            self.backup = self._act(file_menu, "&Back up…", self.backup_db, "backup", "Ctrl+Shift+B",
                                    "Save a copy of the whole database to a file", Perm.ADMIN)
            self.restore = self._act(file_menu, "&Restore from backup…", self.restore_db, "restore",
                                     None, "Replace this database with a backup", Perm.ADMIN)
        file_menu.addSeparator()
        self.quit = self._act(file_menu, "&Quit", window.close, "", "Ctrl+Q",
                              "Close vrboard")

        # Board: the round trips and documents
        board_menu = mb.addMenu("&Board")
        self.import_returns = self.export_trackers = self.board_pack = self.minutes = None
        self.publish = None
        if has_excel:
            self.import_returns = self._act(
                board_menu, "&Import returns…", self.import_file, "import", "Ctrl+I",
                "Read an owner's returned tracker, preview every change, then apply it", Perm.IMPORT)
            self.export_trackers = self._act(
                board_menu, "&Export trackers…", self.export_file, "export", "Ctrl+E",
                "Write action trackers for owners to update in Excel", Perm.EXPORT)
            self.send_trackers = self._act(
                board_menu, "&Send trackers…", self.send_trackers_dialog, "", "Ctrl+Shift+E",
                "E-mail each owner their tracker with what is overdue and due soon (drafts or "
                "sent)", Perm.EDIT_ACTIONS)
        if has_pdf:
            if has_excel:
                board_menu.addSeparator()
            self.board_pack = self._act(
                board_menu, "Board &pack…", self.make_pack, "pack", "Ctrl+P",
                "Build the PDF board pack for a meeting (public or full)")
            self.minutes = self._act(
                board_menu, "&Minutes PDF…", self.make_minutes, "minutes", "Ctrl+Shift+M",
                "Build the PDF minutes of a meeting")
            self.publish = self._act(
                board_menu, "P&ublish…", self.publish_site, "", None,
                "Write the public record (agendas, public papers and packs, approved minutes, the "
                "action log's summary) as a website for the council's web team to upload")
        if board_menu.isEmpty():
            board_menu.menuAction().setVisible(False)

        # View: pages and reload
        view_menu = mb.addMenu("&View")
        self.page_actions: dict[str, QAction] = {}
        for spec in window.specs:
            act = self._act(view_menu, spec.title, _bind(window.focus_page, spec.key), spec.icon,
                            spec.shortcut, spec.tip)
            act.setData("page")
            self.page_actions[spec.key] = act
        view_menu.addSeparator()
        self.reload = self._act(view_menu, "&Reload", window.refresh_current, "refresh",
                                QKeySequence.StandardKey.Refresh, "Read the page again from the database")

        # Help
        help_menu = mb.addMenu("&Help")
        self._act(help_menu, "&Keyboard shortcuts", window.show_shortcuts, "", "Ctrl+/",
                  "List the keyboard shortcuts")
        self._act(help_menu, "Open &log folder", window.open_log_folder, "", None,
                  "Open the folder holding vrboard's log file")
        self._act(help_menu, "&About vrboard", window.about, "", None, "Version and database")

        bar = main_toolbar(window)
        for act in (self.import_returns, self.export_trackers, self.board_pack, self.minutes):
            if act is not None:
                bar.addAction(act)
        if not bar.actions():
            bar.addAction(self.open_db)
        bar.addSeparator()
        bar.addAction(self.reload)

    def all(self) -> list[QAction]:
        return list(self._all)

    def _act(self, menu: QMenu, text: str, slot: Callable[[], object], icon_name: str,
             shortcut: QKeySequence.StandardKey | str | None, tip: str,
             perm: Perm | None = None) -> QAction:
        act = QAction(text, self.w)
        if icon_name:
            act.setIcon(icon(icon_name))
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.setStatusTip(tip)
        act.setToolTip(f"{tip} ({act.shortcut().toString()})" if shortcut else tip)
        if perm is not None and not self.w.ctx.can(perm):
            from .main_window import refusal

            act.setEnabled(False)
            act.setToolTip(refusal(perm, self.w.ctx))
            act.setStatusTip(refusal(perm, self.w.ctx))
        act.triggered.connect(lambda _checked=False: slot())
        menu.addAction(act)
        self.w.addAction(act)  # shortcuts work even with the menu bar hidden
        self._all.append(act)
        return act

    # --- handlers ---------------------------------------------------------------------------
    def open_database(self) -> None:
        from .dialogs.open_database import OpenDatabaseDialog

        dlg = OpenDatabaseDialog(self.w, current=self.w.ctx.db.url)
        if dlg.exec() and dlg.url():
            self.w.open_database_requested.emit(dlg.url())

    def backup_db(self) -> None:
        from .dialogs.backup import start_backup

        start_backup(self.w.ctx, self.w)

    def restore_db(self) -> None:
        from .dialogs.backup import start_restore

        start_restore(self.w.ctx, self.w)

    def import_file(self) -> None:
        from .dialogs.import_preview import start_import

        start_import(self.w.ctx, self.w)

    def send_trackers_dialog(self) -> None:
        from .dialogs.chase import ChaseDialog

        ChaseDialog(self.w.ctx, self.w).exec()

    def export_file(self) -> None:
        from .dialogs.export import ExportDialog

        ExportDialog(self.w.ctx, self.w).exec()

    def make_pack(self) -> None:
        from .dialogs.pack import PackDialog

        PackDialog(self.w.ctx, self.w, kind="pack").exec()

    def publish_site(self) -> None:
        from .dialogs.publish import start_publish

        start_publish(self.w.ctx, self.w)

    def make_minutes(self) -> None:
        from .dialogs.pack import PackDialog

        PackDialog(self.w.ctx, self.w, kind="minutes").exec()


def _bind(fn: Callable[[str], object], key: str) -> Callable[[], object]:
    return lambda: fn(key)
