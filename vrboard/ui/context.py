"""What every page needs: the open database, the acting user, and one way to save.

``AppContext.run`` runs a service call in its own transaction and turns every error it
raises into a plain-words dialog (a conflict offers to reload; database and disk errors are
put in words by ``vrboard.explain``); the
``changed`` signal then tells the other pages to refresh. No globals: the main
window creates one context and passes it into each page's constructor.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.orm import Session

from ..errors import ConflictError, VrboardError
from ..explain import describe, technical
from ..services.context import Actor, Perm, can, chair_status
from ..store import Database

T = TypeVar("T")
log = logging.getLogger(__name__)


class AppContext(QObject):
    #: emitted after a successful change; the argument names what changed
    #: ("action", "meeting", "board", "indicator", "" for everything)
    changed = Signal(str)
    #: emitted when a conflict dialog asked to reload
    reload_requested = Signal()
    #: other people's committed changes (a list of ``changes.Change``), from ``ui.live``
    remote_changes = Signal(object)

    def __init__(self, db: Database, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor

    # --- reading ------------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short-lived session for reading; objects stay usable after it closes."""
        with self.db.session() as session:
            yield session

    @property
    def today(self) -> dt.date:
        return dt.date.today()

    # --- permissions, for enabling controls and explaining why not -------------------------
    def can(self, perm: Perm) -> bool:
        return can(self.actor, perm)

    def chair_refusal(self) -> str | None:
        """None when the acting user may act as chair, else why not."""
        with self.read() as s:
            return chair_status(s, self.actor)

    # --- writing ------------------------------------------------------------------------------
    def run(self, parent: QWidget | None, what: str, fn: Callable[[Session, Actor], T],
            changed: str = "") -> T | None:
        """Run ``fn(session, actor)`` in one transaction. On success emit ``changed`` and
        return the result; on a refusal show it in plain words and return None."""
        try:
            with self.db.transaction() as session:
                result = fn(session, self.actor)
        except ConflictError as exc:
            box = QMessageBox(QMessageBox.Icon.Warning, f"Could not {what}", str(exc),
                              QMessageBox.StandardButton.Ok, parent)
            reload_btn = box.addButton("Reload", QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(reload_btn)
            box.exec()
            if box.clickedButton() is reload_btn:
                self.reload_requested.emit()
                self.changed.emit("")
            return None
        except VrboardError as exc:
            show_error(parent, f"Could not {what}", str(exc))
            return None
        except Exception as exc:  # noqa: BLE001 - a database or disk error, or a fault of ours
            # Whatever a save raises, the user reads it in plain words and the dialog that
            # called stays open with what they typed (the caller sees None: not saved).
            log.error("Could not %s", what, exc_info=True)
            message = describe(exc)
            if message is None:
                message = (f"Something unexpected went wrong ({technical(exc)}). Nothing was "
                           "saved; what you typed is still here. The details are in the log file "
                           "(Help > Open log folder).")
            show_error(parent, f"Could not {what}", message)
            return None
        self.changed.emit(changed)
        return result


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.warning(parent, title, message)


def form_values(parent: QWidget | None, what: str, read: Callable[[], T]) -> T | None:
    """Read a form's values before saving; a field that cannot be read (a date that is not a
    date) is shown by name and None is returned, so the dialog stays open with what was typed."""
    try:
        return read()
    except VrboardError as exc:
        show_error(parent, f"Could not {what}", str(exc))
        return None
