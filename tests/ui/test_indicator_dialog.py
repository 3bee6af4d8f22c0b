"""Adding and editing an indicator from the Indicators page."""
from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from vrboard.model import Indicator, Workstream


def test_add_then_edit_an_indicator(qtbot, ctx) -> None:  # noqa: ANN001
    from vrboard.ui.indicators.indicator_dialog import IndicatorDialog

    dlg = IndicatorDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.code.setText("PF99")
    dlg.name.setText("Hospital admissions for assault with a sharp object, under-25s")
    dlg.unit.setText("admissions")
    dlg.target.setText("1,200")
    dlg.source.setText("NHS Hospital Episode Statistics")
    dlg.workstream.setCurrentIndex(dlg.workstream.findText("WS4", Qt.MatchFlag.MatchStartsWith))
    dlg.save()
    assert dlg.saved_id is not None
    with ctx.read() as s:
        ind = s.get(Indicator, dlg.saved_id)
        assert (ind.code, ind.unit, ind.target, ind.higher_is_better) == (
            "PF99", "admissions", 1200.0, False)
        assert s.get(Workstream, ind.workstream_id).code == "WS4"
    edit = IndicatorDialog(ctx, None, dlg.saved_id)
    qtbot.addWidget(edit)
    assert edit.code.text() == "PF99" and edit.target.text() == "1200"
    edit.target.setText("")
    edit.higher.setChecked(True)
    edit.save()
    with ctx.read() as s:
        ind = s.get(Indicator, dlg.saved_id)
        assert ind.target is None and ind.higher_is_better


def test_bad_values_are_refused_plainly(qtbot, ctx, auto_dialogs) -> None:  # noqa: ANN001
    from vrboard.ui.indicators.indicator_dialog import IndicatorDialog

    dlg = IndicatorDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.code.setText("PF01")  # already used by the demo
    dlg.name.setText("Duplicate")
    dlg.save()
    dlg.target.setText("about ten")
    dlg.save()
    assert dlg.saved_id is None
    assert [t for t, _ in auto_dialogs] == ["Could not add the indicator", "Indicator"]
    assert "PF01 is already used" in auto_dialogs[0][1]
    assert "'about ten' is not a number" in auto_dialogs[1][1]
    with ctx.read() as s:
        assert len(s.scalars(select(Indicator).where(Indicator.code == "PF01")).all()) == 1
