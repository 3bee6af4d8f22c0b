"""The look: the same window legible in the light and the dark palettes; icons drawn in the
palette's ink."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from vrboard.resources import resource_path
from vrboard.ui import style
from vrboard.ui.main_window import MainWindow
from vrboard.ui.pages import PAGES


@pytest.fixture
def restore_look(qapp):  # noqa: ANN001
    palette, sheet, name = QApplication.palette(), qapp.styleSheet(), qapp.style().name()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setStyle(name)
    QApplication.setPalette(palette)
    style.icon.cache_clear()


def _luminance(c: QColor) -> float:
    def chan(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * chan(c.redF()) + 0.7152 * chan(c.greenF()) + 0.0722 * chan(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mean_lightness(img: QImage) -> float:
    total = n = 0
    for x in range(0, img.width(), 7):
        for y in range(0, img.height(), 7):
            total += QColor(img.pixel(x, y)).lightness()
            n += 1
    return total / n


@pytest.mark.parametrize("dark", [False, True])
def test_the_window_is_legible_in_both_palettes(qtbot, ctx, tmp_path: Path, restore_look, dark):
    app = QApplication.instance()
    style.apply_style(app, dark=dark)
    assert style.is_dark() is dark
    w = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    img = w.grab().toImage()
    assert img.width() == 1280
    lightness = _mean_lightness(img)
    assert (lightness < 110) if dark else (lightness > 170), lightness
    pal = w.palette()
    for fg, bg in ((QPalette.ColorRole.WindowText, QPalette.ColorRole.Window),
                   (QPalette.ColorRole.Text, QPalette.ColorRole.Base),
                   (QPalette.ColorRole.HighlightedText, QPalette.ColorRole.Highlight),
                   (QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Base)):
        assert contrast(pal.color(fg), pal.color(bg)) >= 4.5, (fg, bg)
    for label in w.statusBar().findChildren(QLabel):
        lp = label.palette()
        assert contrast(lp.color(QPalette.ColorRole.WindowText), lp.color(QPalette.ColorRole.Window)) >= 4.5
    warn = style.warning_colour()
    assert contrast(warn, pal.color(QPalette.ColorRole.Base)) >= 4.5


def test_every_page_and_work_item_has_an_icon_that_renders():
    for spec in PAGES:
        assert resource_path("icons", spec.icon).is_file(), spec.icon
    for name in ("import", "export", "pack", "minutes", "backup", "restore", "open", "refresh", "app"):
        assert resource_path("icons", f"{name}.svg").is_file(), name


def test_icons_take_the_palettes_ink(qapp, restore_look):
    light = style.icon("actions", "#1f2933").pixmap(24, 24).toImage()
    dark = style.icon("actions", "#e4e7eb").pixmap(24, 24).toImage()
    assert not light.isNull() and not dark.isNull()

    def darkest(img: QImage) -> int:
        return min(QColor.fromRgba(img.pixel(x, y)).lightness()
                   for x in range(24) for y in range(24) if QColor.fromRgba(img.pixel(x, y)).alpha() > 200)

    assert darkest(light) < 80 < darkest(dark)


def test_the_stylesheet_takes_its_colours_from_the_palette():
    sheet = style.stylesheet()
    assert "palette(highlight)" in sheet and "palette(base)" in sheet
    assert "#ffffff" not in sheet.lower()  # no fixed background that would break the dark palette
