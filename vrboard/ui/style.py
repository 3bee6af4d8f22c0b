"""The look: Fusion, a calm light or dark palette following the system, one stylesheet, icons.

The stylesheet (resources/style/app.qss) takes its colours from the palette, so it reads
the same in light and dark. Icons are simple line drawings (resources/icons/*.svg) drawn in
one ink colour that is swapped for the palette's text colour when they are loaded.
"""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from ..resources import resource_path

INK = "#1f2933"  # the colour the SVG icons are drawn in, replaced at load time
ACCENT = "#1d70b8"


def _set(p: QPalette, role: QPalette.ColorRole, colour: str,
         disabled: str | None = None) -> None:
    p.setColor(QPalette.ColorGroup.All, role, QColor(colour))
    if disabled is not None:
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))


def light_palette() -> QPalette:
    R = QPalette.ColorRole  # noqa: N806
    p = QPalette()
    for role, colour, disabled in (
        (R.Window, "#f3f4f6", None), (R.WindowText, "#1f2933", "#9aa5b1"),
        (R.Base, "#ffffff", "#f3f4f6"), (R.AlternateBase, "#f7f8fa", None),
        (R.Text, "#1f2933", "#9aa5b1"), (R.Button, "#eceef1", None),
        (R.ButtonText, "#1f2933", "#9aa5b1"), (R.ToolTipBase, "#ffffff", None),
        (R.ToolTipText, "#1f2933", None), (R.PlaceholderText, "#616e7c", None),
        (R.Highlight, ACCENT, "#c5ccd4"), (R.HighlightedText, "#ffffff", None),
        (R.Link, "#1d70b8", None), (R.LinkVisited, "#4c2c92", None),
        (R.Light, "#ffffff", None), (R.Midlight, "#e4e7eb", None), (R.Mid, "#cbd2d9", None),
        (R.Dark, "#9aa5b1", None), (R.Shadow, "#52606d", None), (R.BrightText, "#d4351c", None),
    ):
        _set(p, role, colour, disabled)
    return p


def dark_palette() -> QPalette:
    R = QPalette.ColorRole  # noqa: N806
    p = QPalette()
    for role, colour, disabled in (
        (R.Window, "#1e2227", None), (R.WindowText, "#e4e7eb", "#7b8794"),
        (R.Base, "#16191d", "#1e2227"), (R.AlternateBase, "#23272d", None),
        (R.Text, "#e4e7eb", "#7b8794"), (R.Button, "#2a2f36", None),
        (R.ButtonText, "#e4e7eb", "#7b8794"), (R.ToolTipBase, "#2a2f36", None),
        (R.ToolTipText, "#e4e7eb", None), (R.PlaceholderText, "#9aa5b1", None),
        (R.Highlight, "#2a6db0", "#3e4c59"), (R.HighlightedText, "#ffffff", None),
        (R.Link, "#8fc1ee", None), (R.LinkVisited, "#c3a6f0", None),
        (R.Light, "#3e4c59", None), (R.Midlight, "#323840", None), (R.Mid, "#47505a", None),
        (R.Dark, "#101215", None), (R.Shadow, "#000000", None), (R.BrightText, "#ff8a75", None),
    ):
        _set(p, role, colour, disabled)
    return p


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def warning_colour(palette: QPalette | None = None) -> QColor:
    """Red text that stays legible on the palette's base colour (light or dark)."""
    return QColor("#ff8a75") if is_dark(palette) else QColor("#b42318")


def stylesheet() -> str:
    return resource_path("style", "app.qss").read_text(encoding="utf-8")


def apply_style(app: QApplication, dark: bool | None = None) -> None:
    """Fusion, the palette for the system's colour scheme (or ``dark`` when given), the sheet."""
    app.setStyle("Fusion")
    if dark is None:
        dark = system_prefers_dark()
    app.setPalette(dark_palette() if dark else light_palette())
    app.setStyleSheet(stylesheet())
    app.setWindowIcon(app_icon())
    icon.cache_clear()


def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons", "app.svg")))


@lru_cache(maxsize=128)
def _icon(name: str, colour: str) -> QIcon:
    from PySide6.QtSvg import QSvgRenderer  # only when an icon is first drawn

    path = resource_path("icons", name if name.endswith(".svg") else f"{name}.svg")
    if not path.exists():
        return QIcon()
    svg = path.read_text(encoding="utf-8").replace(INK, colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    out = QIcon()
    for size in (16, 20, 24, 32, 48):
        pm = QPixmap(size, size)
        pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pm)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        out.addPixmap(pm)
    return out


def icon(name: str, colour: str | None = None) -> QIcon:
    """An icon from resources/icons drawn in ``colour`` (default: the palette's text colour)."""
    if colour is None:
        colour = QApplication.palette().color(QPalette.ColorRole.WindowText).name()
    return _icon(name, colour)


icon.cache_clear = _icon.cache_clear  # type: ignore[attr-defined]
