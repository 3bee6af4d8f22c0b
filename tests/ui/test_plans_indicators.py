"""The Plans and Indicators pages."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from vrboard.model import Indicator
from vrboard.ui.pages.indicators import IndicatorsPage, ValueDialog, next_period
from vrboard.ui.pages.plans import PlansPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _show(qtbot, page):  # noqa: ANN001, ANN202
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_plans_with_period_and_counts(qtbot, qtmodeltester, ctx):  # noqa: ANN001
    page = _show(qtbot, PlansPage(ctx))
    m = page.model
    qtmodeltester.check(m)
    codes = [m.row(r).code for r in range(m.rowCount())]
    assert sorted(codes) == ["BSC", "KCAP", "SLAP", "VAWG"]
    page.open_target({"plan_code": "KCAP"})
    kcap = page.current()
    assert kcap.code == "KCAP" and kcap.total == page.panel.model.rowCount() > 0
    assert sum(kcap.by_rag.values()) == kcap.open
    plans = {page.panel.model.row_tuple(r)[11] for r in range(page.panel.model.rowCount())}
    assert all("KCAP" in p for p in plans)
    with qtbot.waitSignal(page.navigate) as sig:
        page.panel.open_button.click()
    assert sig.args == ["actions", {"plan_code": "KCAP"}]


def test_indicator_values_table_and_chart(qtbot, qtmodeltester, ctx):  # noqa: ANN001
    from sqlalchemy import func, select

    from vrboard.model import Indicator

    page = _show(qtbot, IndicatorsPage(ctx))
    with ctx.read() as s:  # every indicator in use (the demo's seven and its Home Office template)
        active = s.scalar(select(func.count()).select_from(Indicator).where(Indicator.retired_on.is_(None)))
    assert page.model.rowCount() == active == 8
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.values)
    r = page.current()
    assert page.values.rowCount() == len(r.values) == 6
    text = page.chart.accessibleDescription()
    assert r.values[-1][0] in text and "Target" in text
    image = page.chart.grab().toImage()
    assert image.width() > 300
    # the chart draws: something other than the background colour is on it
    bg = image.pixelColor(2, 2)
    assert any(image.pixelColor(x, y) != bg for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7))


def test_secretariat_adds_and_corrects_a_value(qtbot, ctx, monkeypatch):  # noqa: ANN001
    page = _show(qtbot, IndicatorsPage(ctx))
    r = page.current()
    new = next_period(r.values[-1][0])

    def fill(dlg: ValueDialog) -> int:
        assert dlg.period.text() == new  # the next period is offered
        dlg.value.setValue(17)
        dlg.note.setText("Provisional")
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(ValueDialog, "exec", fill)
    page.add_button.click()
    assert page.current().values[-1] == (new, 17.0, "Provisional")
    assert page.edit_value(new, 18)
    with ctx.read() as s:
        ind = s.scalars(select(Indicator).where(Indicator.code == r.code)).one()
        assert [v.value for v in ind.values if v.period == new] == [18.0]
    assert "18" in page.chart.accessibleDescription()


def test_bad_period_is_refused_in_plain_words(qtbot, ctx, auto_dialogs):  # noqa: ANN001
    page = _show(qtbot, IndicatorsPage(ctx))
    assert not page.edit_value("Spring 2020", 3)
    assert auto_dialogs and "financial year" in auto_dialogs[0][1]


def test_viewer_sees_values_but_cannot_add(qtbot, viewer_ctx):  # noqa: ANN001
    page = _show(qtbot, IndicatorsPage(viewer_ctx))
    assert page.values.rowCount() == 6
    assert not page.add_button.isEnabled() and "secretariat" in page.add_button.toolTip()


def test_tags_button_tags_the_selected_indicator(qtbot, ctx, monkeypatch):  # noqa: ANN001
    from vrboard.services import lenses as ln
    from vrboard.ui.dialogs.tags import TagsDialog

    with ctx.db.transaction() as s:
        tag_id = ln.add_tag(s, ctx.actor, "Age band", "Under 25").id
    page = _show(qtbot, IndicatorsPage(ctx))
    r = page.current()
    assert page.tags_button.isEnabled() and "Groups it addresses" in page.about.text()
    seen = []

    def tick(dlg: TagsDialog) -> int:
        seen.append(dlg.ident)
        dlg.tags.set_checked(tag_id)
        dlg.save()
        return dlg.result()
    monkeypatch.setattr(TagsDialog, "exec", tick)
    page.tags_button.click()
    assert seen == [r.id]
    assert "Age band: Under 25" in page.current().tags and "Age band: Under 25" in page.about.text()
    with ctx.read() as s:
        assert "Age band: Under 25" in [t.label for t in s.get(Indicator, r.id).tags]


def test_viewer_cannot_tag_an_indicator(qtbot, viewer_ctx):  # noqa: ANN001
    page = _show(qtbot, IndicatorsPage(viewer_ctx))
    assert not page.tags_button.isEnabled() and not page.edit_tags()


def test_next_period():
    assert next_period("2019/20 Q4") == "2020/21 Q1"
    assert next_period("2019/20 Q2") == "2019/20 Q3"
    assert next_period("2019/20") == "2020/21"
