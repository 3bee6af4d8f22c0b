"""The Community page: its four tabs on the demo board, each record in full when selected,
and the action detail's "Came from" row naming a theme, an ask or a finding."""
from __future__ import annotations

import pytest

from vrboard.ui.pages.community import CommunityPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def page(qtbot, viewer_ctx):  # noqa: ANN001, ANN201
    p = CommunityPage(viewer_ctx)  # a viewer reads all of it
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    qtbot.waitExposed(p)
    p.refresh()
    return p


def test_the_four_tabs(page, qtmodeltester):  # noqa: ANN001
    assert [page.tabs.tabText(i) for i in range(4)] == ["Conversations", "Themes", "Youth panel",
                                                         "Needs assessment"]
    for tab in (page.conversations, page.themes, page.youth, page.needs):
        qtmodeltester.check(tab.model)
        assert tab.model.rowCount() > 0
    assert "18 of 30 community members trained" in page.conversations.summary.text()
    assert "Themes it raised:" in page.conversations.detail.text()
    page.themes.table.selectRow(0)
    assert "Nowhere for young people" in page.themes.detail.text()
    assert "We did:" in page.themes.detail.text() and "Quotes:" in page.themes.detail.text()
    assert "Serious Violence Strategic Needs Assessment" in page.needs.summary.text()
    assert "Actions answering it:" in page.needs.detail.text()


def test_the_action_detail_shows_where_it_came_from(qtbot, viewer_ctx):  # noqa: ANN001
    from sqlalchemy import select

    from vrboard.model import Action
    from vrboard.ui.actions.detail import ActionDetailPanel

    with viewer_ctx.read() as s:
        ident = s.scalar(select(Action.id).where(
            Action.title == "Youth Panel to advise on safe havens with local businesses"))
    panel = ActionDetailPanel(viewer_ctx)
    qtbot.addWidget(panel)
    panel.show_action(ident)
    assert "Community conversations theme: Nowhere for young people" in panel.carries_out
    assert "Youth panel: session of" in panel.carries_out
