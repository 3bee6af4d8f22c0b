"""The Duty recorded on the Duty page: the local definition and the dates; a refusal shown and
the dialog left open; nothing to press for a viewer."""
from __future__ import annotations

import datetime as dt

import pytest

from vrboard.services import duty as dy

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _page(qtbot, ctx):  # noqa: ANN001, ANN202
    from vrboard.ui.pages.duty import DutyPage

    p = DutyPage(ctx)
    qtbot.addWidget(p)
    p.show()
    p.refresh()
    return p


def test_edit_the_duty(qtbot, ctx, auto_dialogs) -> None:  # noqa: ANN001
    page = _page(qtbot, ctx)
    page.edit_button.click()
    dlg = page.dialog
    dlg.definition.setPlainText("Violence causing or risking serious harm, in public or in private.")
    dlg.dates["needs_assessment_on"].set_date_value(None)
    dlg.dates["strategy_published_on"].set_date_value(dt.date.today())
    dlg.save()  # publication without the assessment: refused, the dialog stays open
    assert dlg.isVisible() and "record the assessment's date first" in auto_dialogs[-1][1]
    dlg.dates["needs_assessment_on"].set_date_value(dt.date.today() - dt.timedelta(days=30))
    dlg.dates["review_due_on"].set_date_value(dt.date.today() + dt.timedelta(days=200))
    with qtbot.waitSignal(dlg.finished):
        dlg.save()
    assert "in public or in private" in page.definition.text()
    with ctx.read() as s:
        rec = dy.get_duty(s, ctx.actor)
        assert rec.strategy_published_on == dt.date.today()
        assert rec.review_due_on == dt.date.today() + dt.timedelta(days=200)
    page.edit_button.click()  # nothing changed: closes without saving
    again = page.dialog
    with qtbot.waitSignal(again.finished):
        again.save()


def test_a_viewer_cannot_record_the_duty(qtbot, viewer_ctx) -> None:  # noqa: ANN001
    page = _page(qtbot, viewer_ctx)
    assert not page.edit_button.isEnabled()
    assert "may record the Duty" in page.edit_button.toolTip()
