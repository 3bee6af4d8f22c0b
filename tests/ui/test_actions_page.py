"""The Actions page driven as its users would: filters, search, sorting, progress updates,
completion, the chair's sign-off and an owner's refusal."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from vrboard.model import RAG, Action, ActionStatus, Workstream
from vrboard.ui.actions import table_model as tm
from vrboard.ui.actions.dialogs import ProgressDialog, ReasonDialog
from vrboard.ui.pages.actions import ActionsPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def page_for(qtbot):  # noqa: ANN001, ANN201
    def make(ctx) -> ActionsPage:  # noqa: ANN001
        page = ActionsPage(ctx)
        qtbot.addWidget(page)
        page.resize(1280, 800)
        page.show()
        qtbot.waitExposed(page)
        return page
    return make


def _find(db, **where) -> Action:  # noqa: ANN001, ANN003
    with db.session() as s:
        q = select(Action).order_by(Action.reference)
        for k, v in where.items():
            q = q.where(getattr(Action, k) == v)
        return s.scalars(q).first()


def _visible(page: ActionsPage, col: int) -> list[str]:
    m = page.model
    return [m.data(m.index(r, col)) for r in range(m.rowCount())]


def test_models_pass_qtmodeltester(qtmodeltester, page_for, ctx):  # noqa: ANN001
    page = page_for(ctx)
    assert page.model.rowCount() == 61
    qtmodeltester.check(page.model)
    page.model.set_filter(tm.Filter(search="youth"))
    qtmodeltester.check(page.model)
    page.select_action(_find(ctx.db, reference="KC-001").id)
    qtmodeltester.check(page.detail.updates)
    qtmodeltester.check(page.detail.sign_offs)


def test_rag_shows_its_letter_and_overdue_is_a_word(page_for, ctx):  # noqa: ANN001
    page = page_for(ctx)
    m = page.model
    rags = set(_visible(page, tm.C_RAG))
    assert rags <= {"R", "A", "G"} and len(rags) == 3
    row = next(r for r in range(m.rowCount()) if m.data(m.index(r, tm.C_OVERDUE)) == "Overdue")
    assert "past its due date" in m.data(m.index(row, tm.C_OVERDUE), Qt.ItemDataRole.ToolTipRole)
    red = next(r for r in range(m.rowCount()) if m.data(m.index(r, tm.C_RAG)) == "R")
    assert m.data(m.index(red, tm.C_RAG), Qt.ItemDataRole.AccessibleTextRole) == "Red"
    assert m.data(m.index(red, tm.C_RAG), Qt.ItemDataRole.BackgroundRole) is not None


def test_filters_and_search(qtbot, page_for, ctx):  # noqa: ANN001
    page = page_for(ctx)
    bar = page.filters
    with ctx.read() as s:
        ws2 = s.scalars(select(Workstream).where(Workstream.code == "WS2")).one()
    bar.workstream.setCurrentIndex(bar.workstream.findData(ws2.id))
    assert set(_visible(page, tm.C_WS)) == {"WS2"}
    assert f"{page.model.rowCount()} of 61 actions" == bar.count.text()
    bar.clear()
    bar.plan.setCurrentIndex(bar.plan.findData("VAWG"))
    assert page.model.rowCount() > 0 and all("VAWG" in p for p in _visible(page, tm.C_PLANS))
    bar.clear()
    bar.overdue.setChecked(True)
    overdue = _visible(page, tm.C_OVERDUE)
    assert overdue and set(overdue) == {"Overdue"}
    bar.clear()
    qtbot.keyClicks(bar.search, "youth panel")
    qtbot.waitUntil(lambda: page.model.filter.search == "youth panel")
    titles = _visible(page, tm.C_TITLE)
    assert titles and all("youth panel" in (t + page.model.row_tuple(i)[14]).lower()
                          for i, t in enumerate(titles))
    bar.rag.setCurrentIndex(bar.rag.findData("green"))
    assert set(_visible(page, tm.C_RAG)) <= {"G"}
    bar.clear()
    assert page.model.rowCount() == 61 and bar.count.text() == "61 actions"


def test_the_detail_follows_the_filtered_list(qtbot, page_for, ctx):  # noqa: ANN001
    """Select BS-001, search "youth": the detail showed BS-001 with Edit and Drop enabled."""
    page = page_for(ctx)
    page.select_action(_find(ctx.db, reference="BS-001").id)
    assert page.detail.detail.reference == "BS-001"
    qtbot.keyClicks(page.filters.search, "youth")
    qtbot.waitUntil(lambda: page.model.filter.search == "youth")
    listed = _visible(page, tm.C_REF)
    assert "BS-001" not in listed and listed
    assert page.detail.detail is not None and page.detail.detail.reference in listed
    current = page.table.currentIndex()
    assert page.model.action_id(current.row()) == page.detail.detail.id
    page.filters.search.setText("zzzz-nothing-matches")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.detail.detail is None and not page.detail.buttons["drop"].isEnabled()


def test_sort_by_due_date_keeps_the_selection(page_for, ctx):  # noqa: ANN001
    page = page_for(ctx)
    target = _find(ctx.db, reference="VG-002")
    page.select_action(target.id)
    page.table.sortByColumn(tm.C_DUE, Qt.SortOrder.AscendingOrder)
    dues = [page.model.row_tuple(r)[7] for r in range(page.model.rowCount())]
    dated = [d for d in dues if d is not None]
    assert dated == sorted(dated) and dues[: len(dated)] == dated  # undated last
    assert page.selected_id() == target.id
    page.table.sortByColumn(tm.C_DUE, Qt.SortOrder.DescendingOrder)
    dated = [d for d in (page.model.row_tuple(r)[7] for r in range(page.model.rowCount())) if d]
    assert dated == sorted(dated, reverse=True)
    page.table.sortByColumn(tm.C_REF, Qt.SortOrder.AscendingOrder)
    refs = _visible(page, tm.C_REF)
    assert refs == sorted(refs, key=tm.ref_key)


def test_add_a_progress_update_through_its_dialog(page_for, ctx, monkeypatch):  # noqa: ANN001
    page = page_for(ctx)
    action = _find(ctx.db, status=ActionStatus.IN_PROGRESS)
    page.select_action(action.id)
    assert page.detail.buttons["update"].isEnabled()

    def fill(dlg: ProgressDialog) -> int:
        dlg.text.setPlainText("Workshop venue booked; invitations sent.")
        dlg.percent.setValue(65)
        dlg.rag.setCurrentIndex(dlg.rag.findData("amber"))
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(ProgressDialog, "exec", fill)
    page.detail.buttons["update"].click()
    after = _find(ctx.db, id=action.id)
    assert after.percent_complete == 65 and after.rag is RAG.AMBER
    row = page.model.row_of(action.id)
    assert page.model.data(page.model.index(row, tm.C_PCT)) == "65%"
    assert page.model.data(page.model.index(row, tm.C_LATEST)) == dt.date.today().strftime("%d/%m/%Y")
    first = page.detail.updates.row(0)
    assert first.text == "Workshop venue booked; invitations sent." and first.author == "Ruth Kaplan"


def test_owner_marks_complete_and_chair_signs_off(page_for, owner_ctx, chair_ctx, auto_dialogs):  # noqa: ANN001
    mine = _find(owner_ctx.db, owner_id=owner_ctx.actor.person_id, status=ActionStatus.IN_PROGRESS)
    page = page_for(owner_ctx)
    page.select_action(mine.id)
    assert page.detail.buttons["complete"].isEnabled()
    assert page.detail.mark_complete("All four workshops delivered.")
    assert _find(owner_ctx.db, id=mine.id).status is ActionStatus.AWAITING_SIGN_OFF
    # the owner sees sign-off but may not use it, and is told who may
    sign = page.detail.buttons["sign_off"]
    assert sign.isVisible() and not sign.isEnabled()
    assert "Only the chair" in sign.toolTip() and "Tom Fletcher is not the chair" in sign.toolTip()
    # forcing it anyway is refused by the service, in plain words
    assert not page.detail.sign_off("I am sure")
    assert auto_dialogs and "Only the chair" in auto_dialogs[-1][1]
    assert _find(owner_ctx.db, id=mine.id).status is ActionStatus.AWAITING_SIGN_OFF

    chair = page_for(chair_ctx)
    chair.open_target({"preset": "awaiting_sign_off"})
    assert mine.reference in _visible(chair, tm.C_REF)
    chair.select_action(mine.id)
    assert chair.detail.buttons["sign_off"].isEnabled()
    assert chair.detail.sign_off("Agreed at the board.")
    signed = _find(chair_ctx.db, id=mine.id)
    assert signed.status is ActionStatus.SIGNED_OFF
    assert chair.detail.sign_offs.row(0).by == "Cllr Zoë Adeyemi"
    assert not chair.detail.buttons["edit"].isEnabled()
    assert "read-only" in chair.detail.buttons["update"].toolTip()


def test_chair_reopens_with_a_reason(page_for, chair_ctx, monkeypatch):  # noqa: ANN001
    signed = _find(chair_ctx.db, status=ActionStatus.SIGNED_OFF)
    page = page_for(chair_ctx)
    page.select_action(signed.id)
    assert page.detail.buttons["reopen"].isEnabled()
    seen: list[bool] = []

    def answer(dlg: ReasonDialog) -> int:
        seen.append(dlg.ok.isEnabled())  # no reason yet: OK is disabled
        dlg.text.setPlainText("The evaluation found the work incomplete.")
        seen.append(dlg.ok.isEnabled())
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(ReasonDialog, "exec", answer)
    page.detail.buttons["reopen"].click()
    assert seen == [False, True]
    after = _find(chair_ctx.db, id=signed.id)
    assert after.status is ActionStatus.IN_PROGRESS
    line = page.detail.sign_offs.row(0)
    assert line.kind == "Reopened" and "incomplete" in line.note


def test_owner_cannot_touch_someone_elses_action(page_for, owner_ctx):  # noqa: ANN001
    with owner_ctx.read() as s:
        other = s.scalars(select(Action).where(Action.owner_id != owner_ctx.actor.person_id,
                                               Action.status == ActionStatus.IN_PROGRESS)).first()
    page = page_for(owner_ctx)
    page.select_action(other.id)
    for key in ("edit", "update", "complete", "drop"):
        assert not page.detail.buttons[key].isEnabled()
    assert "action's owner" in page.detail.buttons["update"].toolTip()
    assert not page.new_button.isEnabled()


def test_drop_with_a_reason(page_for, ctx):  # noqa: ANN001
    action = _find(ctx.db, status=ActionStatus.NOT_STARTED) or _find(ctx.db, status=ActionStatus.IN_PROGRESS)
    page = page_for(ctx)
    page.select_action(action.id)
    assert page.detail.drop("Superseded by the partnership's own plan.")
    after = _find(ctx.db, id=action.id)
    assert after.status is ActionStatus.DROPPED and "Superseded" in after.dropped_reason
    assert "Superseded" in page.detail.fields["Dropped because"].text()


def test_open_target_contract(page_for, ctx):  # noqa: ANN001
    page = page_for(ctx)
    target = _find(ctx.db, reference="KC-003")
    page.filters.search.setText("zzzz-nothing")
    page.filters.emit_filter()
    assert page.model.rowCount() == 0
    page.open_target({"action_id": target.id})
    assert page.selected_id() == target.id and page.detail.detail.reference == "KC-003"
    page.open_target({"preset": "overdue"})
    assert page.filters.overdue.isChecked() and set(_visible(page, tm.C_OVERDUE)) == {"Overdue"}
    page.open_target({"plan_code": "SLAP"})
    assert not page.filters.overdue.isChecked() and page.filters.plan.currentData() == "SLAP"
    page.open_target({"preset": "due_soon"})
    soon = dt.date.today() + dt.timedelta(days=14)
    assert all(dt.date.today() <= page.model.row_tuple(r)[7] <= soon for r in range(page.model.rowCount()))


def test_keyboard_shortcuts_and_accessible_names(qtbot, page_for, ctx, monkeypatch):  # noqa: ANN001
    from vrboard.ui.actions.action_dialog import ActionDialog

    page = page_for(ctx)
    page.activateWindow()
    page.table.setFocus()
    page.find_act.trigger()
    assert page.filters.search.hasFocus() or qtbot.waitUntil(page.filters.search.hasFocus) is None
    opened: list[dict] = []

    def fake_exec(dlg: ActionDialog) -> int:
        opened.append({"ws": dlg.workstream.currentData()})
        return QDialog.DialogCode.Rejected
    monkeypatch.setattr(ActionDialog, "exec", fake_exec)
    page.filters.workstream.setCurrentIndex(3)
    page.new_act.trigger()
    assert opened == [{"ws": page.filters.workstream.currentData()}]  # new action in that workstream
    assert page.new_act.shortcut().toString() == "Ctrl+N"
    assert page.update_act.shortcut().toString() == "Ctrl+U"
    for w in (page.table, page.filters.search, page.filters.workstream, page.detail):
        assert w.accessibleName()


def _tab_stops(start):  # noqa: ANN001, ANN202
    """The widgets Tab visits from ``start``, in order (focusable, visible and enabled)."""
    out, w = [], start.nextInFocusChain()
    while w is not start and len(out) < 60:
        if (w.focusPolicy() & Qt.FocusPolicy.TabFocus) and w.isVisible() and w.isEnabled():
            out.append(w)
        w = w.nextInFocusChain()
    return out


def test_tab_order_runs_from_search_through_filters_to_the_table(page_for, ctx):  # noqa: ANN001
    page = page_for(ctx)
    page.select_action(_find(ctx.db, status=ActionStatus.IN_PROGRESS).id)
    f = page.filters
    stops = _tab_stops(f.search)
    assert stops[:5] == [f.workstream, f.plan, f.owner, f.status, f.rag]
    assert stops.index(f.clear_button) + 1 == stops.index(page.table)
    assert stops[stops.index(page.table) + 1] is page.detail.buttons["edit"]


def test_raised_at_links_to_the_meeting(qtbot, page_for, ctx):  # noqa: ANN001
    with ctx.read() as s:
        a = s.scalars(select(Action).where(Action.raised_meeting_id.is_not(None))).first()
    page = page_for(ctx)
    page.select_action(a.id)
    label = page.detail.fields["Raised at"]
    assert f'href="meeting:{a.raised_meeting_id}"' in label.text()
    with qtbot.waitSignal(page.navigate) as sig:
        label.linkActivated.emit(f"meeting:{a.raised_meeting_id}")
    assert sig.args == ["meetings", {"meeting_id": a.raised_meeting_id}]


def test_at_1024_by_700_nothing_is_clipped(qtbot, page_for, ctx):  # noqa: ANN001
    """The filter bar was clipped and the progress history one letter wide at 1024×700."""
    from PySide6.QtWidgets import QWidget

    page = page_for(ctx)
    page.resize(1024 - 150, 700 - 90)  # the window less its page list, toolbar and status bar
    page.select_action(_find(ctx.db, reference="BS-001").id)
    qtbot.waitUntil(lambda: page.width() == 1024 - 150)
    bar = page.filters
    for w in bar.findChildren(QWidget):
        if w.isVisible() and w.parent() is bar:
            r = w.geometry()
            assert r.left() >= 0 and r.right() <= bar.width(), (w.objectName() or w, r, bar.width())
            assert w.width() >= w.minimumWidth(), w
    updates = page.detail.tabs.widget(0)
    header = updates.horizontalHeader()
    assert header.sectionSize(2) >= 0.4 * updates.viewport().width()
