"""From `vrboard init` (no demo) to a board pack, in the app: terms of reference, a member, a
workstream lead, a plan, an indicator, a meeting that starts with the standing items, a paper
attached, and the pack with the paper merged and its deadline shown."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QInputDialog
from sqlalchemy import select

from tests.conftest import actor
from vrboard.demo_papers import make_paper
from vrboard.model import AgendaItem, Indicator, Meeting, Plan, Workstream


@pytest.fixture
def new_ctx(qapp, board_db):  # noqa: ANN001, ANN201
    from vrboard.ui.context import AppContext

    return AppContext(board_db, actor(board_db, "sec"))


def _save(qtbot, dialog) -> None:  # noqa: ANN001
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_from_an_empty_board_to_a_pack(qtbot, new_ctx, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    from vrboard.pdf import build_board_pack
    from vrboard.ui.board.terms_dialog import TermsDialog
    from vrboard.ui.indicators.indicator_dialog import IndicatorDialog
    from vrboard.ui.meetings.meeting_dialog import MeetingDialog
    from vrboard.ui.pages.board import BoardPage
    from vrboard.ui.pages.meetings import MeetingsPage
    from vrboard.ui.pages.plans import PlansPage
    from vrboard.ui.pages.workstreams import WorkstreamsPage

    ctx = new_ctx
    monkeypatch.setenv("VRBOARD_NO_LIBREOFFICE", "1")
    # terms of reference: quorum 2, four clear days
    terms = TermsDialog(ctx)
    qtbot.addWidget(terms)
    terms.quorum.setValue(2)
    terms.notice.setValue(4)
    _save(qtbot, terms)
    # a member, from the Board page
    board = BoardPage(ctx)
    qtbot.addWidget(board)
    board.show()
    qtbot.mouseClick(board.add_button, Qt.MouseButton.LeftButton)
    member = board.dialog
    qtbot.keyClicks(member.name, "Cllr Ada Morgan")
    qtbot.keyClicks(member.email, "ada.morgan@example.gov.uk")
    member.term_start.setDate(QDate(2026, 1, 5))
    _save(qtbot, member)
    # the lead of WS1
    streams = WorkstreamsPage(ctx)
    qtbot.addWidget(streams)
    streams.show()
    streams.refresh()
    ws1 = next(w for w in streams.model.rows() if w.workstream.code == "WS1")
    streams.select(ws1.workstream.id)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a: ("Cllr Ada Morgan", True))
    qtbot.mouseClick(streams.lead_button, Qt.MouseButton.LeftButton)
    # a plan
    plans = PlansPage(ctx)
    qtbot.addWidget(plans)
    plans.show()
    plans.open_plan_dialog(None)
    plan = plans.dialog
    plan.code.setText("SVDS")
    plan.name.setText("Serious Violence Duty strategy")
    with qtbot.waitSignal(plan.finished):
        plan.save()
    # an indicator
    indicator = IndicatorDialog(ctx)
    qtbot.addWidget(indicator)
    indicator.code.setText("HO1")
    indicator.name.setText("Homicides, victims under 25")
    indicator.unit.setText("victims")
    indicator.target.setText("0")
    indicator.save()
    # a meeting, starting with the standing items
    meeting = MeetingDialog(ctx)
    qtbot.addWidget(meeting)
    meeting.venue.setText("Committee Room 1")
    _save(qtbot, meeting)
    mid = meeting.saved_meeting_id
    # a paper attached to its action log item, from the Meetings page
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.select_meeting(mid)
    agenda = page.agenda
    row = [agenda.model.row(n).title for n in range(agenda.model.rowCount())].index(
        "Action log review")
    agenda.table.selectRow(row)
    paper = tmp_path / "action-log.pdf"
    paper.write_bytes(make_paper("Action log summary for the board", 2))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(paper), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Action log summary", True))
    qtbot.mouseClick(agenda.attach_button, Qt.MouseButton.LeftButton)
    assert page.details.fields["Publication"].text().startswith("Pack due by ")

    with ctx.read() as s:
        assert s.scalars(select(Workstream).where(Workstream.code == "WS1")).one().lead.name == \
            "Cllr Ada Morgan"
        assert s.scalars(select(Plan).where(Plan.code == "SVDS")).one()
        assert s.scalars(select(Indicator).where(Indicator.code == "HO1")).one().target == 0
        m = s.get(Meeting, mid)
        assert m.quorum == 2
        titles = list(s.scalars(select(AgendaItem.title).where(AgendaItem.meeting_id == mid)
                                .order_by(AgendaItem.position)))
        assert titles[0] == "Welcome and apologies" and titles[-1] == "Any other business"
        pack = build_board_pack(s, mid, tmp_path / "pack.pdf", today=dt.date.today())
    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(pack.path)).pages)
    assert "Action log summary for the board" in text and "Paper page 2 of 2" in text
    assert "Cllr Ada Morgan" in text  # the WS1 lead in the highlight reports
