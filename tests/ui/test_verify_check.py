"""The record's own check in the app: run in the background after opening, a red banner with
the first finding when it fails; the Audit page runs it on demand with progress."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy import select

from vrboard.model import Action, ActionStatus
from vrboard.ui.main_window import MainWindow
from vrboard.ui.pages.audit import AuditPage

SHOTS = os.environ.get("VRBOARD_SHOTS", "")  # a folder to keep the pictures in, to look at them


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _tamper(ctx) -> Action:  # noqa: ANN001
    """Change an action's title with the sqlite3 library, as someone with the shell would."""
    with ctx.read() as s:
        a = s.scalars(select(Action).where(Action.status == ActionStatus.IN_PROGRESS)
                      .order_by(Action.id)).first()
    with sqlite3.connect(ctx.db.url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE action SET title = 'Quietly rewritten' WHERE id = ?", (a.id,))
    return a


def _window(qtbot, ctx, settings) -> MainWindow:  # noqa: ANN001
    w = MainWindow(ctx, settings)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


def _keep(image, tmp_path: Path, name: str) -> Path:  # noqa: ANN001
    path = Path(SHOTS or tmp_path) / name
    assert image.save(str(path))
    return path


def test_a_tampered_record_shows_a_red_banner_naming_the_first_finding(qtbot, ctx, settings, tmp_path):
    a = _tamper(ctx)
    w = _window(qtbot, ctx, settings)
    assert not w.banner.isVisible()
    with qtbot.waitSignal(w.check_record().done, timeout=60000):
        pass
    assert w.banner.isVisible()
    text = w.banner.label.text()
    assert text.startswith(f"The record does not prove itself: action {a.id} ({a.reference}) was changed "
                           "outside vrboard: its title is 'Quietly rewritten', the audit trail expects")
    image = w.grab().toImage()
    _keep(image, tmp_path, "integrity-banner.png")
    top = w.banner.mapTo(w, w.banner.rect().topLeft())
    colour = image.pixelColor(top.x() + 4, top.y() + 4)
    assert colour.red() > 140 and colour.green() < 60 and colour.blue() < 60  # red, as it says
    # "Show on the Audit page" opens the page with every finding
    w.banner.details.click()
    assert w.current_key() == "audit"
    page = w.pages["audit"]
    assert page.verify_label.isVisible() and "Quietly rewritten" in page.verify_label.text()
    assert "Quietly rewritten" in page.detail.toPlainText()
    w.banner.dismiss.click()
    assert not w.banner.isVisible()


def test_a_sound_record_shows_no_banner_and_says_so_in_the_status_bar(qtbot, ctx, settings):
    w = _window(qtbot, ctx, settings)
    with qtbot.waitSignal(w.check_record().done, timeout=60000):
        pass
    assert not w.banner.isVisible()
    assert w.statusBar().currentMessage().startswith("Verified ")
    assert "audit entries, 0 issued documents, 0 signed minutes" in w.statusBar().currentMessage()


def test_the_audit_page_runs_the_check_on_demand_with_progress(qtbot, ctx, tmp_path):
    page = AuditPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.refresh_if_stale()
    steps = []
    task = page.run_verify()
    task.progressed.connect(lambda d, t, m: steps.append(m))
    assert not page.verify_button.isEnabled()  # one check at a time
    with qtbot.waitSignal(page.verified, timeout=60000) as got:
        pass
    assert got.args[0].ok
    assert "Comparing the record with the audit trail" in steps
    qtbot.waitUntil(page.verify_button.isEnabled)
    assert page.verify_label.text().startswith("✓ Verified ")
    # after a change made outside vrboard the same button finds it
    a = _tamper(ctx)
    with qtbot.waitSignal(page.verified, timeout=60000) as got:
        page.run_verify()
    assert not got.args[0].ok
    assert page.verify_label.text().startswith(f"✗ The record does not prove itself: action {a.id}")
    _keep(page.grab().toImage(), tmp_path, "audit-verify.png")


def test_closing_the_window_during_the_check_does_not_ask(qtbot, ctx, settings, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a,
                        **k: asked.append(a) or QMessageBox.StandardButton.No)
    w = _window(qtbot, ctx, settings)
    task = w.check_record()
    w.close()
    assert not asked
    qtbot.waitUntil(lambda: not task.running, timeout=60000)
