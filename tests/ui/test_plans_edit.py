"""Plans from the Plans page: add, edit, close."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from vrboard.model import Plan


def _page(qtbot, ctx):  # noqa: ANN001, ANN202
    from vrboard.ui.pages.plans import PlansPage

    p = PlansPage(ctx)
    qtbot.addWidget(p)
    p.show()
    p.refresh()
    return p


def test_add_edit_and_close_a_plan(qtbot, ctx, monkeypatch) -> None:  # noqa: ANN001
    page = _page(qtbot, ctx)
    page.open_plan_dialog(None)
    dlg = page.dialog
    dlg.code.setText("svds")
    dlg.name.setText("Serious Violence Duty strategy")
    dlg.period.setText("2026-29")
    dlg.prefix.setText("sv")
    dlg.start.set_date_value(dt.date(2026, 4, 1))
    with qtbot.waitSignal(dlg.finished):
        dlg.save()
    assert page.current().code == "SVDS"
    page.open_plan_dialog("SVDS")
    edit = page.dialog
    assert edit.name.text() == "Serious Violence Duty strategy" and edit.end.date_value() is None
    edit.name.setText("Serious Violence Duty strategy 2026-29")
    with qtbot.waitSignal(edit.finished):
        edit.save()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.select("SVDS")
    page.close_plan()
    with ctx.read() as s:
        plan = s.scalars(select(Plan).where(Plan.code == "SVDS")).one()
        assert plan.name.endswith("2026-29") and plan.reference_prefix == "SV"
        assert plan.period_start == dt.date(2026, 4, 1) and plan.period_end == dt.date.today()


def test_a_viewer_cannot_change_plans(qtbot, viewer_ctx) -> None:  # noqa: ANN001
    page = _page(qtbot, viewer_ctx)
    assert not page.new_button.isEnabled() and not page.close_button.isEnabled()
    assert "may change plans" in page.new_button.toolTip()


def test_a_period_date_typed_wrongly_is_refused_by_name(qtbot, ctx, auto_dialogs) -> None:  # noqa: ANN001
    page = _page(qtbot, ctx)
    page.open_plan_dialog(None)
    dlg = page.dialog
    dlg.code.setText("bad")
    dlg.name.setText("A plan with a bad date")
    qtbot.keyClicks(dlg.start.edit, "31/02/2027")
    dlg.save()
    assert dlg.isVisible() and auto_dialogs, "the dialog stays open and says why"
    title, text = auto_dialogs[-1]
    assert "31/02/2027" in text
    with ctx.read() as s:
        assert s.scalars(select(Plan).where(Plan.code == "BAD")).first() is None
