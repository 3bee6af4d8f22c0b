"""The main window: page list on the left, the page on the right, menus, toolbar, status bar.

Pages are built the first time they are shown (start-up pays for one page). The window
remembers its size, splitters and last page in ``QSettings``. Slow work (import, export,
packs, backup) is started here and runs through ``ui.tasks``; its dialogs live in
``ui.dialogs``. Opening another database asks the app (``open_database_requested``) to
replace this window with one on the new database.
"""
from __future__ import annotations

import importlib.util
import logging
import traceback
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QSize, Qt, QThreadPool, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ..model import AccessRole
from ..services.context import Perm, who_may
from .context import AppContext
from .page import Page
from .pages import PageSpec, available_specs, page_class
from .style import icon

if TYPE_CHECKING:
    from .live import LiveUpdates

log = logging.getLogger(__name__)


def module_available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


class MainWindow(QMainWindow):
    #: the user chose another database (a URL); the app opens a new window on it
    open_database_requested = Signal(str)
    #: a page was shown (its key, e.g. "actions")
    page_shown = Signal(str)

    def __init__(self, ctx: AppContext, settings: QSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings if settings is not None else QSettings()
        self.specs: list[PageSpec] = available_specs()
        self.pages: dict[str, QWidget] = {}
        self.setObjectName("main_window")
        self.setAccessibleName("vrboard main window")
        self.setWindowTitle(self._title())
        self.setMinimumSize(QSize(720, 480))

        self.nav = QListWidget(objectName="navigation")
        self.nav.setAccessibleName("Pages")
        self.nav.setAccessibleDescription("Choose a page; Ctrl+1 to Ctrl+8 also switch pages")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setUniformItemSizes(True)
        self.stack = QStackedWidget(objectName="page_stack")
        self.stack.setAccessibleName("Page")
        for spec in self.specs:
            item = QListWidgetItem(icon(spec.icon), spec.title)
            item.setToolTip(f"{spec.tip} ({spec.shortcut})")
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # the page is built when first shown
        self.nav.setMinimumWidth(max(150, self.nav.sizeHintForColumn(0) + 28))
        self.nav.setMaximumWidth(320)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="main_splitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([180, 1100])
        from .verify_check import IntegrityBanner

        self.banner = IntegrityBanner()
        self.banner.details_requested.connect(lambda result: self.navigate("audit", {"verified": result}))
        self._check_task: Any = None
        central = QWidget(objectName="central")
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.banner)
        lay.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        from .window_actions import WindowActions  # menus, toolbar and their handlers

        self.acts = WindowActions(self)
        self._build_status_bar()
        self.nav.currentRowChanged.connect(self._on_row_changed)
        self.ctx.changed.connect(self._on_data_changed)
        self._restore()
        self.live: LiveUpdates | None = None
        self._closed = False
        QTimer.singleShot(0, self._start_live_updates)  # after the first paint

    def _start_live_updates(self) -> None:
        """Show other people's saved changes as they happen (``ui.live``)."""
        from .live import LiveUpdates

        if self._closed:  # closed before the first paint: nothing to keep up to date
            return
        try:
            self.live = LiveUpdates(self.ctx, self)
        except Exception:  # noqa: BLE001 - the window works without it; F5 still reloads
            logging.getLogger(__name__).exception("live updates could not start")

    # --- pages -----------------------------------------------------------------------------
    def page_keys(self) -> list[str]:
        return [s.key for s in self.specs]

    def current_key(self) -> str:
        row = self.nav.currentRow()
        return self.specs[row].key if 0 <= row < len(self.specs) else ""

    def current_page(self) -> QWidget | None:
        return self.pages.get(self.current_key())

    def show_page(self, key: str, focus: bool = False) -> QWidget | None:
        """Switch to the page ``key`` ("actions"); returns it, or None when this build lacks it.
        ``focus`` moves the keyboard focus into the page (used by the Ctrl+1..8 shortcuts)."""
        keys = self.page_keys()
        if key not in keys:
            return None
        row = keys.index(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # builds and shows it through _on_row_changed
        else:
            self._ensure_page(row)
        page = self.pages.get(key)
        if focus and page is not None:
            first = first_focusable(page)
            if first is not None:
                first.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return page

    def focus_page(self, key: str) -> QWidget | None:
        return self.show_page(key, focus=True)

    def _on_row_changed(self, row: int) -> None:
        if not 0 <= row < len(self.specs):
            return
        self._ensure_page(row)
        self.stack.setCurrentIndex(row)
        self.page_shown.emit(self.specs[row].key)

    def _ensure_page(self, row: int) -> QWidget:
        spec = self.specs[row]
        page = self.pages.get(spec.key)
        if page is not None:
            return page
        page = self._build_page(spec)
        old = self.stack.widget(row)
        self.stack.insertWidget(row, page)
        self.stack.removeWidget(old)
        old.deleteLater()
        self.pages[spec.key] = page
        self._restore_splitters(spec.key, page)
        return page

    def _build_page(self, spec: PageSpec) -> QWidget:
        try:
            page: QWidget = page_class(spec)(self.ctx)
        except Exception as exc:  # noqa: BLE001 - one broken page must not take the window down
            log.error("could not build the %s page:\n%s", spec.title, traceback.format_exc())
            page = _BrokenPage(spec, exc)
        page.setObjectName(f"page_{spec.key}")
        verified = getattr(page, "verified", None)
        if verified is not None:  # a check run on the Audit page updates the banner too
            if isinstance(page, Page):
                page.connect_tracked(verified, self.banner.show_result)
            else:
                verified.connect(self.banner.show_result)
        navigate = getattr(page, "navigate", None)
        if navigate is not None:
            if isinstance(page, Page):
                page.connect_tracked(navigate, self.navigate)
            else:
                navigate.connect(self.navigate)
        return page

    def navigate(self, key: str, target: Any = None) -> None:
        """The navigation contract: switch to page ``key`` and hand it ``target``."""
        page = self.show_page(key)
        if page is None:
            self.statusBar().showMessage(f"This build has no {key} page.", 5000)
            return
        opener = getattr(page, "open_target", None)
        if opener is not None and target is not None:
            opener(target)

    def refresh_current(self) -> None:
        page = self.current_page()
        if isinstance(page, Page):
            page.refresh()
        self.statusBar().showMessage("Reloaded from the database.", 3000)

    # --- the record's own check ------------------------------------------------------------
    def check_record(self) -> Any:
        """Run ``vrboard verify`` in the background (no dialog); a finding shows the red banner,
        a clean record a note in the status bar. Started once the window is open."""
        from ..services.access import exempt_refusal
        from .verify_check import start_check

        if not self.ctx.db.is_sqlite:
            with self.ctx.read() as s:
                if exempt_refusal(s, self.ctx.actor) is not None:
                    # the server shows this login only part of the trail (row-level security):
                    # the whole-record check is for those who can read all of it
                    return None

        def done(result: Any) -> None:
            self.banner.show_result(result)
            if result.ok:
                self.statusBar().showMessage(result.summary, 10000)

        task = start_check(self.ctx, self, done, show_dialog=False)
        task.failed.connect(lambda msg: self.statusBar().showMessage(
            f"Could not check the audit trail: {msg}", 15000))
        self._check_task = task
        return task

    def _on_data_changed(self, _topic: str) -> None:
        self.setWindowTitle(self._title())

    # --- status bar --------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.db_label = QLabel(f"Database: {self.ctx.db.label}", objectName="status_database")
        self.db_label.setToolTip(f"The database in use: {self.ctx.db.label}")
        self.db_label.setAccessibleName("Database in use")
        actor = self.ctx.actor
        self.user_label = QLabel(f"Signed in as {actor.name} · {actor.role.label}",
                                 objectName="status_user")
        self.user_label.setToolTip(_role_tip(self.ctx))
        self.user_label.setAccessibleName("Acting user and role")
        # No stretch: the left of the bar must stay free for messages ("Saved … (17 pages)"),
        # which Qt draws only in the space the permanent widgets leave.
        self.db_label.setMaximumWidth(360)
        self.db_label.setText(self.db_label.fontMetrics().elidedText(
            self.db_label.text(), Qt.TextElideMode.ElideMiddle, 360))
        bar.addPermanentWidget(self.db_label)
        bar.addPermanentWidget(self.user_label)

    def _title(self) -> str:
        try:
            from ..services.board import the_board

            with self.ctx.read() as s:
                name = the_board(s).name
        except Exception:  # noqa: BLE001 - a title is not worth an error dialog
            name = "Violence Reduction Board"
        return f"{name} — vrboard"

    # --- settings ----------------------------------------------------------------------------
    def _restore(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = s.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        last = str(s.value("window/page", "dashboard") or "dashboard")
        keys = self.page_keys()
        if keys:
            self.nav.setCurrentRow(keys.index(last) if last in keys else 0)
        self._land_owner()

    def _land_owner(self) -> None:
        """An owner opening the app lands on their own actions, overdue and due soon first."""
        actor = self.ctx.actor
        if actor.role is AccessRole.OWNER and actor.person_id is not None \
                and "actions" in self.page_keys():
            self.navigate("actions", {"owner_id": actor.person_id})

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        if self.current_key():
            s.setValue("window/page", self.current_key())
        for key, page in self.pages.items():
            for sp in page.findChildren(QSplitter):
                if sp.objectName():
                    s.setValue(f"splitters/{key}/{sp.objectName()}", sp.saveState())
        s.sync()

    def _restore_splitters(self, key: str, page: QWidget) -> None:
        for sp in page.findChildren(QSplitter):
            if sp.objectName():
                state = self.settings.value(f"splitters/{key}/{sp.objectName()}")
                if state is not None:
                    sp.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        from .tasks import running_tasks

        for t in running_tasks():  # work that only reads (the record's check) stops without asking
            if t.running and t.stops_silently:
                t.cancel()
        busy = [t for t in running_tasks() if t.running and not t.stops_silently]
        if busy:
            answer = QMessageBox.question(
                self, "Work still running",
                f"'{busy[0].title}' is still running. Cancel it and close vrboard?")
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            for t in busy:
                t.cancel()
        # Let cancelled work end before the database is closed under it (a thread still
        # holding a connection would hand it back to a closed pool, and leave it open).
        QThreadPool.globalInstance().waitForDone(5000)
        self.save_settings()
        self._closed = True
        if self.live is not None:
            self.live.stop()
        super().closeEvent(event)

    # --- small helpers used by WindowActions ------------------------------------------------
    def open_log_folder(self) -> None:
        from ..app import log_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def show_shortcuts(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "Keyboard shortcuts",
                          shortcuts_html(self.shortcut_lines()), QMessageBox.StandardButton.Close, self)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.exec()

    def shortcut_lines(self) -> list[str]:
        def line(act: QAction) -> str:
            seq = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            return f"{seq}\t{act.text().replace('&', '').rstrip('…')}" if seq else ""

        lines = ["Pages:"] + [f"{s.shortcut}\t{s.title}" for s in self.specs]
        lines += ["", "Everywhere:"] + [x for a in self.acts.all() if a.data() != "page" and (x := line(a))]
        page = self.current_page()
        here = [x for a in (page.actions() if page is not None else []) if (x := line(a))]
        if here:
            spec = self.specs[self.nav.currentRow()]
            lines += ["", f"On the {spec.title} page:"] + here
        return lines

    def about(self) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            ver = version("vrboard")
        except PackageNotFoundError:
            ver = "(development copy)"
        QMessageBox.about(
            self, "About vrboard",
            f"vrboard {ver}\n\nRuns a council's Violence Reduction Board: membership, "
            "meetings, actions, Excel round trips and PDF board packs.\n\n"
            f"Database: {self.ctx.db.label}")


def first_focusable(page: QWidget) -> QWidget | None:
    """The first control in the page's tab order that can take the keyboard focus."""
    w = page.nextInFocusChain()
    while w is not None and w is not page:
        if (page.isAncestorOf(w) and w.isVisible() and w.isEnabled()
                and w.focusPolicy() & Qt.FocusPolicy.TabFocus):
            return w
        w = w.nextInFocusChain()
    return None


def _role_tip(ctx: AppContext) -> str:
    allowed = [p.value for p in Perm if ctx.can(p)]
    return f"{ctx.actor.describe()} may: " + "; ".join(allowed) + "."


def refusal(perm: Perm, ctx: AppContext) -> str:
    return f"Only the {who_may(perm)} may {perm.value}; you are {ctx.actor.describe()}."


class _BrokenPage(QWidget):
    """Shown in place of a page whose construction failed: says so plainly."""

    def __init__(self, spec: PageSpec, exc: Exception) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        msg = QLabel(f"The {spec.title} page could not be opened: {exc}\n"
                     "The details are in the log file (Help > Open log folder).")
        msg.setWordWrap(True)
        lay.addWidget(msg)
        lay.addStretch(1)


def main_toolbar(window: MainWindow) -> QToolBar:
    bar = QToolBar("Main toolbar", window, objectName="main_toolbar")
    bar.setAccessibleName("Main toolbar")
    bar.setMovable(False)
    bar.setIconSize(QSize(20, 20))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar


def app_quit() -> None:
    QApplication.closeAllWindows()


def shortcuts_html(lines: list[str]) -> str:
    """The shortcut list as a two-column table: a tab in plain text ran "Ctrl+Shift+M" into
    "Minutes PDF" once the key name passed the tab stop."""
    out = ["<table cellspacing='0' cellpadding='2'>"]
    for line in lines:
        key, tab, what = line.partition("\t")
        if tab:
            out.append(f"<tr><td style='padding-right:18px'><b>{escape(key)}</b></td>"
                       f"<td>{escape(what)}</td></tr>")
        elif line:
            out.append(f"<tr><td colspan='2' style='padding-top:8px'><b>{escape(line)}</b></td></tr>")
    out.append("</table>")
    return "".join(out)
