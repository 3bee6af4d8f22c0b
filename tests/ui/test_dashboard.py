"""The dashboard: figures match the record, RAG shows its letter, late and inconsistent
actions stand out, and one click takes the chair to an action to sign off."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.conftest import actor
from vrboard.model import RAG
from vrboard.services import dashboard as dash_svc
from vrboard.ui.context import AppContext
from vrboard.ui.pages.dashboard import DashboardPage


def _page(qtbot, ctx) -> DashboardPage:  # noqa: ANN001
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.refresh_if_stale()  # what showing it does
    return page


@pytest.fixture
def page(qtbot, ctx) -> DashboardPage:
    return _page(qtbot, ctx)


def test_figures_match_the_record(page, ctx):
    with ctx.read() as s:
        data = dash_svc.summary(s, ctx.actor, ctx.today)
    assert data.open_total > 0 and data.overdue and data.due_soon and data.awaiting
    assert page.stat_open.value == data.open_total
    assert page.stat_overdue.value == len(data.overdue)
    assert page.stat_soon.value == len(data.due_soon)
    assert page.stat_awaiting.value == len(data.awaiting)
    assert page.stat_check.value == len(data.inconsistent) > 0
    assert page.stat_overdue.accessibleName() == f"Overdue: {len(data.overdue)}"
    assert page.tabs.tabText(0) == f"Overdue ({len(data.overdue)})"
    assert page.ws_model.rowCount() == 8
    assert sum(w.open for w in page.ws_model.rows()) == data.open_total


def test_rag_is_never_colour_alone(page, ctx):
    counts = page.rag_bar.counts
    assert sum(counts.values()) == page.stat_open.value
    assert page.rag_bar.text_for(RAG.RED) == f"R {counts[RAG.RED]}"
    assert f"red {counts[RAG.RED]}" in page.rag_bar.accessibleDescription()
    red_col = [c.header for c in page.ws_model.columns].index("Red")
    ws = page.ws_model.rows()[0]
    assert page.ws_model.data(page.ws_model.index(0, red_col)) == str(ws.by_rag[RAG.RED])
    rag_col = [c.header for c in page.overdue_model.columns].index("RAG")
    assert page.overdue_model.data(page.overdue_model.index(0, rag_col)) in {"Red", "Amber", "Green"}


def test_overdue_but_green_actions_are_flagged_in_words(page, ctx):
    check = len(page.overdue_model.columns) - 1
    flagged = [page.overdue_model.row(i) for i in range(page.overdue_model.rowCount())
               if page.overdue_model.data(page.overdue_model.index(i, check)) == "Overdue but shown green"]
    assert flagged and all(a.rag is RAG.GREEN and a.is_overdue(ctx.today) for a in flagged)
    page.stat_check.click()
    assert page.tabs.currentIndex() == 0
    first = page.overdue_model.row(0)
    assert first.is_inconsistent(ctx.today)  # the flagged ones come first


def test_figures_open_the_actions_page_with_the_agreed_presets(qtbot, page):
    with qtbot.waitSignal(page.navigate) as sig:
        page.stat_overdue.click()
    assert sig.args == ["actions", {"preset": "overdue"}]
    with qtbot.waitSignal(page.navigate) as sig:
        page.stat_awaiting.click()
    assert sig.args == ["actions", {"preset": "awaiting_sign_off"}]
    with qtbot.waitSignal(page.navigate) as sig:
        page.stat_soon.click()
    assert sig.args == ["actions", {"preset": "due_soon"}]
    ws = page.ws_model.row(2).workstream
    with qtbot.waitSignal(page.navigate) as sig:
        page.ws_view.activated.emit(page.ws_model.index(2, 0))
    assert sig.args == ["actions", {"workstream_id": ws.id}]


def test_the_chair_reviews_an_action_awaiting_sign_off_in_one_step(qtbot, chair_ctx):
    page = _page(qtbot, chair_ctx)
    assert page.review.text() == "Review and sign off…" and page.review.isEnabled()
    page.awaiting_view.selectRow(1)
    target = page.awaiting_model.row(1)
    with qtbot.waitSignal(page.navigate) as sig:
        page.review.click()
    assert sig.args == ["actions", {"action_id": target.id}]
    with qtbot.waitSignal(page.navigate) as sig:
        page.awaiting_view.activated.emit(page.awaiting_model.index(0, 0))
    assert sig.args == ["actions", {"action_id": page.awaiting_model.row(0).id}]


def test_others_are_told_only_the_chair_signs_off(qtbot, owner_ctx):
    page = _page(qtbot, owner_ctx)
    assert page.review.text() == "Open in Actions…"
    assert "Only the chair signs actions off" in page.awaiting_hint.text()


def test_next_meeting_and_what_its_pack_lacks(qtbot, page, ctx):
    with ctx.read() as s:
        data = dash_svc.summary(s, ctx.actor, ctx.today)
    m = data.next_meeting
    assert m is not None and m.gaps
    assert m.title in page.meeting_title.text()
    assert m.starts_at.strftime("%d/%m/%Y") in page.meeting_when.text()
    assert page.gaps_title.text() == f"Missing for the pack ({len(m.gaps)})"
    for gap in m.gaps:
        assert gap in page.gaps.text()
    with qtbot.waitSignal(page.navigate) as sig:
        page.open_meeting.click()
    assert sig.args == ["meetings", {"meeting_id": m.id}]


def test_a_board_with_nothing_planned(qtbot, board_db):
    page = _page(qtbot, AppContext(board_db, actor(board_db, "sec")))
    assert page.meeting_title.text() == "No meeting is planned."
    assert not page.open_meeting.isEnabled()
    assert page.stat_open.value == 0 and page.rag_bar.counts == {r: 0 for r in RAG}
    assert not page.review.isEnabled()


def test_a_change_elsewhere_refreshes_the_figures(qtbot, page, chair_ctx):
    from vrboard.services import actions as act_svc

    before = page.stat_awaiting.value
    target = page.awaiting_model.row(0)
    with chair_ctx.db.transaction() as s:
        act_svc.sign_off(s, chair_ctx.actor, target.id, None)
    page.ctx.changed.emit("action")
    page.refresh_if_stale()
    assert page.stat_awaiting.value == before - 1


@pytest.mark.parametrize("which", ["ws_model", "overdue_model", "soon_model", "awaiting_model"])
def test_table_models_pass_qtmodeltester(qtmodeltester, page, which):
    qtmodeltester.check(getattr(page, which), force_py=True)


def test_tables_sort_on_their_own_keys(page):
    late = 5  # "Days late"
    page.overdue_view.sortByColumn(late, Qt.SortOrder.AscendingOrder)
    days = [int(page.overdue_model.data(page.overdue_model.index(i, late)))
            for i in range(page.overdue_model.rowCount())]
    assert days == sorted(days)
