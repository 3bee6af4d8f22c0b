"""``python -m vrboard.ui.screenshots OUTDIR`` grabs every page at 1280x800 for the README."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from vrboard.ui import screenshots, style
from vrboard.ui.pages import available_specs


def test_a_png_of_every_page_light_and_two_dark(qapp, tmp_path: Path):
    palette, sheet, name = QApplication.palette(), qapp.styleSheet(), qapp.style().name()
    try:
        saved = screenshots.take(tmp_path)
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setStyle(name)
        QApplication.setPalette(palette)
        style.icon.cache_clear()
    names = {p.name for p in saved}
    assert {f"{s.key}.png" for s in available_specs()} <= names
    assert {"dashboard-dark.png", "actions-dark.png"} <= names
    assert {f"{k}-1024.png" for k in screenshots.SMALL_PAGES} <= names
    for path in saved:
        img = QImage(str(path))
        size = screenshots.SMALL if path.stem.endswith("-1024") else screenshots.SIZE
        assert (img.width(), img.height()) == size, path.name


def test_usage_without_an_output_folder(capsys):
    assert screenshots.main([]) == 2
    assert "usage" in capsys.readouterr().err
