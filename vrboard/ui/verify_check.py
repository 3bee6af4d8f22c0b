"""Checking the record from the app: ``vrboard verify`` in the background, and the red banner.

The main window runs the check once after opening (no dialog: the user carries on working)
and shows ``IntegrityBanner`` when it finds anything; the Audit page runs it on demand with
a progress dialog. Both go through the one background-task helper (``ui.tasks``) and the one
service (``services.verify``).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ..progress import Progress
from ..services.verify import VerifyResult
from .context import AppContext
from .tasks import BackgroundTask

BANNER_STYLE = """
QFrame#integrity_banner { background: #a4161a; border: none; }
QFrame#integrity_banner QLabel { color: #ffffff; font-weight: 600; background: transparent; }
QFrame#integrity_banner QPushButton { color: #ffffff; background: #7a1014; border: 1px solid #ffffff;
                                      border-radius: 3px; padding: 3px 10px; }
QFrame#integrity_banner QPushButton:hover { background: #5c0b0e; }
"""


def start_check(ctx: AppContext, parent: QWidget | None, on_done: Callable[[VerifyResult], None], *,
                show_dialog: bool) -> BackgroundTask:
    """Run ``verify`` off the UI thread in a read-only session of its own."""
    db, actor = ctx.db, ctx.actor

    def work(progress: Progress) -> VerifyResult:
        from ..services.verify import verify

        with db.session() as session:
            return verify(session, actor, progress=progress)

    task = BackgroundTask(parent, "Verify the record", "check the audit trail", work,
                          show_dialog=show_dialog, show_errors=show_dialog)
    task.stops_silently = True
    task.done.connect(on_done)
    return task.start()


def finding_text(result: VerifyResult) -> str:
    """The first finding, and how many more there are."""
    if result.ok:
        return result.summary
    more = len(result.findings) - 1
    tail = f" (and {more:,} more finding{'s' if more != 1 else ''})" if more else ""
    return f"{result.findings[0]}{tail}"


class IntegrityBanner(QFrame):
    """A red strip across the top of the window: the record does not prove itself."""

    #: the user asked to see the findings on the Audit page
    details_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="integrity_banner")
        self.setStyleSheet(BANNER_STYLE)
        self.setAccessibleName("Audit trail warning")
        self.result: VerifyResult | None = None
        lay = QHBoxLayout(self)
        lay.setContentsMargins(14, 8, 10, 8)
        self.label = QLabel(objectName="integrity_message")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName("What the check found")
        self.details = QPushButton("Show on the Audit page", objectName="integrity_details")
        self.details.clicked.connect(lambda: self.details_requested.emit(self.result))
        self.dismiss = QPushButton("Dismiss", objectName="integrity_dismiss")
        self.dismiss.setAccessibleName("Hide this warning")
        self.dismiss.clicked.connect(self.hide)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.details)
        lay.addWidget(self.dismiss)
        self.hide()

    def show_result(self, result: Any) -> None:
        """Show the first finding of ``result``; hide when it found nothing."""
        self.result = result
        if not isinstance(result, VerifyResult) or result.ok:
            self.hide()
            return
        self.label.setText("The record does not prove itself: " + finding_text(result))
        self.label.setToolTip("\n".join(str(f) for f in result.findings[:20]))
        self.show()
