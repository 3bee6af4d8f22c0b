"""Terms of reference from the Board page (quorum, notice period, standing items), and a new
meeting that starts with the standing items."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QSpinBox
from sqlalchemy import select

from vrboard.model import AgendaItem, Board
from vrboard.services.standing import terms


def test_edit_terms_and_schedule_a_meeting_with_the_standing_items(qtbot, ctx) -> None:  # noqa: ANN001
    from vrboard.ui.board.terms_dialog import TermsDialog
    from vrboard.ui.meetings.meeting_dialog import MeetingDialog

    dlg = TermsDialog(ctx)
    qtbot.addWidget(dlg)
    assert [r[0] for r in dlg.rows()][:2] == ["Welcome and apologies", "Declarations of interest"]
    dlg.quorum.setValue(4)
    dlg.notice.setValue(7)
    dlg.add_item()
    dlg.table.item(dlg.table.rowCount() - 1, 0).setText("Youth Panel voice")
    dlg.table.item(dlg.table.rowCount() - 1, 1).setText("Youth Panel co-ordinator")
    last = dlg.table.rowCount() - 1
    dlg.table.selectRow(last)
    qtbot.mouseClick(dlg.up_button, Qt.MouseButton.LeftButton)  # above "Any other business"
    dlg.table.selectRow(0)
    qtbot.mouseClick(dlg.remove_button, Qt.MouseButton.LeftButton)
    spin = dlg.table.cellWidget(0, 2)
    assert isinstance(spin, QSpinBox)
    spin.setValue(7)
    name, email, phone = dlg.contact  # the contact officer on the cover of every pack
    name.setText("Dee Okoro")
    email.setText("dee.okoro@example.gov.uk")
    phone.setText("020 7946 0999")
    box = dlg.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    with ctx.read() as s:
        t = terms(s)
        assert (t.quorum, t.notice_clear_days) == (4, 7)
        assert [x[0] for x in t.standing] == [
            "Declarations of interest", "Minutes of the previous meeting and matters arising",
            "Action log review", "Youth Panel voice", "Any other business"]
        assert t.standing[0][2] == 7
        assert t.contact == ("Dee Okoro", "dee.okoro@example.gov.uk", "020 7946 0999")
        assert s.scalars(select(Board)).one().default_quorum == 4

    meeting = MeetingDialog(ctx)
    qtbot.addWidget(meeting)
    assert meeting.standing.isChecked()
    box = meeting.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    with ctx.read() as s:
        titles = list(s.scalars(select(AgendaItem.title).where(
            AgendaItem.meeting_id == meeting.saved_meeting_id).order_by(AgendaItem.position)))
    assert titles == [x[0] for x in t.standing]


def test_a_blank_title_is_refused(qtbot, ctx, auto_dialogs) -> None:  # noqa: ANN001
    from vrboard.ui.board.terms_dialog import TermsDialog

    dlg = TermsDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.table.item(1, 0).setText("  ")
    dlg.save()
    assert auto_dialogs == [("Terms of reference", "Standing item 2 has no title.")]
    with ctx.read() as s:
        assert terms(s).standing[1][0] == "Declarations of interest"
