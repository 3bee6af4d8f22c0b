"""Community records added and corrected on the Community page: a conversation, a trained member
(and taking one off the pool), a workshop, a theme and the board's response, a youth panel
session, an ask and the reply, a needs assessment and a finding, and the actions that answer
them; the edit dialogs open pre-filled; refusals shown while the dialog stays open; nothing to
press for a viewer."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from vrboard.model import (
    Action,
    ChampionsWorkshop,
    CommunitySession,
    CommunityTheme,
    NeedsAssessment,
    NeedsFinding,
    TrainedMember,
    YouthAsk,
    YouthSession,
)
from vrboard.ui.pages.community import CommunityPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _page(qtbot, ctx):  # noqa: ANN001, ANN202
    p = CommunityPage(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    p.refresh()
    return p


def _save(qtbot, dlg) -> None:  # noqa: ANN001
    with qtbot.waitSignal(dlg.finished):
        dlg.save()


def test_conversations_members_and_workshops(qtbot, ctx, auto_dialogs) -> None:  # noqa: ANN001
    page = _page(qtbot, ctx)
    page.session_button.click()
    dlg = page.dialog
    dlg.held.set_date_value(dt.date.today() + dt.timedelta(days=3))
    dlg.place.setText("Deptford High Street")
    dlg.lead.setText("Deptford Action Group")
    dlg.people.setValue(14)
    dlg.save()  # in the future: refused, stays open
    assert dlg.isVisible() and "in the future" in auto_dialogs[-1][1]
    dlg.held.set_date_value(dt.date.today())
    _save(qtbot, dlg)
    assert any(r.place == "Deptford High Street" for r in page.conversations.model.rows())

    page.member_button.click()
    m = page.dialog
    m.name.setText("Amara Osei")
    m.by.setText("Citizens UK")
    _save(qtbot, m)
    page.workshop_button.click()
    w = page.dialog
    w.people.setValue(40)  # over 30: refused
    w.save()
    assert w.isVisible() and "too many" in auto_dialogs[-1][1]
    w.people.setValue(22)
    _save(qtbot, w)
    with ctx.read() as s:
        assert s.scalar(select(TrainedMember).where(TrainedMember.name == "Amara Osei"))
        assert s.scalar(select(ChampionsWorkshop).where(ChampionsWorkshop.participants == 22))


def test_themes_respond_and_link(qtbot, ctx, auto_dialogs) -> None:  # noqa: ANN001
    page = _page(qtbot, ctx)
    page.tabs.setCurrentWidget(page.themes)
    page.theme_button.click()
    t = page.dialog
    t.title.setText("Street lighting on the estates")
    t.save()  # no session ticked: refused
    assert t.isVisible() and "at least one session" in auto_dialogs[-1][1]
    t.sessions.set_checked(t.sessions.list.item(0).data(256))
    t.quotes.setPlainText("It's pitch dark by the garages")
    _save(qtbot, t)
    rows = page.themes.model.rows()
    n = next(i for i, r in enumerate(rows) if r.title == "Street lighting on the estates")
    page.themes.table.selectRow(n)
    page.respond_button.click()
    r = page.dialog
    r.state.setCurrentIndex(r.state.findData("done"))
    r.save()  # done without "we did": refused
    assert r.isVisible() and "before marking it done" in auto_dialogs[-1][1]
    r.reply.setPlainText("Lighting audit with the housing team; 40 lamps replaced.")
    _save(qtbot, r)
    page.theme_link_button.click()
    link = page.dialog
    with ctx.read() as s:
        refs = list(s.scalars(select(Action.reference).order_by(Action.reference).limit(2)))
    for ref in refs:
        link.actions.set_checked(ref)
    _save(qtbot, link)
    page.theme_link_button.click()
    unlink = page.dialog
    unlink.actions.set_checked(refs[0], False)
    _save(qtbot, unlink)
    with ctx.read() as s:
        theme = s.scalars(select(CommunityTheme).where(
            CommunityTheme.title == "Street lighting on the estates")).one()
        assert theme.state.value == "done" and [a.reference for a in theme.actions] == refs[1:]


def test_youth_panel_and_needs(qtbot, ctx, auto_dialogs) -> None:  # noqa: ANN001
    page = _page(qtbot, ctx)
    page.tabs.setCurrentWidget(page.youth)
    page.youth_session_button.click()
    ys = page.dialog
    ys.place.setText("Lewisham Youth Hub")
    ys.people.setValue(12)
    _save(qtbot, ys)
    page.ask_button.click()
    ask = page.dialog
    ask.session.setCurrentIndex(ask.session.findText("Lewisham Youth Hub",
                                                     flags=Qt.MatchFlag.MatchContains))
    ask.raised.setPlainText("Free travel to the weekend football sessions")
    _save(qtbot, ask)
    rows = page.youth.model.rows()
    n = next(i for i, r in enumerate(rows) if r.raised.startswith("Free travel"))
    page.youth.table.selectRow(n)
    page.reply_button.click()
    rep = page.dialog
    rep.reply.setPlainText("Asked TfL for a pilot.")
    rep.state.setCurrentIndex(rep.state.findData("in_progress"))
    _save(qtbot, rep)

    page.tabs.setCurrentWidget(page.needs)
    page.assessment_button.click()
    sna = page.dialog
    sna.save()  # no title: refused
    assert sna.isVisible() and auto_dialogs
    sna.title.setText("Needs assessment refresh 2026")
    _save(qtbot, sna)
    page.finding_button.click()
    f = page.dialog
    f.assessment.setCurrentIndex(f.assessment.findText("Needs assessment refresh 2026",
                                                       flags=Qt.MatchFlag.MatchStartsWith))
    f.finding.setPlainText("Robbery of young people peaks after school.")
    _save(qtbot, f)
    with ctx.read() as s:
        q = s.scalars(select(YouthAsk).where(YouthAsk.raised.startswith("Free travel"))).one()
        assert q.reply == "Asked TfL for a pilot." and q.state.value == "in_progress"
        assert s.scalars(select(NeedsFinding).where(NeedsFinding.text.startswith("Robbery"))).one()


def _select(tab, pick) -> object:  # noqa: ANN001
    rows = tab.model.rows()
    n = next(i for i, r in enumerate(rows) if pick(r))
    tab.table.selectRow(n)
    return rows[n]


def test_edit_a_conversation_a_member_and_a_workshop(qtbot, ctx, auto_dialogs) -> None:  # noqa: ANN001
    page = _page(qtbot, ctx)
    row = _select(page.conversations, lambda r: True)
    page.session_edit_button.click()
    dlg = page.dialog
    assert dlg.windowTitle() == "Edit community conversation"
    assert (dlg.place.text(), dlg.lead.text(), dlg.people.value()) == (row.place, row.lead, row.people)
    dlg.place.clear()
    dlg.save()  # no place: refused, stays open with what was typed
    assert dlg.isVisible() and "Place or ward is required" in auto_dialogs[-1][1]
    dlg.place.setText("Catford Broadway")
    dlg.people.setValue(row.people + 5)
    _save(qtbot, dlg)
    with ctx.read() as s:
        saved = s.get(CommunitySession, row.id)
        assert (saved.place, saved.participants, saved.version) == ("Catford Broadway", row.people + 5, 2)
    assert page.conversations.current().place == "Catford Broadway"  # refreshed, kept selected

    with ctx.read() as s:
        members = s.scalar(select(func.count()).select_from(TrainedMember))
    page.member_remove_button.click()
    rm = page.dialog
    name = rm.member.currentText().split(" (")[0]
    _save(qtbot, rm)
    assert auto_dialogs[-1][0] == "Remove a trained member" and name in auto_dialogs[-1][1]
    with ctx.read() as s:
        assert s.scalar(select(func.count()).select_from(TrainedMember)) == members - 1
        assert not s.scalar(select(TrainedMember).where(TrainedMember.name == name))

    page.workshop_edit_button.click()
    w = page.dialog
    with ctx.read() as s:
        first = s.get(ChampionsWorkshop, w.which.currentData())
        assert w.people.value() == first.participants and w.place.text() == first.place
    w.people.setValue(31)
    w.save()  # over 30: refused
    assert w.isVisible() and "too many" in auto_dialogs[-1][1]
    w.people.setValue(18)
    _save(qtbot, w)
    with ctx.read() as s:
        assert s.get(ChampionsWorkshop, first.id).participants == 18


def test_edit_a_theme(qtbot, ctx, auto_dialogs) -> None:  # noqa: ANN001
    page = _page(qtbot, ctx)
    page.tabs.setCurrentWidget(page.themes)
    row = _select(page.themes, lambda r: True)
    page.theme_edit_button.click()
    t = page.dialog
    assert t.title.text() == row.title and t.quotes.toPlainText() == "\n".join(row.quotes)
    before = t.sessions.checked()
    assert len(before) == row.sessions
    for sid in before:
        t.sessions.set_checked(sid, False)
    t.save()  # no session left: refused, nothing written
    assert t.isVisible() and "at least one session" in auto_dialogs[-1][1]
    others = [t.sessions.list.item(i).data(256) for i in range(t.sessions.list.count())]
    extra = next(i for i in others if i not in before)
    t.sessions.set_checked(extra)
    t.title.setText(row.title + " (after dark)")
    _save(qtbot, t)
    with ctx.read() as s:
        saved = s.get(CommunityTheme, row.id)
        assert saved.title == row.title + " (after dark)"
        assert [x.id for x in saved.sessions] == [extra]


def test_edit_a_youth_ask_its_session_an_assessment_and_a_finding(qtbot, ctx,  # noqa: ANN001
                                                                  auto_dialogs) -> None:  # noqa: ANN001
    page = _page(qtbot, ctx)
    page.tabs.setCurrentWidget(page.youth)
    row = _select(page.youth, lambda r: True)
    page.ask_edit_button.click()
    ask = page.dialog
    assert ask.raised.toPlainText() == row.raised and ask.session.currentData() == row.session_id
    ask.raised.setPlainText(" ")
    ask.save()  # empty: refused
    assert ask.isVisible() and "What was raised is required" in auto_dialogs[-1][1]
    ask.raised.setPlainText("Safer routes home from the youth club")
    _save(qtbot, ask)
    page.youth_session_edit_button.click()
    ys = page.dialog
    assert ys.place.text() == row.place
    ys.notes.setPlainText("Fourteen young people; two youth workers.")
    _save(qtbot, ys)
    with ctx.read() as s:
        assert s.get(YouthAsk, row.id).raised == "Safer routes home from the youth club"
        assert s.get(YouthSession, row.session_id).notes.startswith("Fourteen")

    page.tabs.setCurrentWidget(page.needs)
    f_row = _select(page.needs, lambda r: True)
    page.finding_edit_button.click()
    f = page.dialog
    assert f.finding.toPlainText() == f_row.text and f.number.text() == f_row.number
    assert not f.assessment.isEnabled()
    others = [r.number for r in page.needs.model.rows()
              if r.assessment_id == f_row.assessment_id and r.id != f_row.id]
    if others:
        f.number.setText(others[0])
        f.save()  # a number the assessment already has: refused
        assert f.isVisible() and "already has a finding" in auto_dialogs[-1][1]
        f.number.setText(f_row.number)
    f.finding.setPlainText("Robbery of young people peaks between 3pm and 5pm.")
    _save(qtbot, f)
    page.assessment_edit_button.click()
    sna = page.dialog
    assert sna.title.text() == f_row.assessment
    sna.summary.setPlainText("Refreshed with the 2026 A&E data.")
    _save(qtbot, sna)
    with ctx.read() as s:
        assert s.get(NeedsFinding, f_row.id).text.startswith("Robbery of young people peaks between")
        assert s.get(NeedsAssessment, f_row.assessment_id).summary == "Refreshed with the 2026 A&E data."


def test_a_viewer_cannot_change_community_records(qtbot, viewer_ctx) -> None:  # noqa: ANN001
    page = _page(qtbot, viewer_ctx)
    for b in (page.session_button, page.theme_button, page.respond_button, page.ask_button,
              page.reply_button, page.finding_link_button, page.session_edit_button,
              page.member_remove_button, page.workshop_edit_button, page.theme_edit_button,
              page.ask_edit_button, page.youth_session_edit_button, page.finding_edit_button,
              page.assessment_edit_button):
        assert not b.isEnabled()
    assert "may change community records" in page.theme_button.toolTip()
