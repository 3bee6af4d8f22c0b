"""Progress reporting and cancellation for slow work (import, export, pack, backup).

Long-running functions take ``progress: Progress | None``. They call
``progress(done, total, message)`` now and then; the callback raises ``Cancelled``
when the user pressed Cancel, and the work stops, leaving nothing half-written.
The command line passes ``None``; the app passes a callback from its task runner.
"""
from __future__ import annotations

from typing import Protocol

from .errors import VrboardError


class Cancelled(VrboardError):
    """The user cancelled; nothing was written."""

    def __init__(self, message: str = "Cancelled; nothing was written.") -> None:
        super().__init__(message)


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


def report(progress: Progress | None, done: int, total: int, message: str = "") -> None:
    if progress is not None:
        progress(done, total, message)
