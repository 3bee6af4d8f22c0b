"""From `vrboard init` (no demo) to an issued board pack, in the app, never the command line:
terms of reference (quorum as a fraction, notice, a standing item that needs no paper), a
member, a workstream lead, a plan, a domain, an indicator (frequency, Home Office measure), a
meeting that starts with the standing items, an item planned in the forward plan brought onto
its agenda, a paper attached, and the pack issued with the paper merged. A late pack asks
for its reason."""
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
from vrboard.model import AgendaItem, Domain, Indicator, IssuedDocument, Meeting, Plan, Workstream
from vrboard.services import meetings as mtg


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
    # terms of reference: quorum one third of the voting members, four clear days, and a
    # standing "Date of next meeting" that needs no paper
    terms = TermsDialog(ctx)
    qtbot.addWidget(terms)
    terms.quorum.setValue(2)
    terms.quorum.mode.setCurrentIndex(1)
    terms.quorum.fraction.setCurrentText("one third")
    terms.notice.setValue(4)
    qtbot.mouseClick(terms.add_button, Qt.MouseButton.LeftButton)
    new_row = terms.table.rowCount() - 1
    terms.table.item(new_row, 0).setText("Date of next meeting")
    terms.table.item(new_row, 3).setCheckState(Qt.CheckState.Checked)
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
    # a domain, from the Plans page
    qtbot.mouseClick(plans.domains_button, Qt.MouseButton.LeftButton)
    domains = plans.domains_dialog
    assert domains.add("Online harms") is not None
    domains.rename("Online and social-media harms")
    domains.accept()
    # an indicator: monthly, a Home Office outcome measure
    indicator = IndicatorDialog(ctx)
    qtbot.addWidget(indicator)
    indicator.code.setText("HO1")
    indicator.name.setText("Homicides, victims under 25")
    indicator.unit.setText("victims")
    indicator.target.setText("0")
    indicator.frequency.setCurrentText("Monthly")
    indicator.home_office.setChecked(True)
    indicator.save()
    # a meeting, starting with the standing items
    meeting = MeetingDialog(ctx)
    qtbot.addWidget(meeting)
    meeting.venue.setText("Committee Room 1")
    _save(qtbot, meeting)
    mid = meeting.saved_meeting_id
    # an item planned in the forward plan, brought onto the agenda before any other business
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.open_forward_plan()
    plan_dialog = page.dialog
    assert plan_dialog.plan_item({"meeting_id": mid, "title": "Serious Violence Duty strategy",
                                  "presenter": "Head of Community Safety"}) is not None
    plan_dialog.accept()
    page.select_meeting(mid)
    agenda = page.agenda
    assert not agenda.planned_button.isHidden()
    qtbot.mouseClick(agenda.planned_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(agenda.planned_button.isHidden)
    # a paper attached to its action log item, from the Meetings page
    row = [agenda.model.row(n).title for n in range(agenda.model.rowCount())].index(
        "Action log review")
    agenda.table.selectRow(row)
    paper = tmp_path / "action-log.pdf"
    paper.write_bytes(make_paper("Action log summary for the board", 2))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(paper), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Action log summary", True))
    qtbot.mouseClick(agenda.attach_button, Qt.MouseButton.LeftButton)
    assert page.details.fields["Publication"].text().startswith("Pack due by ")

    # procedural items need no paper: only the planned item still waits for one
    assert page.details.gaps.text() == ("•  Item 5 'Serious Violence Duty strategy' has no paper "
                                        "attached.")
    # the pack, issued from the Documents tab (on time: no reason asked)
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *a, **k: pytest.fail("an on-time pack asked for a late reason"))
    qtbot.mouseClick(page.documents.issue_button, Qt.MouseButton.LeftButton)
    issue = page.documents.dialog
    issue.open_after.setChecked(False)
    issue.path.set_path(str(tmp_path / "issued.pdf"))
    task = issue.start()
    with qtbot.waitSignal(task.done, timeout=60000):
        pass

    with ctx.read() as s:
        assert s.scalars(select(Workstream).where(Workstream.code == "WS1")).one().lead.name == \
            "Cllr Ada Morgan"
        assert s.scalars(select(Plan).where(Plan.code == "SVDS")).one()
        ho1 = s.scalars(select(Indicator).where(Indicator.code == "HO1")).one()
        assert (ho1.target, ho1.frequency, ho1.home_office_measure) == (0, "Monthly", True)
        assert s.scalars(select(Domain).where(Domain.name == "Online and social-media harms")).one()
        m = s.get(Meeting, mid)
        assert (m.quorum_fraction, m.pack_final) == ("1/3", True)
        assert mtg.quorum(s, m).required == 1  # one third of the one voting member
        titles = list(s.scalars(select(AgendaItem.title).where(AgendaItem.meeting_id == mid)
                                .order_by(AgendaItem.position)))
        assert titles[0] == "Welcome and apologies" and titles[-3:] == [
            "Serious Violence Duty strategy", "Any other business", "Date of next meeting"]
        doc = s.scalars(select(IssuedDocument).where(IssuedDocument.meeting_id == mid)).one()
        assert doc.version_number == 1 and doc.late_reason == ""
        pack = build_board_pack(s, mid, tmp_path / "pack.pdf", today=dt.date.today())
    assert (tmp_path / "issued.pdf").read_bytes().startswith(b"%PDF-")
    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(pack.path)).pages)
    assert "Action log summary for the board" in text and "Paper page 2 of 2" in text
    assert "Cllr Ada Morgan" in text  # the WS1 lead in the highlight reports


def test_a_late_pack_asks_for_the_reason_and_records_it(qtbot, ctx, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    from vrboard.services import meetings as svc
    from vrboard.ui.dialogs.pack import PackDialog

    with ctx.db.transaction() as s:
        mid = svc.create_meeting(s, ctx.actor, dt.datetime.combine(
            ctx.today + dt.timedelta(days=1), dt.time(10))).id
    asked: list[str] = []

    def answer(_parent, _title, label, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        asked.append(label)
        return "The police data arrived late", True

    monkeypatch.setattr(QInputDialog, "getMultiLineText", answer)
    dlg = PackDialog(ctx, None, kind="pack", meeting_id=mid, issue=True)
    qtbot.addWidget(dlg)
    dlg.open_after.setChecked(False)
    dlg.public.setChecked(True)
    dlg.path.set_path(str(tmp_path / "late.pdf"))
    task = dlg.start()
    with qtbot.waitSignal(task.done, timeout=60000):
        pass
    assert asked and "was due by" in asked[0]
    with ctx.read() as s:
        doc = s.scalars(select(IssuedDocument).where(IssuedDocument.meeting_id == mid)).one()
        assert doc.late_reason == "The police data arrived late"
