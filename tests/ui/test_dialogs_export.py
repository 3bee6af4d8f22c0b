"""Export trackers dialog: per owner into a folder, or one filtered workbook, in the background."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from vrboard.model import Action, Person, Workstream
from vrboard.ui.dialogs import export as export_dialog
from vrboard.ui.dialogs.export import ExportDialog


@pytest.fixture(autouse=True)
def no_result_box(monkeypatch):
    shown = []
    monkeypatch.setattr(export_dialog, "show_result_box", lambda box: shown.append(box.text()))
    return shown


def test_one_workbook_per_owner_into_a_folder(qtbot, ctx, tmp_path, no_result_box):
    dlg = ExportDialog(ctx)
    qtbot.addWidget(dlg)
    assert dlg.per_owner.isChecked() and not dlg.owner.isEnabled()
    dlg.folder.set_path(str(tmp_path / "trackers"))
    changed = []
    ctx.changed.connect(changed.append)
    with qtbot.waitSignal(dlg.start().done, timeout=60000):
        pass
    with ctx.read() as s:
        owners = s.scalar(select(func.count(func.distinct(Action.owner_id)))
                          .where(Action.owner_id.is_not(None)))
        total = s.scalar(select(func.count(Action.id)))
    files = sorted((tmp_path / "trackers").glob("*.xlsx"))
    assert len(files) >= owners and len(dlg.results) == len(files)
    assert sum(r.rows for r in dlg.results) == total
    assert changed == ["export"]
    assert no_result_box and f"{len(files)} workbooks" in no_result_box[0]


def test_one_filtered_workbook(qtbot, ctx, tmp_path, no_result_box):
    dlg = ExportDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.single.setChecked(True)
    assert dlg.owner.isEnabled() and not dlg.folder.isEnabled()
    dlg.workstream.setCurrentIndex(dlg.workstream.findData("WS3"))
    assert "WS3" in Path(dlg.path.path()).name
    out = tmp_path / "ws3.xlsx"
    dlg.path.set_path(str(out))
    with qtbot.waitSignal(dlg.start().done, timeout=60000):
        pass
    with ctx.read() as s:
        n = s.scalar(select(func.count(Action.id)).join(Workstream).where(Workstream.code == "WS3"))
    assert out.is_file() and dlg.results[0].rows == n
    assert str(out) in no_result_box[0]


def test_owner_choice_lists_only_people_who_own_actions(qtbot, ctx):
    dlg = ExportDialog(ctx)
    qtbot.addWidget(dlg)
    names = [dlg.owner.itemText(i) for i in range(1, dlg.owner.count())]
    with ctx.read() as s:
        owners = set(s.scalars(select(Person.name).join(Action, Action.owner_id == Person.id)))
    assert set(names) == owners and "Tom Fletcher" in names


def test_a_viewer_is_refused_in_plain_words(qtbot, viewer_ctx, tmp_path, auto_dialogs):
    dlg = ExportDialog(viewer_ctx)
    qtbot.addWidget(dlg)
    dlg.folder.set_path(str(tmp_path / "t"))
    with qtbot.waitSignal(dlg.start().failed, timeout=60000):
        pass
    assert auto_dialogs[-1][0] == "Could not export the trackers"
    assert "Only the" in auto_dialogs[-1][1]
