"""Community records added on the Community page: a conversation, a trained member, a
workshop, a theme and the board's response, a youth panel session, an ask and the reply, a
needs assessment and a finding, and the actions that answer them; refusals shown while the
dialog stays open; nothing to press for a viewer."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from vrboard.model import (
    Action,
    ChampionsWorkshop,
    CommunityTheme,
    NeedsFinding,
    TrainedMember,
    YouthAsk,
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


def test_a_viewer_cannot_change_community_records(qtbot, viewer_ctx) -> None:  # noqa: ANN001
    page = _page(qtbot, viewer_ctx)
    for b in (page.session_button, page.theme_button, page.respond_button, page.ask_button,
              page.reply_button, page.finding_link_button):
        assert not b.isEnabled()
    assert "may change community records" in page.theme_button.toolTip()
