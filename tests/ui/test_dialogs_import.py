"""Import returns: read in the background, preview row by row with accept/reject, apply."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.excel.conftest import action, col, edit, export, row_of
from vrboard.services import actions as act_svc
from vrboard.ui.dialogs.import_model import PlanRowsModel
from vrboard.ui.dialogs.import_preview import ImportPreviewDialog, describe_row, start_import

# the offscreen platform cannot pass size hints to a window manager; harmless, and not ours
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def returned(ctx, tmp_path: Path) -> Path:
    """Tom Fletcher's tracker, returned with two updates and one impossible value."""
    src = tmp_path / "tom.xlsx"
    export(ctx.db, "rkaplan", src, owner="tfletcher")
    r_bs6, r_kc1 = row_of(src, "BS-006"), row_of(src, "KC-001")
    bad = r_kc1 + 2
    return edit(src, tmp_path / "tom-returned.xlsx", {
        f"{col('percent_complete')}{r_bs6}": 95,
        f"{col('progress')}{r_bs6}": "Nearly there: both neighbourhoods recruited.",
        f"{col('rag')}{r_kc1}": "Red",
        f"{col('percent_complete')}{bad}": 150,
    })


def _preview(qtbot, ctx, path) -> tuple:  # noqa: ANN001
    flow = start_import(ctx, None, str(path))
    with qtbot.waitSignal(flow.previewed, timeout=30000) as got:
        pass
    dlg = got.args[0]
    qtbot.addWidget(dlg)
    return flow, dlg


def _index_of(dlg: ImportPreviewDialog, reference: str) -> int:
    for i in range(dlg.model.rowCount()):
        if dlg.model.plan_row(i).reference == reference:
            return i
    raise AssertionError(reference)


def test_preview_then_apply_only_the_accepted_rows(qtbot, ctx, returned, auto_dialogs):
    flow, dlg = _preview(qtbot, ctx, returned)
    kinds = {dlg.model.plan_row(i).reference: dlg.model.plan_row(i).kind for i in range(dlg.model.rowCount())}
    assert kinds["BS-006"] == "changed" and kinds["KC-001"] == "changed"
    assert "error" in kinds.values()
    assert "unchanged" not in kinds.values()  # hidden until asked for

    bs6 = _index_of(dlg, "BS-006")
    dlg.view.selectRow(bs6)
    detail = dlg.detail.toPlainText()
    assert "% complete" in detail.lower() or "percent" in detail.lower()
    assert "→ 95" in detail and "Nearly there" in detail

    kc1 = _index_of(dlg, "KC-001")
    assert dlg.model.setData(dlg.model.index(kc1, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert dlg.model.data(dlg.model.index(kc1, 0)) == "Skip"
    assert dlg.skip_invalid.isVisible() or dlg.skip_invalid.isChecked()
    assert dlg.apply.text() == "Apply 1 row" and dlg.apply.isEnabled()

    with qtbot.waitSignal(flow.applied, timeout=30000):
        dlg.apply.click()
    assert action(ctx.db, "BS-006").percent_complete == 95
    assert action(ctx.db, "KC-001").rag.value == "amber"  # rejected in the preview
    title, text = auto_dialogs[-1]
    assert title == "Returns imported" and "1 row applied" in text


def test_errors_block_apply_unless_skipped(qtbot, ctx, returned):
    _flow, dlg = _preview(qtbot, ctx, returned)
    err = next(i for i in range(dlg.model.rowCount()) if dlg.model.plan_row(i).kind == "error")
    dlg.view.selectRow(err)
    detail = dlg.detail.toPlainText()
    assert "Errors" in detail and f"Actions!{col('percent_complete')}" in detail
    assert dlg.model.flags(dlg.model.index(err, 0)) & Qt.ItemFlag.ItemIsUserCheckable == Qt.ItemFlag(0)
    dlg.skip_invalid.setChecked(False)
    assert not dlg.apply.isEnabled()
    assert "error" in dlg.status.text() and "Skip rows with errors" in dlg.status.text()
    dlg.reject_all.click()
    dlg.skip_invalid.setChecked(True)
    assert not dlg.apply.isEnabled() and dlg.apply.text() == "Apply 0 rows"
    dlg.accept_all.click()
    assert dlg.apply.isEnabled() and dlg.apply.text() == "Apply 2 rows"
    dlg.show_unchanged.setChecked(True)
    assert any(dlg.model.plan_row(i).kind == "unchanged" for i in range(dlg.model.rowCount()))


def test_a_conflict_is_offered_unticked_and_explained(qtbot, ctx, tmp_path):
    src = tmp_path / "t.xlsx"
    export(ctx.db, "rkaplan", src, owner="tfletcher")
    r = row_of(src, "KC-001")
    with ctx.db.transaction() as s:
        kc1 = action(ctx.db, "KC-001")
        act_svc.update_action(s, ctx.actor, kc1.id, kc1.version, {"percent_complete": 60})
    returned = edit(src, tmp_path / "back.xlsx", {f"{col('percent_complete')}{r}": 55})
    _flow, dlg = _preview(qtbot, ctx, returned)
    i = _index_of(dlg, "KC-001")
    row = dlg.model.plan_row(i)
    assert row.kind == "conflict"
    assert dlg.model.data(dlg.model.index(i, 0), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    text = describe_row(row)
    assert "vrboard now 60" in text and "the file says 55" in text
    dlg.model.setData(dlg.model.index(i, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert "file's values will win" in dlg.status.text()


def test_a_file_that_is_not_a_workbook_is_refused_in_plain_words(qtbot, ctx, tmp_path, auto_dialogs):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("this is not a spreadsheet")
    flow = start_import(ctx, None, str(bad))
    with qtbot.waitSignal(flow.task.failed, timeout=30000):
        pass
    title, text = auto_dialogs[-1]
    assert title == "Could not read notes.xlsx"
    assert "notes.xlsx" in text and "Traceback" not in text


def test_the_rows_model_passes_qtmodeltester(qtmodeltester, ctx, returned):
    from tests.excel.conftest import plan_of

    plan = plan_of(ctx.db, "rkaplan", returned)
    model = PlanRowsModel(plan.rows)
    qtmodeltester.check(model, force_py=True)
    model.set_show_unchanged(True)
    qtmodeltester.check(model, force_py=True)


def test_choosing_the_file_and_a_saved_mapping(qtbot, ctx, tmp_path, auto_dialogs):
    from vrboard.excel import save_mapping
    from vrboard.ui.dialogs.import_preview import ChooseImportDialog

    with ctx.db.transaction() as s:
        save_mapping(s, ctx.actor, "Old council tracker", {"Ref": "reference", "Done %": "percent_complete"})
    dlg = ChooseImportDialog(ctx)
    qtbot.addWidget(dlg)
    assert dlg.mapping.itemData(0) is None
    assert dlg.mapping.findData("Old council tracker") > 0
    dlg.file.set_path(str(tmp_path / "missing.xlsx"))
    dlg._accept()
    assert dlg.result() == 0 and auto_dialogs[-1][1] == "Please choose the workbook to import."


def test_the_accepted_rows_of_a_big_return(qtbot):
    """Ticks, untick-all and tick-all over thousands of rows: only acceptable rows (never an
    error or an unchanged row) are counted, whichever way they were ticked. (Counting used
    to scan every row per tick: seconds of frozen window at 5,000 changed rows.)"""
    from vrboard.excel.planmodel import RowPlan

    kinds = ["unchanged"] * 6 + ["changed", "progress", "conflict", "error"]
    rows = [RowPlan("Actions", n + 2, f"BX-{n:06d}", kind=kinds[n % len(kinds)]) for n in range(20_000)]
    model = PlanRowsModel(rows)
    by_kind = {k: {r.row for r in rows if r.kind == k} for k in kinds}
    assert model.accepted_rows() == by_kind["changed"] | by_kind["progress"]  # conflicts start unticked
    model.set_all(True)
    assert model.accepted_rows() == by_kind["changed"] | by_kind["progress"] | by_kind["conflict"]
    model.checked |= by_kind["error"] | by_kind["unchanged"]  # ticks that cannot count
    assert model.accepted_rows() == by_kind["changed"] | by_kind["progress"] | by_kind["conflict"]
    model.set_all(False)
    assert model.accepted_rows() == set()
