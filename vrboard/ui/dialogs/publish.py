"""Board > Publish…: the public record as a static website, into a folder the user picks.

Runs the same service as ``vrboard publish`` in the background (progress and cancel), and
says on the status bar what was written. A folder holding other files is refused before
anything starts (a site published there before is replaced)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox
from sqlalchemy.orm import Session

from ...errors import VrboardError
from ...progress import Progress
from ...services.context import Actor
from ..context import AppContext
from ..tasks import BackgroundTask, run_session_task
from .common import documents_dir

TITLE = "Publish to the web"


def ask_folder(parent: QMainWindow) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(
        parent, "Publish the public record into a folder (new, empty, or published before)",
        str(documents_dir()))
    return Path(chosen) if chosen else None


def start_publish(ctx: AppContext, parent: QMainWindow, folder: Path | None = None) -> BackgroundTask | None:
    from ...web import check_folder

    folder = folder or ask_folder(parent)
    if folder is None:
        return None
    try:
        target = check_folder(folder)
    except VrboardError as exc:
        QMessageBox.warning(parent, TITLE, str(exc))
        return None
    parent.statusBar().showMessage(f"Publishing the public record to {target}…")

    def work(session: Session, _actor: Actor, progress: Progress) -> object:
        from ...web import publish_site

        return publish_site(session, target, progress=progress)

    def done(result: object) -> None:
        parent.statusBar().showMessage(
            f"Published {result.meetings} meetings ({result.pages} pages, {result.files} files) "  # type: ignore[attr-defined]
            f"to {result.path}.", 15000)  # type: ignore[attr-defined]

    task = run_session_task(ctx, parent, TITLE, "publish the website", work, done)
    task.failed.connect(lambda _msg: parent.statusBar().showMessage("Publishing failed; nothing was "
                                                                    "written.", 15000))
    return task
