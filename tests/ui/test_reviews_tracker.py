"""The Reviews page's recommendation tracker: Export tracker… writes it, Import tracker… previews the
returned file with the action trackers' dialog and applies the ticked rows through the services."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.excel.conftest import edit
from tests.excel.test_recommendation_tracker import col, pick, recs, row_of
from vrboard.excel.rectracker import SHEET
from vrboard.model import Response
from vrboard.ui.pages.reviews import ReviewsPage

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_export_then_import_from_the_reviews_page(qtbot, ctx, tmp_path: Path, auto_dialogs) -> None:
    page = ReviewsPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    assert page.export_button.isEnabled() and page.import_button.isEnabled()
    src = tmp_path / "recs.xlsx"
    task = page.export_tracker(str(src), every=True)
    with qtbot.waitSignal(task.done, timeout=30000):
        pass
    rid, review, number = pick(ctx.db, Response.AWAITING, linked=False)
    r = row_of(src, review, number)
    returned = edit(src, tmp_path / "returned.xlsx", {f"{col('response')}{r}": "Accepted"}, sheet=SHEET)
    flow = page.import_tracker(str(returned))
    with qtbot.waitSignal(flow.previewed, timeout=30000) as got:
        pass
    dlg = got.args[0]
    qtbot.addWidget(dlg)
    assert [dlg.model.plan_row(i).kind for i in range(dlg.model.rowCount())] == ["changed"]
    assert dlg.apply.text() == "Apply 1 row"
    with qtbot.waitSignal(flow.applied, timeout=30000):
        dlg.apply.click()
    assert recs(ctx.db)[rid]["response"] is Response.ACCEPTED


def test_a_viewer_cannot_import(qtbot, viewer_ctx) -> None:
    page = ReviewsPage(viewer_ctx)
    qtbot.addWidget(page)
    assert not page.import_button.isEnabled()
