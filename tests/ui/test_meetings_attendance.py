"""Attendance with a substitute and a live quorum indicator; declarations of interest."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox
from sqlalchemy import select

from vrboard.model import Attendance, AttendanceStatus, Declaration, Person

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def page(qtbot, ctx):  # noqa: ANN001, ANN201
    from vrboard.ui.pages.meetings import MeetingsPage

    p = MeetingsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    assert p.detail.id == 3  # the next (planned) meeting: no attendance yet
    return p


def _row(grid, name: str) -> int:  # noqa: ANN001
    return next(n for n in range(grid.model.rowCount()) if grid.model.row(n).name == name)


def _select(grid, *names: str) -> None:  # noqa: ANN001
    sel = grid.table.selectionModel()
    sel.clearSelection()
    for name in names:
        sel.select(grid.model.index(_row(grid, name), 0),
                   QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


def _attendance(ctx, name: str):  # noqa: ANN001, ANN202
    """(status, substitute's name or None) as saved, or None when not recorded."""
    with ctx.read() as s:
        a = s.scalars(select(Attendance).join(Person, Attendance.person_id == Person.id)
                      .where(Attendance.meeting_id == 3, Person.name == name)).first()
        return None if a is None else (a.status, a.substitute.name if a.substitute else None)


def test_attendance_with_a_substitute_updates_the_quorum(qtbot, page, ctx, monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: (
        asked.append(text), QMessageBox.StandardButton.No)[1])
    page.tabs.setCurrentWidget(page.attendance)
    grid = page.attendance
    assert grid.quorum.kind == "danger"
    assert "4 needed; 0 present (NOT quorate)" in grid.quorum.text()
    assert grid.model.index(0, 3).data() == "Not recorded"

    # three voting members present, by keyboard (P), and an adviser who does not count
    grid.table.setFocus()
    _select(grid, "Cllr Zoë Adeyemi", "Cllr Łukasz Nowak", "Cllr Grace Okafor", "Samuel Osei")
    qtbot.keyClick(grid.table, Qt.Key.Key_P)
    assert "4 needed; 3 present (NOT quorate)" in grid.quorum.text()
    assert grid.quorum.text().startswith("✖")  # a symbol and words, not colour alone
    assert grid.model.index(_row(grid, "Cllr Zoë Adeyemi"), 3).data() == "Present"

    # Priya Raman sends apologies (button), then her named substitute is chosen in the grid
    _select(grid, "Priya Raman")
    qtbot.mouseClick(grid.buttons[AttendanceStatus.APOLOGIES], Qt.MouseButton.LeftButton)
    row = _row(grid, "Priya Raman")
    assert grid.model.index(row, 3).data() == "Apologies"
    assert "4 needed; 3 present" in grid.quorum.text()  # apologies without a substitute do not count
    # her named substitute was offered (and declined here, to choose in the grid instead)
    assert asked == ["Priya Raman has sent apologies. Record Aisha Bello, their named substitute, "
                     "as attending in their place?"]
    index = grid.model.index(row, 4)
    grid.table.setCurrentIndex(index)
    grid.table.edit(index)
    editor = grid.table.findChild(QComboBox)
    assert editor is not None and editor.itemText(1) == "Aisha Bello (named substitute)"
    editor.setCurrentIndex(1)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "4 needed; 4 present (quorate)" in grid.quorum.text())
    assert grid.quorum.kind == "ok" and grid.quorum.text().startswith("✔")
    assert _attendance(ctx, "Priya Raman") == (AttendanceStatus.APOLOGIES, "Aisha Bello")
    assert grid.model.index(_row(grid, "Priya Raman"), 4).data() == "Aisha Bello"
    assert "4 needed; 4 present (quorate)" in page.details.fields["Quorum"].text()

    # marking her absent keeps the substitute; marking her present drops it
    _select(grid, "Priya Raman")
    qtbot.keyClick(grid.table, Qt.Key.Key_X)
    assert _attendance(ctx, "Priya Raman") == (AttendanceStatus.ABSENT, "Aisha Bello")
    qtbot.keyClick(grid.table, Qt.Key.Key_P)
    assert _attendance(ctx, "Priya Raman") == (AttendanceStatus.PRESENT, None)
    assert "4 needed; 4 present" in grid.quorum.text()


def test_apologies_offer_the_named_substitute(qtbot, page, ctx, auto_dialogs) -> None:  # noqa: ANN001
    grid = page.attendance
    page.tabs.setCurrentWidget(grid)
    grid.table.setFocus()
    _select(grid, "Priya Raman")
    qtbot.keyClick(grid.table, Qt.Key.Key_A)  # apologies; the offer is accepted
    assert _attendance(ctx, "Priya Raman") == (AttendanceStatus.APOLOGIES, "Aisha Bello")
    assert grid.model.index(_row(grid, "Priya Raman"), 4).data() == "Aisha Bello"


def test_a_reader_is_not_told_how_to_record_attendance(qtbot, viewer_ctx) -> None:  # noqa: ANN001
    from vrboard.ui.pages.meetings import MeetingsPage

    p = MeetingsPage(viewer_ctx)
    qtbot.addWidget(p)
    p.show()
    p.tabs.setCurrentWidget(p.attendance)
    assert not p.attendance.hint.isVisible()


def test_status_chosen_in_the_grid(qtbot, page, ctx) -> None:  # noqa: ANN001
    grid = page.attendance
    page.tabs.setCurrentWidget(grid)
    index = grid.model.index(_row(grid, "Daniel Brooks"), 3)
    grid.table.setCurrentIndex(index)
    grid.table.edit(index)
    editor = grid.table.findChild(QComboBox)
    editor.setCurrentIndex(editor.findText("Absent"))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _attendance(ctx, "Daniel Brooks") is not None)
    assert _attendance(ctx, "Daniel Brooks") == (AttendanceStatus.ABSENT, None)


def test_add_and_remove_a_declaration(qtbot, page, ctx, auto_dialogs) -> None:  # noqa: ANN001
    panel = page.declarations
    page.tabs.setCurrentWidget(panel)
    assert panel.model.rowCount() == 0 and panel.empty.isVisible()
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    dialog.person.setCurrentIndex(dialog.person.findText("Cllr Grace Okafor"))
    dialog.item.setCurrentIndex(dialog.item.findText("7.", Qt.MatchFlag.MatchStartsWith))
    dialog.kind.setCurrentText("Disclosable pecuniary")
    qtbot.keyClicks(dialog.nature, "Spouse employed by a provider bidding for the programme.")
    qtbot.keyClicks(dialog.dispensation, "Left the room for this item")
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert panel.model.rowCount() == 1 and not panel.empty.isVisible()
    assert panel.model.index(0, 0).data() == "Cllr Grace Okafor"
    assert panel.model.index(0, 1).data().startswith("7. Community Conversations")
    assert panel.model.index(0, 2).data() == "Disclosable pecuniary"
    with ctx.read() as s:
        d = s.scalars(select(Declaration).where(Declaration.meeting_id == 3)).one()
        assert d.item is not None and d.item.position == 7 and d.dispensation == "Left the room for this item"
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert auto_dialogs[-1][0] == "Remove declaration"
    assert panel.model.rowCount() == 0
    with ctx.read() as s:
        assert s.scalars(select(Declaration).where(Declaration.meeting_id == 3)).first() is None


def test_a_declaration_needs_its_nature(qtbot, page, ctx, auto_dialogs) -> None:  # noqa: ANN001
    panel = page.declarations
    page.tabs.setCurrentWidget(panel)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    dialog.save()
    assert "Nature of the interest is required" in auto_dialogs[-1][1]
    assert dialog.isVisible() and panel.model.rowCount() == 0
    dialog.reject()
