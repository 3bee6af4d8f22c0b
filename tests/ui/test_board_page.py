"""The Board page, driven through its widgets: members, warnings, add/edit/end, acting chair."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from vrboard.model import AccessRole, Board, BoardRole, Membership, Person
from vrboard.services.meeting_views import board_view

# The offscreen platform cannot resize native windows; it says so when a top-level page's
# layout changes its minimum size. That is the test platform talking, not the app.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def page(qtbot, ctx):  # noqa: ANN001, ANN201
    from vrboard.ui.pages.board import BoardPage

    p = BoardPage(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    return p


def _names(page) -> list[str]:  # noqa: ANN001
    return [page.model.row(n).name for n in range(page.model.rowCount())]


def _select(page, name: str) -> None:  # noqa: ANN001
    row = _names(page).index(name)
    page.table.selectRow(row)


def _save(qtbot, dialog) -> None:  # noqa: ANN001
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def test_member_model_passes_qtmodeltester(qtmodeltester, ctx) -> None:  # noqa: ANN001
    from vrboard.ui.board.models import MemberTableModel

    model = MemberTableModel()
    with ctx.read() as s:
        model.set_rows(list(board_view(s).members))
    model.sort(5, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    assert model.rowCount() == 9


def test_page_lists_members_with_terms_in_uk_format_and_warns(page) -> None:  # noqa: ANN001
    assert "Cllr Zoë Adeyemi" in _names(page)
    row = _names(page).index("Helen Marsh")
    term_end = page.model.index(row, 5).data()
    assert term_end.count("/") == 2 and len(term_end) == 10  # dd/mm/yyyy
    assert page.model.index(row, 7).data() == "Ending soon"
    assert page.warnings.isVisible() and page.warnings.kind == "warning"
    assert "Helen Marsh's term as member ends on" in page.warnings.text()
    assert page.model.index(_names(page).index("Priya Raman"), 6).data() == "Aisha Bello"


def test_add_a_new_person_as_member(qtbot, page, ctx) -> None:  # noqa: ANN001
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.name, "Cllr Ada Morgan")
    qtbot.keyClicks(dialog.job_title, "Cabinet Member for Health & Adult Social Care")
    qtbot.keyClicks(dialog.organisation, "Council")
    qtbot.keyClicks(dialog.email, "ada.morgan@example.gov.uk")
    dialog.term_start.setDate(QDate(2026, 5, 20))
    _save(qtbot, dialog)
    assert not dialog.isVisible()
    assert "Cllr Ada Morgan" in _names(page)
    assert page.selected().name == "Cllr Ada Morgan"
    with ctx.read() as s:
        m = s.scalars(select(Membership).join(Person, Membership.person_id == Person.id)
                      .where(Person.name == "Cllr Ada Morgan")).one()
        assert m.role is BoardRole.MEMBER and m.voting and m.term_start == dt.date(2026, 5, 20)
        assert m.person.access_role is AccessRole.VIEWER


def test_term_end_is_typed_as_written(qtbot, page, ctx, auto_dialogs) -> None:  # noqa: ANN001
    """Typing 28/11/2030 into "No end date" used to give "No end date28112030"."""
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    dialog.person.setCurrentIndex(dialog.person.findText("Aisha Bello"))
    dialog.term_end.setFocus()
    qtbot.keyClicks(dialog.term_end.edit, "28/11/2030x")
    _save(qtbot, dialog)  # not a date: refused by name, nothing saved, the dialog stays open
    assert dialog.isVisible() and dialog.term_end.text() == "28/11/2030x"
    assert auto_dialogs[-1][0] == "Could not add the member"
    assert "Term end: '28/11/2030x' is not a date" in auto_dialogs[-1][1]
    qtbot.keyClick(dialog.term_end.edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(dialog.term_end.edit, Qt.Key.Key_Tab)  # Tab leaves the field
    assert not dialog.term_end.edit.hasFocus()
    _save(qtbot, dialog)
    assert not dialog.isVisible()
    with ctx.read() as s:
        m = s.scalars(select(Membership).join(Person, Membership.person_id == Person.id)
                      .where(Person.name == "Aisha Bello")).one()
        assert m.term_end == dt.date(2030, 11, 28)


def test_add_an_existing_person_as_adviser_is_non_voting(qtbot, page, ctx) -> None:  # noqa: ANN001
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    dialog.person.setCurrentIndex(dialog.person.findText("Aisha Bello"))
    assert not dialog.name.isEnabled()
    dialog.role.setCurrentIndex(dialog.role.findText("Adviser"))
    assert not dialog.voting.isChecked()
    _save(qtbot, dialog)
    assert "Aisha Bello" in _names(page)
    with ctx.read() as s:
        people = s.scalars(select(Person).where(Person.name == "Aisha Bello")).all()
        assert len(people) == 1  # no duplicate person
        assert [(m.role, m.voting) for m in people[0].memberships] == [(BoardRole.ADVISER, False)]


def test_refused_member_keeps_dialog_open_and_writes_nothing(qtbot, page, ctx,  # noqa: ANN001
                                                              auto_dialogs) -> None:
    with ctx.read() as s:
        before = len(s.scalars(select(Person)).all())
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    _save(qtbot, dialog)  # no name
    assert auto_dialogs and "Name is required" in auto_dialogs[-1][1]
    assert dialog.isVisible()
    with ctx.read() as s:
        assert len(s.scalars(select(Person)).all()) == before
    dialog.reject()


def test_edit_a_member(qtbot, page, ctx) -> None:  # noqa: ANN001
    _select(page, "Daniel Brooks")
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog.name.text() == "Daniel Brooks"
    dialog.organisation.setText("Metropolitan Police Service")
    dialog.substitute.setCurrentIndex(dialog.substitute.findText("Aisha Bello"))
    _save(qtbot, dialog)
    row = _names(page).index("Daniel Brooks")
    assert page.model.index(row, 2).data() == "Metropolitan Police Service"
    assert page.model.index(row, 6).data() == "Aisha Bello"


def test_end_a_membership_with_a_reason(qtbot, page, ctx) -> None:  # noqa: ANN001
    _select(page, "Helen Marsh")
    qtbot.mouseClick(page.end_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    yesterday = ctx.today - dt.timedelta(days=1)
    dialog.on.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    qtbot.keyClicks(dialog.reason, "Moved to another authority")
    qtbot.mouseClick(dialog.end_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert "Helen Marsh" not in _names(page)  # ended memberships hidden by default
    assert "Helen Marsh's term as member ended on" in page.warnings.text()
    page.show_ended.setChecked(True)
    row = _names(page).index("Helen Marsh")
    assert page.model.index(row, 7).data() == "Ended"
    with ctx.read() as s:
        m = s.scalars(select(Membership).join(Person, Membership.person_id == Person.id)
                      .where(Person.name == "Helen Marsh")).one()
        assert m.term_end == yesterday and m.notes == "Moved to another authority"


def test_record_and_clear_the_acting_chair(qtbot, page, ctx) -> None:  # noqa: ANN001
    assert page.acting_combo.currentText() == "Cllr Łukasz Nowak"
    assert not page.acting_clear.isEnabled()
    qtbot.mouseClick(page.acting_set, Qt.MouseButton.LeftButton)
    assert "Cllr Łukasz Nowak is recorded as acting chair" in page.acting_label.text()
    with ctx.read() as s:
        assert s.scalars(select(Board)).one().acting_chair_id is not None
    qtbot.mouseClick(page.acting_clear, Qt.MouseButton.LeftButton)
    assert "No acting chair is recorded" in page.acting_label.text()
    with ctx.read() as s:
        assert s.scalars(select(Board)).one().acting_chair_id is None


def test_a_viewer_sees_the_board_but_cannot_change_it(qtbot, viewer_ctx) -> None:  # noqa: ANN001
    from vrboard.ui.pages.board import BoardPage

    page = BoardPage(viewer_ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.model.rowCount() == 9
    for b in (page.add_button, page.edit_button, page.end_button, page.acting_set):
        assert not b.isEnabled()
    assert "Only the secretariat or chair may change the board's membership" in page.add_button.toolTip()
    page.table.selectRow(0)
    assert not page.edit_button.isEnabled()
    page.add_member()
    assert page.dialog is None


def test_ending_the_chairs_term_warns_there_is_no_chair(qtbot, page, ctx) -> None:  # noqa: ANN001
    _select(page, "Cllr Zoë Adeyemi")
    page.end_membership()
    dialog = page.dialog
    yesterday = ctx.today - dt.timedelta(days=1)
    dialog.on.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    dialog.save()
    assert "The board has no current chair." in page.warnings.text()
    assert page.warnings.kind == "warning"
    assert "8 current members" in page.summary.text()
