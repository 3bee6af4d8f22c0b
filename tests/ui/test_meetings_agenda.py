"""Building an agenda on the Meetings page: add items, Part 2 needs an exempt paragraph,
reorder by keyboard and by a drop on the table, attach and remove papers, delete."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QInputDialog
from sqlalchemy import select

from vrboard.demo_papers import make_paper
from vrboard.model import AgendaItem, Classification, Paper

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def page(qtbot, ctx):  # noqa: ANN001, ANN201
    from vrboard.ui.pages.meetings import MeetingsPage

    p = MeetingsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    p.tabs.setCurrentWidget(p.agenda)
    assert p.detail is not None and p.detail.id == 3  # the next planned meeting
    return p


def _titles(agenda) -> list[str]:  # noqa: ANN001
    return [agenda.model.row(n).title for n in range(agenda.model.rowCount())]


def _db_titles(ctx, meeting_id: int = 3) -> list[str]:  # noqa: ANN001
    with ctx.read() as s:
        return list(s.scalars(select(AgendaItem.title).where(AgendaItem.meeting_id == meeting_id)
                              .order_by(AgendaItem.position)))


def _save(qtbot, dialog) -> None:  # noqa: ANN001
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_add_a_part_1_item_linked_to_a_workstream(qtbot, page, ctx) -> None:  # noqa: ANN001
    agenda = page.agenda
    before = agenda.model.rowCount()
    part1 = sum(agenda.model.row(n).part == 1 for n in range(before))
    qtbot.mouseClick(agenda.add_button, Qt.MouseButton.LeftButton)
    dialog = agenda.dialog
    qtbot.keyClicks(dialog.title_edit, "Youth Panel: first recommendations")
    qtbot.keyClicks(dialog.presenter, "Youth Panel co-ordinator")
    dialog.minutes.setValue(25)
    dialog.workstream.setCurrentIndex(dialog.workstream.findText("WS7", Qt.MatchFlag.MatchStartsWith))
    assert not dialog.paragraph.isEnabled()  # Part 1: no exempt paragraph
    _save(qtbot, dialog)
    assert not dialog.isVisible()
    assert agenda.model.rowCount() == before + 1
    item = agenda.selected()
    # A Part 1 item joins the end of Part 1: Part 2 is taken last, after the public leave.
    assert item.title == "Youth Panel: first recommendations" and item.position == part1 + 1
    assert item.part == 1 and item.workstream.startswith("WS7") and item.minutes_allotted == 25
    assert _db_titles(ctx)[part1] == "Youth Panel: first recommendations"


def test_part_2_needs_an_exempt_paragraph(qtbot, page, ctx, auto_dialogs) -> None:  # noqa: ANN001
    agenda = page.agenda
    qtbot.mouseClick(agenda.add_button, Qt.MouseButton.LeftButton)
    dialog = agenda.dialog
    qtbot.keyClicks(dialog.title_edit, "Individual case: safeguarding response")
    qtbot.mouseClick(dialog.part2, Qt.MouseButton.LeftButton)
    assert dialog.paragraph.isEnabled() and dialog.paragraph_note.isVisible()
    assert dialog.paragraph.count() == 8  # a prompt and the seven Schedule 12A paragraphs
    assert dialog.classification.currentData() == Classification.OFFICIAL_SENSITIVE
    _save(qtbot, dialog)
    assert auto_dialogs and "is in Part 2: give the exempt-information paragraph" in auto_dialogs[-1][1]
    assert dialog.isVisible()
    assert "Individual case: safeguarding response" not in _db_titles(ctx)
    dialog.paragraph.setCurrentIndex(dialog.paragraph.findData(1))
    assert dialog.paragraph.currentText().startswith("1. Information relating to any individual")
    _save(qtbot, dialog)
    item = agenda.selected()
    assert (item.title, item.part, item.exempt_paragraph) == ("Individual case: safeguarding response", 2, 1)
    assert agenda.model.index(agenda.model.find(item.id), 2).data() == "Part 2 (para 1)"


def test_edit_an_item(qtbot, page, ctx) -> None:  # noqa: ANN001
    agenda = page.agenda
    agenda.table.selectRow(4)
    qtbot.keyClick(agenda.table, Qt.Key.Key_Return)
    dialog = agenda.dialog
    assert dialog.title_edit.text() == _titles(agenda)[4]
    dialog.presenter.setText("Director of Public Health")
    _save(qtbot, dialog)
    assert agenda.model.row(4).presenter == "Director of Public Health"


def test_reorder_by_keyboard(qtbot, page, ctx) -> None:  # noqa: ANN001
    agenda = page.agenda
    titles = _titles(agenda)
    agenda.table.setFocus()
    agenda.table.selectRow(5)
    qtbot.keyClick(agenda.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    expected = titles[:4] + [titles[5], titles[4]] + titles[6:]
    assert _titles(agenda) == expected == _db_titles(ctx)
    assert agenda.selected().title == titles[5]  # the moved item stays selected
    qtbot.keyClick(agenda.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(agenda.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert _titles(agenda) == titles[:5] + [titles[6], titles[5]] + titles[7:] == _db_titles(ctx)
    agenda.table.selectRow(0)
    assert not agenda.up_button.isEnabled()
    qtbot.keyClick(agenda.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert _db_titles(ctx)[0] == titles[0]


def test_reorder_by_dropping_on_the_table(qtbot, page, ctx) -> None:  # noqa: ANN001
    agenda = page.agenda
    titles = _titles(agenda)
    table, model = agenda.table, agenda.model
    last = max(n for n in range(len(titles)) if model.row(n).part == 1)
    mime = model.mimeData([model.index(last, 1)])  # drag the last Part 1 item...
    target = table.visualRect(model.index(1, 1))  # ...onto the top edge of the second row
    pos = QPointF(target.center().x(), target.top() + 1)
    args = (pos, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    for event in (QDragEnterEvent(*args), QDragMoveEvent(*args), QDropEvent(*args)):
        QApplication.sendEvent(table.viewport(), event)
        assert event.isAccepted(), type(event).__name__
    expected = [titles[0], titles[last]] + titles[1:last] + titles[last + 1:]
    qtbot.waitUntil(lambda: _titles(agenda) == expected)
    assert _db_titles(ctx) == expected
    assert agenda.selected().title == titles[last]


def test_attach_list_and_remove_a_paper(qtbot, page, ctx, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    paper = tmp_path / "action_log_summary.pdf"
    paper.write_bytes(make_paper("Action log summary", 3))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(paper), "Papers (*.pdf)"))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Action log summary", True))
    agenda = page.agenda
    row = _titles(agenda).index("Action log review")
    agenda.table.selectRow(row)
    assert agenda.paper_model.rowCount() == 0
    qtbot.mouseClick(agenda.attach_button, Qt.MouseButton.LeftButton)
    assert agenda.selected().title == "Action log review"
    assert agenda.paper_model.rowCount() == 1
    assert agenda.paper_model.index(0, 0).data() == "Action log summary"
    assert agenda.paper_model.index(0, 2).data().startswith("action_log_summary.pdf (")
    assert "3 pages" in agenda.paper_model.index(0, 2).data()
    assert agenda.model.index(row, 6).data() == "1"
    with ctx.read() as s:
        stored = s.scalars(select(Paper).where(Paper.title == "Action log summary")).one()
        assert (stored.source_path, stored.pages, stored.content) == (str(paper), 3, paper.read_bytes())
    agenda.papers.selectRow(0)
    qtbot.mouseClick(agenda.remove_paper_button, Qt.MouseButton.LeftButton)
    assert agenda.paper_model.rowCount() == 0
    with ctx.read() as s:
        assert s.scalars(select(Paper).where(Paper.title == "Action log summary")).first() is None


def test_delete_an_item_after_confirming(qtbot, page, ctx, auto_dialogs) -> None:  # noqa: ANN001
    agenda = page.agenda
    titles = _titles(agenda)
    agenda.table.setFocus()
    agenda.table.selectRow(9)
    qtbot.keyClick(agenda.table, Qt.Key.Key_Delete)
    assert auto_dialogs[-1][0] == "Delete agenda item"
    assert _titles(agenda) == titles[:9] + titles[10:] == _db_titles(ctx)
    assert [agenda.model.row(n).position for n in range(agenda.model.rowCount())] == list(
        range(1, len(titles)))


def test_a_new_meeting_takes_its_date_and_time_as_typed(qtbot, ctx) -> None:  # noqa: ANN001
    """"12/02/2027 14:00" typed into a new meeting's date once became 12/12/2026 20:27."""
    import datetime as dt

    from vrboard.model import Meeting
    from vrboard.ui.meetings.meeting_dialog import MeetingDialog

    dialog = MeetingDialog(ctx, None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.starts.edit.selectAll()
    qtbot.keyClicks(dialog.starts.edit, "12/02/2027 14:00")
    dialog.venue.setText("Committee Room 2")
    _save(qtbot, dialog)
    assert dialog.saved_meeting_id is not None
    with ctx.read() as s:
        assert s.get(Meeting, dialog.saved_meeting_id).starts_at == dt.datetime(2027, 2, 12, 14, 0)


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700), (1920, 1080)])
def test_the_title_and_the_nature_of_an_interest_get_the_room(qtbot, page, size) -> None:  # noqa: ANN001
    """At 1280×800 the title once shrank to "…" (its header read "itl") while Presenter took
    half the width, and the nature of an interest showed a letter or two per line."""
    page.resize(*size)
    for table, col in ((page.agenda.table, 1), (page.declarations.table, 3)):
        page.tabs.setCurrentWidget(page.agenda if table is page.agenda.table else page.declarations)
        qtbot.waitUntil(lambda t=table: t.viewport().width() > 200)
        header = table.horizontalHeader()
        width = table.viewport().width()
        assert header.sectionSize(col) >= 0.4 * width, (size, col, header.sectionSize(col), width)
        others = [header.sectionSize(c) for c in range(table.model().columnCount()) if c != col]
        assert min(others) >= 20 and max(others) <= 220, others
        assert sum(header.sectionSize(c) for c in range(table.model().columnCount())) <= width + 2


def test_open_a_paper_from_the_database(qtbot, page, ctx, monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    agenda = page.agenda
    row = next(n for n in range(agenda.model.rowCount()) if agenda.model.row(n).papers)
    agenda.table.selectRow(row)
    agenda.papers.selectRow(0)
    qtbot.mouseClick(agenda.open_paper_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1 and opened[0].endswith(".pdf")
    assert Path(opened[0]).read_bytes()[:5] == b"%PDF-"
