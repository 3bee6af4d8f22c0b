"""UI fixtures: an AppContext on the demo board for each kind of user.

Qt warnings fail tests (qt_log_level_fail = WARNING in pyproject.toml); the
offscreen platform is set in tests/conftest.py before Qt is imported.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import actor
from vrboard.store import Database


def _ctx(db: Database, who: str):  # noqa: ANN202 - AppContext, imported lazily (Qt)
    from vrboard.ui.context import AppContext

    return AppContext(db, actor(db, who))


@pytest.fixture
def ctx(qapp, demo_db: Database) -> Iterator:  # noqa: ANN001
    """The secretariat (Ruth Kaplan) on the demo board."""
    yield _ctx(demo_db, "rkaplan")


@pytest.fixture
def chair_ctx(qapp, demo_db: Database) -> Iterator:  # noqa: ANN001
    """The chair (Cllr Zoë Adeyemi) on the demo board."""
    yield _ctx(demo_db, "zadeyemi")


@pytest.fixture
def owner_ctx(qapp, demo_db: Database) -> Iterator:  # noqa: ANN001
    """An action owner (Tom Fletcher) on the demo board."""
    yield _ctx(demo_db, "tfletcher")


@pytest.fixture
def viewer_ctx(qapp, demo_db: Database) -> Iterator:  # noqa: ANN001
    """A read-only viewer (Helen Marsh) on the demo board."""
    yield _ctx(demo_db, "hmarsh")


@pytest.fixture
def auto_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Records QMessageBox calls instead of blocking on them; returns (title, text) pairs."""
    from PySide6.QtWidgets import QMessageBox

    seen: list[tuple[str, str]] = []

    def fake(kind: str, default: object):  # noqa: ANN202
        def show(_parent, title, text, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
            seen.append((title, text))
            return default
        return show

    monkeypatch.setattr(QMessageBox, "warning", fake("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "critical", fake("critical", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "information", fake("information", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", fake("question", QMessageBox.StandardButton.Yes))
    return seen
