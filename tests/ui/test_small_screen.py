"""Every main page is usable on a small laptop screen (1024x700): no visible widget sticks
out of its parent's visible area, unless it sits inside a scroll area (which scrolls to it)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QTabWidget, QWidget

from vrboard.ui.main_window import MainWindow

SIZE = (1024, 700)


def _scrolled(w: QWidget) -> bool:
    """Inside a scroll area's viewport: the area scrolls to it, so it may lie beyond."""
    p = w.parentWidget()
    while p is not None:
        area = p.parentWidget()
        if isinstance(area, QAbstractScrollArea) and area.viewport() is p:
            return True
        p = p.parentWidget()
    return False


def clipped(root: QWidget) -> list[str]:
    out = []
    for w in root.findChildren(QWidget):
        parent = w.parentWidget()
        if parent is None or not w.isVisible() or w.isWindow() or _scrolled(w):
            continue
        g = w.geometry()
        if g.width() <= 0 or g.height() <= 0:
            continue
        if isinstance(w, QAbstractButton) and w.text():
            # the words themselves, not the style's preferred padding (which varies by style)
            words = w.fontMetrics().horizontalAdvance(w.text().replace("&", "")) + 8
            if g.width() < words:
                out.append(f"{type(w).__name__} {w.text()!r} is {g.width()} px wide and its "
                           f"words need {words}: they are cut")
        if not parent.rect().contains(g):
            name = w.accessibleName() or w.objectName() or getattr(w, "text", lambda: "")()
            out.append(f"{type(w).__name__} {name!r} at {g.getRect()} outside "
                       f"{type(parent).__name__} {parent.objectName()!r} {parent.rect().getRect()}")
    return out


@pytest.fixture
def window(qtbot, ctx, tmp_path):  # noqa: ANN001, ANN201
    w = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(*SIZE)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_every_page_fits_at_1024x700(window) -> None:  # noqa: ANN001
    problems: dict[str, list[str]] = {}
    for key in window.page_keys():
        window.show_page(key)
        for _ in range(3):
            QApplication.processEvents()
        assert window.width() <= SIZE[0] and window.height() <= SIZE[1], \
            f"the {key} page made the window grow to {window.width()}x{window.height()}"
        page = window.current_page()
        found = clipped(page)
        for tabs in page.findChildren(QTabWidget):  # every tab, not only the one open first
            if not tabs.isVisible():
                continue
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                for _ in range(3):
                    QApplication.processEvents()
                found += [f"tab {tabs.tabText(i)!r}: {p}" for p in clipped(page)]
        if found:
            problems[key] = sorted(set(found))
    assert not problems, "\n".join(f"{k}: {p}" for k, v in problems.items() for p in v)


def test_the_check_sees_a_clipped_widget(qtbot) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QLabel

    root = QWidget()
    qtbot.addWidget(root)
    root.resize(100, 100)
    label = QLabel("cut off", root)
    label.setGeometry(60, 10, 80, 20)
    root.show()
    assert len(clipped(root)) == 1 and "QLabel 'cut off'" in clipped(root)[0]


def test_the_check_sees_a_button_whose_words_are_cut(qtbot) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QPushButton

    root = QWidget()
    qtbot.addWidget(root)
    root.resize(300, 100)
    button = QPushButton("Create action from this decision…", root)
    button.setGeometry(10, 10, 60, 30)
    root.show()
    assert any("they are cut" in p for p in clipped(root))
