"""Minutes with decisions, an action created from a decision, approving and signing the
previous minutes (chair only), a locked meeting, scheduling, and the navigation contract."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit
from sqlalchemy import select

from tests.conftest import sit
from tests.ui.conftest import _ctx
from vrboard.model import Action, AgendaItem, Decision, Meeting, Minute, Workstream

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def open_page(qtbot, ctx):  # noqa: ANN001, ANN201
    from vrboard.ui.pages.meetings import MeetingsPage

    p = MeetingsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    p.activateWindow()  # keyboard shortcuts go to the active window
    qtbot.waitUntil(p.isActiveWindow)
    return p


def _item_row(editor, title_start: str) -> int:  # noqa: ANN001
    m = editor.items_model
    return next(n for n in range(m.rowCount()) if m.row(n).title.startswith(title_start))


def test_write_minutes_with_decisions(qtbot, ctx) -> None:  # noqa: ANN001
    page = open_page(qtbot, ctx)
    page.tabs.setCurrentWidget(page.minutes)
    ed = page.minutes
    ed.items.setCurrentIndex(ed.items_model.index(_item_row(ed, "Strategic Needs"), 0))
    assert "Strategic Needs Assessment 2019" in ed.heading.text()
    assert ed.state.text() == "Saved" and not ed.save_button.isEnabled()
    qtbot.keyClicks(ed.discussion, "The analyst presented the needs assessment.")
    assert ed.state.text() == "Unsaved changes" and ed.save_button.isEnabled()
    for text in ("The board NOTED the assessment.",
                 "The board AGREED to commission a survey of young people's views."):
        qtbot.mouseClick(ed.add_decision_button, Qt.MouseButton.LeftButton)
        # the new decision opens for typing, in a text box of several lines (closed editors
        # linger hidden until deleted)
        editor = next(w for w in ed.decisions.findChildren(QPlainTextEdit) if w.isVisible())
        assert editor.height() >= 4 * editor.fontMetrics().lineSpacing()
        qtbot.keyClicks(editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Return)  # Enter saves it; Shift+Enter is a new line
        qtbot.waitUntil(lambda text=text: ed.decision_model.texts()[-1] == text)
    qtbot.keyClick(ed.discussion, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert ed.state.text() == "Saved"
    with ctx.read() as s:
        item = s.scalars(select(AgendaItem).where(
            AgendaItem.meeting_id == 3, AgendaItem.title == "Strategic Needs Assessment 2019")).one()
        minute = s.scalars(select(Minute).where(Minute.agenda_item_id == item.id)).one()
        assert minute.discussion == "The analyst presented the needs assessment."
        assert [d.text for d in minute.decisions] == [
            "The board NOTED the assessment.",
            "The board AGREED to commission a survey of young people's views."]
    assert all(d.id > 0 for d in ed.decision_model.rows())
    assert ed.items_model.index(_item_row(ed, "Strategic Needs"), 0).data().endswith("(minuted)")

    # an unsaved edit is saved when moving to another item
    ed.decision_model.setData(ed.decision_model.index(0, 0), "The board NOTED the assessment "
                              "and thanked the analyst.", Qt.ItemDataRole.EditRole)
    assert ed.dirty
    ed.items.setCurrentIndex(ed.items_model.index(0, 0))
    assert not ed.dirty and "Welcome and apologies" in ed.heading.text()
    with ctx.read() as s:
        texts = s.scalars(select(Decision.text).where(Decision.minute_id == minute.id)
                          .order_by(Decision.position)).all()
    assert texts[0] == "The board NOTED the assessment and thanked the analyst."

    # removing a decision
    assert ed.items.currentIndex().row() == 0
    ed.items.setCurrentIndex(ed.items_model.index(_item_row(ed, "Strategic Needs"), 0))
    assert "Strategic Needs Assessment 2019" in ed.heading.text()
    ed.decisions.selectRow(0)
    qtbot.mouseClick(ed.remove_decision_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert [d.text for d in ed.decision_model.rows()] == [texts[1]]


def test_create_an_action_from_a_decision(qtbot, ctx, auto_dialogs) -> None:  # noqa: ANN001
    page = open_page(qtbot, ctx)
    page.open_target({"meeting_id": 2, "tab": "minutes"})
    assert page.detail.id == 2 and page.tabs.currentWidget() is page.minutes
    ed = page.minutes
    row = _item_row(ed, "Review of services")
    ed.items.setCurrentIndex(ed.items_model.index(row, 0))
    item = ed.current_item()
    assert item.workstream_id is not None and len(item.decisions) == 2
    ed.decisions.selectRow(1)
    assert ed.action_button.isEnabled()
    qtbot.mouseClick(ed.action_button, Qt.MouseButton.LeftButton)
    dialog = ed.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.title_edit.text() == "The next steps set out in the report"  # from the decision
    assert dialog.workstream.currentData() == item.workstream_id
    assert page.detail.starts_at.strftime("%d/%m/%Y") in dialog.raised.text()
    dialog.title_edit.setText("Carry out the next steps of the Early Help Review")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    assert auto_dialogs == []
    assert not dialog.isVisible()
    decision = item.decisions[1]
    with ctx.read() as s:
        action = s.scalars(select(Action).where(Action.decision_id == decision.id)).one()
        assert (action.raised_meeting_id, action.raised_item_id) == (2, item.id)
        assert action.workstream_id == item.workstream_id
        assert action.title == "Carry out the next steps of the Early Help Review"
        ref, action_id = action.reference, action.id
    assert ed.decision_model.index(1, 1).data() == ref  # the decision shows the action raised
    ed.decisions.selectRow(1)
    assert ed.open_action_button.isEnabled()
    with qtbot.waitSignal(page.navigate) as sent:
        qtbot.mouseClick(ed.open_action_button, Qt.MouseButton.LeftButton)
    assert sent.args == ["actions", {"action_id": action_id}]
    ed.decisions.selectRow(0)
    assert not ed.open_action_button.isEnabled()  # nothing raised from the first decision


def test_an_owner_cannot_create_actions_from_decisions(qtbot, owner_ctx) -> None:  # noqa: ANN001
    page = open_page(qtbot, owner_ctx)
    page.open_target({"meeting_id": 2, "tab": "minutes"})
    ed = page.minutes
    ed.items.setCurrentIndex(ed.items_model.index(_item_row(ed, "Review of services"), 0))
    ed.decisions.selectRow(0)
    assert not ed.action_button.isEnabled()
    assert "Only the secretariat or the chair may create actions" in ed.action_button.toolTip()
    assert ed.discussion.isReadOnly() and not ed.add_decision_button.isEnabled()
    assert page.banner.text().startswith("Read only.")


def test_minutes_are_not_approved_before_the_meeting_sits(qtbot, chair_ctx) -> None:  # noqa: ANN001
    page = open_page(qtbot, chair_ctx)
    assert page.detail.id == 3 and page.detail.starts_at > dt.datetime.now()
    details = page.details
    assert not details.approve_button.isEnabled()
    assert "has not taken place yet: minutes are approved at a meeting while it sits" in \
        details.approve_reason.text()
    assert details.approve_reason.isVisible()


def test_chair_approves_and_signs_the_previous_minutes(qtbot, chair_ctx) -> None:  # noqa: ANN001
    sit(chair_ctx.db, 3)
    page = open_page(qtbot, chair_ctx)
    assert page.detail.id == 3 and page.detail.previous.id == 2
    details = page.details
    assert details.approve_button.isEnabled()
    qtbot.mouseClick(details.approve_button, Qt.MouseButton.LeftButton)
    dialog = details.dialog
    assert "Minutes of Violence Reduction Board" in dialog.text.toPlainText()
    text = dialog.text.toPlainText()
    assert "Apologies: Priya Raman (substitute: Aisha Bello)" in text
    assert "Absent: Cllr Grace Okafor" in text and "Decision 5.1: The board NOTED" in text
    assert not dialog.sign_button.isEnabled()  # not until the chair confirms
    dialog.confirm.setChecked(True)
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    with chair_ctx.read() as s:
        m2 = s.get(Meeting, 2)
        assert m2.minutes_locked and m2.minutes_signed_by.name == "Cllr Zoë Adeyemi"
        assert m2.minutes_approved_at_id == 3
    assert not details.approve_button.isEnabled()
    assert "were signed by Cllr Zoë Adeyemi" in details.previous.text()
    # the signed meeting now shows locked
    page.open_target({"meeting_id": 2})
    assert page.banner.isVisible() and "signed by Cllr Zoë Adeyemi" in page.banner.text()
    assert not page.agenda.add_button.isEnabled()


@pytest.mark.parametrize("who, reason", [
    ("rkaplan", "Ruth Kaplan is not the chair of the board"),
    ("lnowak", "the vice-chair may do this only while recorded as acting chair"),
])
def test_others_are_refused_approval_and_told_why(qtbot, demo_db, who, reason) -> None:  # noqa: ANN001
    page = open_page(qtbot, _ctx(demo_db, who))
    details = page.details
    assert not details.approve_button.isEnabled()
    tip = details.approve_button.toolTip()
    assert tip.startswith("Only the chair (or the vice-chair recorded as acting chair) may approve")
    assert reason in tip
    assert details.approve_reason.isVisible() and reason in details.approve_reason.text()
    details.approve_previous()
    assert details.dialog is None


def test_a_locked_meeting_refuses_edits(qtbot, ctx) -> None:  # noqa: ANN001
    page = open_page(qtbot, ctx)
    page.open_target({"meeting_id": 1})
    d = page.detail
    assert d.id == 1 and d.locked
    assert page.banner.isVisible() and page.banner.text().startswith("Locked.")
    assert "Cllr Zoë Adeyemi" in page.banner.text()
    agenda = page.agenda
    for b in (agenda.add_button, agenda.edit_button, agenda.delete_button, agenda.up_button,
              agenda.attach_button):
        assert not b.isEnabled()
    assert "locked" in agenda.add_button.toolTip()
    assert not agenda.model.flags(agenda.model.index(2, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    before = [agenda.model.row(n).id for n in range(agenda.model.rowCount())]
    agenda.table.setFocus()
    agenda.table.selectRow(3)
    qtbot.keyClick(agenda.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    agenda.move_to(before[3], 1)
    assert [agenda.model.row(n).id for n in range(agenda.model.rowCount())] == before
    grid = page.attendance
    assert not grid.model.editable and not grid.buttons[next(iter(grid.buttons))].isEnabled()
    assert not grid.model.setData(grid.model.index(0, 3), "absent", Qt.ItemDataRole.EditRole)
    assert not page.declarations.add_button.isEnabled()
    assert page.minutes.discussion.isReadOnly() and not page.minutes.decision_model.editable
    assert page.minutes.state.text() == "Signed and locked"
    assert not page.details.edit_button.isEnabled()


def test_a_meeting_signed_elsewhere_refuses_the_edit_in_plain_words(qtbot, ctx, demo_db,  # noqa: ANN001
                                                                    auto_dialogs) -> None:
    from vrboard.services import meetings as svc

    page = open_page(qtbot, ctx)
    page.open_target({"meeting_id": 2, "tab": "agenda"})
    assert page.agenda.add_button.isEnabled()
    chair = _ctx(demo_db, "zadeyemi")
    sit(demo_db, 3)
    with demo_db.transaction() as s:  # the chair signs on another computer
        svc.approve_minutes(s, chair.actor, 2, 3)
    page.agenda.table.selectRow(2)
    page.agenda.move_selected(1)
    assert auto_dialogs and auto_dialogs[-1][0] == "Could not move the agenda item"
    assert "are locked" in auto_dialogs[-1][1]


def test_schedule_a_meeting(qtbot, ctx) -> None:  # noqa: ANN001
    page = open_page(qtbot, ctx)
    assert page.list_model.rowCount() == 3
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    when = dt.datetime.combine(dt.date.today() + dt.timedelta(days=90), dt.time(10, 30))
    dialog.starts.set_datetime_value(when)
    qtbot.keyClicks(dialog.venue, "Committee Room 3, Civic Suite")
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert page.list_model.rowCount() == 4
    assert page.detail.starts_at == when and page.detail.venue == "Committee Room 3, Civic Suite"
    assert page.tabs.currentWidget() is page.agenda
    assert when.strftime("%d/%m/%Y 10:30") in page.heading.text()
    with ctx.read() as s:
        m = s.scalars(select(Meeting).where(Meeting.starts_at == when)).one()
        assert m.quorum == 4 and m.status.value == "planned"
        assert s.scalars(select(Workstream)).first() is not None


def test_edit_meeting_details(qtbot, ctx) -> None:  # noqa: ANN001
    page = open_page(qtbot, ctx)
    qtbot.mouseClick(page.details.edit_button, Qt.MouseButton.LeftButton)
    dialog = page.details.dialog
    assert dialog.venue.text() == "Council Chamber, Civic Suite"
    dialog.quorum.setValue(5)
    dialog.pack_final.setChecked(True)
    dialog.closed.setText("16.45")  # the closing time, for the minutes
    dialog.save()
    assert page.details.fields["Pack"].text() == "Final"
    with ctx.read() as s:
        m = s.scalars(select(Meeting).where(Meeting.venue == "Council Chamber, Civic Suite")).one()
        assert m.ends_at == m.starts_at.replace(hour=16, minute=45)
    assert page.details.fields["Quorum"].text().startswith("5 needed; ")


def test_choosing_another_meeting_saves_the_unsaved_minute_first(qtbot, ctx) -> None:  # noqa: ANN001
    page = open_page(qtbot, ctx)
    page.tabs.setCurrentWidget(page.minutes)
    ed = page.minutes
    assert "Welcome and apologies" in ed.heading.text()
    qtbot.keyClicks(ed.discussion, "Apologies were received from Helen Marsh.")
    assert ed.dirty
    page.list.setCurrentIndex(page.list_model.index(page.list_model.find(2), 0))
    assert page.detail.id == 2
    assert page.list.currentIndex().row() == page.list_model.find(2)
    assert not ed.dirty and ed.discussion.toPlainText().startswith("The chair welcomed members")
    with ctx.read() as s:
        item = s.scalars(select(AgendaItem).where(AgendaItem.meeting_id == 3,
                                                  AgendaItem.position == 1)).one()
        assert item.minute is not None
        assert item.minute.discussion == "Apologies were received from Helen Marsh."


def _choose_reload(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer the conflict dialog with Reload; returns the messages it showed."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.text())
        box.setProperty("choice", next(b.text() for b in box.buttons() if b.text() == "Reload"))
        return 0

    def clicked(box: QMessageBox):  # noqa: ANN202
        return next(b for b in box.buttons() if b.text() == box.property("choice"))

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "clickedButton", clicked)
    return shown


def test_a_conflicting_minute_offers_reload_and_never_overwrites(qtbot, ctx, demo_db,  # noqa: ANN001
                                                                 monkeypatch) -> None:
    from vrboard.services import meetings as svc

    shown = _choose_reload(monkeypatch)
    page = open_page(qtbot, ctx)
    page.open_target({"meeting_id": 2, "tab": "minutes"})
    ed = page.minutes
    item = ed.current_item()
    qtbot.keyClicks(ed.discussion, " My addition.")
    with demo_db.transaction() as s:  # a colleague saves the same minute first
        svc.save_minute(s, _ctx(demo_db, "zadeyemi").actor, item.id, "The chair's wording.", [])
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert shown and "changed by someone else" in shown[0]
    assert ed.discussion.toPlainText() == "The chair's wording." and not ed.dirty
    with ctx.read() as s:
        assert s.scalars(select(Minute.discussion).where(Minute.agenda_item_id == item.id)).one() == (
            "The chair's wording.")


def test_a_conflicting_item_edit_closes_on_reload(qtbot, ctx, demo_db, monkeypatch) -> None:  # noqa: ANN001
    from vrboard.services import meetings as svc

    shown = _choose_reload(monkeypatch)
    page = open_page(qtbot, ctx)
    page.tabs.setCurrentWidget(page.agenda)
    agenda = page.agenda
    agenda.table.selectRow(4)
    agenda.edit_item()
    dialog = agenda.dialog
    item_id = agenda.selected().id
    with demo_db.transaction() as s:
        svc.update_item(s, _ctx(demo_db, "zadeyemi").actor, item_id, None, {"presenter": "Chair"})
    dialog.presenter.setText("Somebody else")
    dialog.save()
    assert shown and not dialog.isVisible()
    assert agenda.model.row(agenda.model.find(item_id)).presenter == "Chair"


def test_leaving_the_minutes_tab_saves_and_interests_are_shown(qtbot, ctx) -> None:  # noqa: ANN001
    page = open_page(qtbot, ctx)
    page.open_target({"meeting_id": 2, "tab": "minutes"})
    ed = page.minutes
    ed.items.setCurrentIndex(ed.items_model.index(_item_row(ed, "Review of services"), 0))
    assert "Interests declared on this item: Daniel Brooks (non-registrable:" in ed.heading.text()
    ed.discussion.setPlainText("Reworded while taking the minutes.")
    assert ed.dirty
    page.tabs.setCurrentWidget(page.agenda)
    assert not ed.dirty
    with ctx.read() as s:
        item = s.scalars(select(AgendaItem).where(AgendaItem.meeting_id == 2, AgendaItem.position == 5)).one()
        assert item.minute is not None and item.minute.discussion == "Reworded while taking the minutes."
