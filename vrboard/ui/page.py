"""The base of every page: the context it works in, and connections it drops on close."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMetaObject, QObject
from PySide6.QtWidgets import QWidget

from ..changes import Change, topic_of
from .context import AppContext


class Page(QWidget):
    """A page in the main window. Subclasses set ``title``, ``icon`` (a file name under
    resources/icons) and ``shortcut``, build their widgets in ``__init__`` and reload
    from the database in ``refresh``."""

    title = "Page"
    icon = ""
    shortcut = ""
    #: the ``AppContext.changed`` topics this page shows; "" (everything) always refreshes
    topics: frozenset[str] = frozenset()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.title)
        self._connections: list[QMetaObject.Connection] = []
        self._stale = True
        self.connect_tracked(ctx.changed, self._on_changed)
        self.connect_tracked(ctx.remote_changes, self.apply_remote)
        self.destroyed.connect(self._drop_connections)

    def connect_tracked(self, signal: Any, slot: Any) -> None:
        """Connect, and disconnect again when this page is destroyed (Vorta's lesson)."""
        self._connections.append(signal.connect(slot))

    def _drop_connections(self) -> None:
        for conn in self._connections:
            try:
                QObject.disconnect(conn)
            except (RuntimeError, TypeError):
                pass
        self._connections.clear()

    def _on_changed(self, topic: str) -> None:
        if not topic or not self.topics or topic in self.topics:
            self._stale = True
            if self.isVisible():
                self.refresh_if_stale()

    def apply_remote(self, changes: list[Change]) -> None:
        """Someone else committed ``changes``: reload if they touch what this page shows.
        Pages with big tables override this to reload only the changed rows."""
        for topic in sorted({topic_of(c.entity) for c in changes}):
            self._on_changed(topic)

    def refresh_if_stale(self) -> None:
        if self._stale:
            self._stale = False
            self.refresh()

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh_if_stale()

    def refresh(self) -> None:
        """Reload what the page shows from the database."""

