"""The Workstreams page: the eight with lead, counts by RAG (letters and numbers), their
actions, and the way to the Actions page."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from vrboard.model import Action, ActionStatus, Workstream
from vrboard.services.queries import OPEN
from vrboard.ui.pages.workstreams import WorkstreamsPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def page(qtbot, ctx):  # noqa: ANN001, ANN201
    p = WorkstreamsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_the_eight_with_counts(page, qtmodeltester, ctx):  # noqa: ANN001
    m = page.model
    assert m.rowCount() == 8
    qtmodeltester.check(m)
    qtmodeltester.check(page.panel.model)
    codes = [m.data(m.index(r, 0)) for r in range(8)]
    assert codes == [f"WS{n}" for n in range(1, 9)]
    with ctx.read() as s:
        ws2 = s.scalars(select(Workstream).where(Workstream.code == "WS2")).one()
        lead = ws2.lead.name
        red_open = s.scalar(select(func.count()).select_from(Action).where(
            Action.workstream_id == ws2.id, Action.rag == "red", Action.status.in_(OPEN)))
    row = codes.index("WS2")
    assert m.data(m.index(row, 3)) == f"R {red_open}"  # letter and number, not colour alone
    assert m.data(m.index(row, 2)) == lead
    assert "open actions reported red" in m.data(m.index(row, 3), Qt.ItemDataRole.ToolTipRole)


def test_selecting_shows_its_actions_and_navigates(page, qtbot, ctx):  # noqa: ANN001
    with ctx.read() as s:
        ws3 = s.scalars(select(Workstream).where(Workstream.code == "WS3")).one()
        total = s.scalar(select(func.count()).select_from(Action).where(Action.workstream_id == ws3.id))
    page.open_target({"workstream_id": ws3.id})
    assert page.panel.heading.text().startswith("WS3")
    pm = page.panel.model
    assert pm.rowCount() == total
    assert {pm.data(pm.index(r, 2)) for r in range(pm.rowCount())} == {"WS3"}
    assert "R" in page.panel.bar.accessibleDescription() or "Red" in page.panel.bar.accessibleDescription()
    with qtbot.waitSignal(page.navigate) as sig:
        page.panel.open_button.click()
    assert sig.args == ["actions", {"workstream_id": ws3.id}]
    with qtbot.waitSignal(page.navigate) as sig:
        page.panel.table.doubleClicked.emit(pm.index(0, 1))
    assert sig.args == ["actions", {"action_id": pm.action_id(0)}]


def test_refreshes_after_a_change(page, ctx):  # noqa: ANN001
    from vrboard.services import actions as svc

    with ctx.read() as s:
        a = s.scalars(select(Action).where(Action.status == ActionStatus.IN_PROGRESS)).first()
        code = a.workstream.code
    row = [page.model.row(r).workstream.code for r in range(8)].index(code)
    before = page.model.row(row).awaiting
    ctx.run(None, "mark complete", lambda s, actor: svc.mark_complete(s, actor, a.id, a.version), "action")
    row = [page.model.row(r).workstream.code for r in range(8)].index(code)
    assert page.model.row(row).awaiting == before + 1


def test_set_the_lead_of_a_workstream(qtbot, ctx, monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QInputDialog
    from sqlalchemy import select

    from vrboard.model import Workstream
    from vrboard.ui.pages.workstreams import WorkstreamsPage

    page = WorkstreamsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.select(page.model.rows()[0].workstream.id)
    code = page.current().workstream.code
    asked = []
    monkeypatch.setattr(QInputDialog, "getItem",
                        lambda _p, _t, _l, names, cur, _e: (asked.append(names) or
                                                             ("Helen Marsh", True)))
    qtbot.mouseClick(page.lead_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0][0] == "No lead" and "Helen Marsh" in asked[0]
    with ctx.read() as s:
        ws = s.scalars(select(Workstream).where(Workstream.code == code)).one()
        assert ws.lead is not None and ws.lead.name == "Helen Marsh"
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a: ("No lead", True))
    qtbot.mouseClick(page.lead_button, Qt.MouseButton.LeftButton)
    with ctx.read() as s:
        assert s.scalars(select(Workstream).where(Workstream.code == code)).one().lead_id is None


def test_a_viewer_cannot_set_leads(qtbot, viewer_ctx) -> None:  # noqa: ANN001
    from vrboard.ui.pages.workstreams import WorkstreamsPage

    page = WorkstreamsPage(viewer_ctx)
    qtbot.addWidget(page)
    assert not page.lead_button.isEnabled() and "may name leads" in page.lead_button.toolTip()
