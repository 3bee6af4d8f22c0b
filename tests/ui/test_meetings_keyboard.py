"""Keyboard and screen-reader basics of the Board and Meetings pages, and the navigation
contract through the real main window."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _show(qtbot, page: QWidget) -> QWidget:  # noqa: ANN001
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def _unnamed(page: QWidget) -> list[str]:
    """Input controls a screen reader would announce without a name."""
    kinds = (QAbstractItemView, QComboBox, QLineEdit, QPlainTextEdit, QAbstractSpinBox)
    out = []
    for w in page.findChildren(QWidget):
        if not isinstance(w, kinds):
            continue
        parent, inside = w.parentWidget(), False
        while parent is not None and parent is not page:
            if isinstance(parent, QComboBox | QAbstractSpinBox | QAbstractItemView):
                inside = True  # the combo's own list, an item editor...
                break
            parent = parent.parentWidget()
        if not inside and not w.accessibleName():
            out.append(f"{type(w).__name__} {w.objectName()!r}")
    return out


def test_every_control_on_both_pages_has_an_accessible_name(qtbot, ctx) -> None:  # noqa: ANN001
    from vrboard.ui.pages.board import BoardPage
    from vrboard.ui.pages.meetings import MeetingsPage

    for page in (BoardPage(ctx), MeetingsPage(ctx)):
        _show(qtbot, page)
        assert _unnamed(page) == []
        assert page.accessibleName() == page.title


def test_alt_number_switches_the_meeting_tabs(qtbot, ctx) -> None:  # noqa: ANN001
    from vrboard.ui.pages.meetings import MeetingsPage

    page = _show(qtbot, MeetingsPage(ctx))
    page.list.setFocus()
    for n, widget in ((2, page.agenda), (3, page.attendance), (4, page.declarations),
                      (5, page.minutes), (1, page.details)):
        qtbot.keyClick(page.list, getattr(Qt.Key, f"Key_{n}"), Qt.KeyboardModifier.AltModifier)
        assert page.tabs.currentWidget() is widget


def test_ctrl_n_adds_a_member_on_the_board_page(qtbot, ctx) -> None:  # noqa: ANN001
    from vrboard.ui.pages.board import BoardPage

    page = _show(qtbot, BoardPage(ctx))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.dialog is not None and page.dialog.windowTitle() == "Add a member"
    page.dialog.reject()


def test_the_main_window_opens_a_meeting_by_the_navigation_contract(qtbot, ctx,  # noqa: ANN001
                                                                   tmp_path: Path) -> None:
    from vrboard.ui.main_window import MainWindow
    from vrboard.ui.pages.meetings import MeetingsPage

    w = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    w.navigate("meetings", {"meeting_id": 1, "tab": "minutes"})
    page = w.current_page()
    assert isinstance(page, MeetingsPage) and w.current_key() == "meetings"
    assert page.detail is not None and page.detail.id == 1
    assert page.tabs.currentWidget() is page.minutes
    page.open_target({"meeting_id": 999})  # a meeting that is not there: nothing breaks
    assert page.detail is None and page.empty.isVisible()
    assert "no longer in the record" in page.empty.text()
    assert not page.list.selectionModel().selectedRows()
    page.open_target("not a target")
