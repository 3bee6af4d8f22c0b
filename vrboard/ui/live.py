"""Other people's saved changes appear in open windows within a second or two.

``LiveUpdates`` wraps the Qt-free ``changes.ChangeFeed``: on PostgreSQL it watches the
feed's LISTEN socket with a ``QSocketNotifier`` (and every few seconds re-listens if the
connection dropped, then catches up from the last change it saw); on SQLite a timer asks
``PRAGMA data_version``. New changes by anyone but this window's user go out through
``AppContext.remote_changes``; pages reload only what changed, and an open edit dialog says
who changed its record before the user saves.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from sqlalchemy.exc import SQLAlchemyError

from ..changes import BATCH, ChangeFeed
from ..errors import VrboardError
from .context import AppContext

log = logging.getLogger(__name__)
SQLITE_INTERVAL_MS = 400
SERVER_CATCH_UP_MS = 5000


class LiveUpdates(QObject):
    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.feed = ChangeFeed(ctx.db)
        self.notifier: QSocketNotifier | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        if ctx.db.is_sqlite:
            self.timer.start(SQLITE_INTERVAL_MS)
        else:
            self._listen()
            self.timer.start(SERVER_CATCH_UP_MS)
        feed = self.feed  # not a bound method: the wrapper may be gone when Qt destroys this
        self.destroyed.connect(lambda *_: feed.close())

    def _listen(self) -> None:
        if self.notifier is not None:
            self.notifier.setEnabled(False)
            self.notifier.deleteLater()
            self.notifier = None
        fd = self.feed.listen()
        if fd is not None:
            self.notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
            self.notifier.activated.connect(self._on_socket)

    def _on_socket(self) -> None:
        if self.feed.drain_notifications():
            self.check()
        if not self.feed.listening:
            self._listen()

    def _tick(self) -> None:
        if self.ctx.db.is_sqlite:
            if self.feed.sqlite_changed():
                self.check()
            return
        if not self.feed.listening:
            self._listen()
        self.check()  # catch up on anything a dropped connection missed

    def check(self) -> None:
        """Read what was committed since the last look and tell the pages."""
        try:
            changes = self.feed.poll()
        except (SQLAlchemyError, VrboardError) as exc:  # the server is away: try at the next tick
            log.info("live updates: could not read changes: %s", exc)
            return
        mine = self.ctx.actor.person_id
        others = [c for c in changes if c.actor_id is None or c.actor_id != mine]
        if others:
            self.ctx.remote_changes.emit(others)
        if len(changes) == BATCH:
            QTimer.singleShot(0, self.check)

    def stop(self) -> None:
        self.timer.stop()
        if self.notifier is not None:
            self.notifier.setEnabled(False)
        self.feed.close()
