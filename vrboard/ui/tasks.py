"""The one background-task helper: slow work (import, export, pack, backup) off the UI thread.

``run_task`` starts ``work(progress)`` on a worker thread from Qt's global thread pool and
shows a ``QProgressDialog``. The work calls ``progress(done, total, message)`` now and then;
when the user presses Cancel the next call raises ``Cancelled`` and the work stops, leaving
nothing half-written (the services roll back). The result, or the error in plain words,
comes back to the UI thread through queued signals; the UI thread never waits on the work.

``run_session_task`` is the same with a fresh database session opened by the worker (a
transaction when the work writes), and the acting user passed in.
"""
from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget
from sqlalchemy.orm import Session

from ..errors import VrboardError
from ..explain import describe, technical
from ..progress import Cancelled, Progress
from ..services.context import Actor
from .context import AppContext

log = logging.getLogger(__name__)

#: tasks still running, kept alive until their result has been delivered
_RUNNING: set[BackgroundTask] = set()


class _Signals(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str, bool)  # message, cancelled


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], signals: _Signals, cancel: threading.Event,
                 what: str) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._signals = signals
        self._cancel = cancel
        self._what = what

    def _progress(self, done: int, total: int, message: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self._signals.progress.emit(int(done), int(total), str(message))

    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except Cancelled as exc:
            self._signals.failed.emit(str(exc), True)
        except VrboardError as exc:
            self._signals.failed.emit(str(exc), False)
        except Exception as exc:  # noqa: BLE001 - shown in plain words, traceback to the log
            log.error("%s failed:\n%s", self._what, traceback.format_exc())
            message = describe(exc)  # the database busy or out of reach, a disk full...
            if message is None:
                message = (f"Something went wrong while trying to {self._what} ({technical(exc)}). "
                           "Nothing was changed. The details are in the log file (Help > Open "
                           "log folder).")
            self._signals.failed.emit(message, False)
        else:
            if self._cancel.is_set():
                self._signals.failed.emit(str(Cancelled()), True)
            else:
                self._signals.succeeded.emit(result)


class BackgroundTask(QObject):
    """One piece of slow work in flight. Emits ``done(result)``, ``failed(message)`` or
    ``cancelled()`` exactly once, on the UI thread, then ``finished()``."""

    progressed = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()
    #: work that only reads (the record's check): closing the window cancels it without asking
    stops_silently = False

    def __init__(self, parent: QWidget | None, title: str, what: str,
                 work: Callable[[Progress], Any], *, show_dialog: bool = True,
                 show_errors: bool = True) -> None:
        super().__init__(None)
        self.title = title
        self.what = what
        self._parent = parent
        self._show_errors = show_errors
        self._cancel = threading.Event()
        self._signals = _Signals()
        self._signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._signals.succeeded.connect(self._on_succeeded, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._runnable = _Runnable(work, self._signals, self._cancel, what)
        self.result: Any = None
        self.error: str | None = None
        self.was_cancelled = False
        self.running = False
        self.dialog: QProgressDialog | None = None
        if show_dialog:
            self.dialog = self._make_dialog(parent, title, what)

    # --- the dialog ---------------------------------------------------------------------------
    def _make_dialog(self, parent: QWidget | None, title: str, what: str) -> QProgressDialog:
        dlg = QProgressDialog(f"Preparing to {what}…", "Cancel", 0, 0, parent)
        dlg.setWindowTitle(title)
        dlg.setAccessibleName(f"{title} progress")
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(300)  # quick work finishes without a flash of a dialog
        dlg.setMinimumWidth(420)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.canceled.connect(self.cancel)
        return dlg

    # --- control ------------------------------------------------------------------------------
    def start(self) -> BackgroundTask:
        _RUNNING.add(self)
        self.running = True
        QThreadPool.globalInstance().start(self._runnable)
        return self

    @Slot()
    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        if not self.running or self._cancel.is_set():
            return
        self._cancel.set()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling… the work stops at a safe point.")

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    # --- results, on the UI thread -------------------------------------------------------------
    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progressed.emit(done, total, message)  # first: the dialog below may process events
        dlg = self.dialog
        if dlg is not None and not self._cancel.is_set():
            if message:
                dlg.setLabelText(message)
            dlg.setMaximum(max(total, 0))
            # setValue on a modal progress dialog processes events: the result may arrive
            # (and close the dialog) inside this call, so nothing touches it afterwards
            dlg.setValue(max(0, min(done, total)) if total > 0 else 0)

    @Slot(object)
    def _on_succeeded(self, result: Any) -> None:
        self.result = result
        self._close()
        self.done.emit(result)
        self._finish()

    @Slot(str, bool)
    def _on_failed(self, message: str, cancelled: bool) -> None:
        self._close()
        if cancelled:
            self.was_cancelled = True
            self.cancelled.emit()
        else:
            self.error = message
            if self._show_errors:
                QMessageBox.warning(self._parent, f"Could not {self.what}", message)
            self.failed.emit(message)
        self._finish()

    def _close(self) -> None:
        self.running = False
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    def _finish(self) -> None:
        self.finished.emit()
        # drop our reference once the queued signals have all been delivered
        QTimer.singleShot(0, lambda: _RUNNING.discard(self))


def run_task(parent: QWidget | None, title: str, what: str, work: Callable[[Progress], Any],
             on_done: Callable[[Any], None] | None = None, *, show_dialog: bool = True,
             show_errors: bool = True) -> BackgroundTask:
    """Run ``work(progress)`` off the UI thread; call ``on_done(result)`` on the UI thread.

    ``what`` completes "Could not …" in the error dialog ("export the trackers")."""
    task = BackgroundTask(parent, title, what, work, show_dialog=show_dialog, show_errors=show_errors)
    if on_done is not None:
        task.done.connect(on_done)
    return task.start()


def run_session_task(ctx: AppContext, parent: QWidget | None, title: str, what: str,
                     work: Callable[[Session, Actor, Progress], Any],
                     on_done: Callable[[Any], None] | None = None, *, writes: bool = False,
                     changed: str = "", show_dialog: bool = True) -> BackgroundTask:
    """``run_task`` with a session of its own: a transaction that commits at the end when
    ``writes`` (rolled back whole on error or cancel), else a read-only session. After a
    successful write the context's ``changed`` signal tells the pages to refresh."""
    db, actor = ctx.db, ctx.actor

    def in_session(progress: Progress) -> Any:
        if writes:
            with db.transaction() as session:
                return work(session, actor, progress)
        with db.session() as session:
            return work(session, actor, progress)

    task = BackgroundTask(parent, title, what, in_session, show_dialog=show_dialog)
    if writes:
        task.done.connect(lambda _result: ctx.changed.emit(changed))
    if on_done is not None:
        task.done.connect(on_done)
    return task.start()


def running_tasks() -> list[BackgroundTask]:
    return list(_RUNNING)
