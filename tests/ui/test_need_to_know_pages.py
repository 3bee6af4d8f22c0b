"""The pages as an officer who only owns actions and as a viewer who is not a board member:
the Meetings page (agenda, papers, minutes, declarations), "Open paper", the Audit page and
its search, and the Actions page show the exempt notice where a member sees the material.
Each test also grabs the page to a PNG (under pytest's tmp_path) for a look by eye."""
from __future__ import annotations

import pytest

from tests.conftest import actor
from tests.need_to_know import HELD_UNSIGNED, MARK, add_exempt_material, leaked
from vrboard.services.access import ACTION_NOTICE
from vrboard.store import Database

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def extras(demo_db: Database):  # noqa: ANN201
    return add_exempt_material(demo_db)


def _ctx(db: Database, who: str):  # noqa: ANN202
    from vrboard.ui.context import AppContext

    return AppContext(db, actor(db, who))


def _show(qtbot, page):  # noqa: ANN001, ANN202
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def _texts(model) -> str:  # noqa: ANN001
    return "\n".join(str(model.index(r, c).data() or "") for r in range(model.rowCount())
                     for c in range(model.columnCount()))


def _meetings_page(qtbot, db, who, x):  # noqa: ANN001, ANN202
    from vrboard.ui.pages.meetings import MeetingsPage

    page = _show(qtbot, MeetingsPage(_ctx(db, who)))
    page.select_meeting(HELD_UNSIGNED)
    page.tabs.setCurrentWidget(page.agenda)
    row = page.agenda.model.find(x.item_id)
    page.agenda.table.selectRow(row)
    page.agenda.papers.selectRow(0)
    return page


@pytest.mark.parametrize("who", ["tfletcher", "pquinn"])
def test_meetings_page_withholds_the_part2_item(qtbot, qapp, demo_db, extras, who, tmp_path, auto_dialogs):  # noqa: ANN001
    x = extras
    page = _meetings_page(qtbot, demo_db, who, x)
    notice = f"Exempt under paragraph {x.paragraph} of Schedule 12A: visible to board members"
    agenda = _texts(page.agenda.model)
    assert notice in agenda and leaked(agenda) == [] and "case themes" not in agenda
    assert _texts(page.agenda.paper_model) .count(notice) == 1
    page.grab().save(str(tmp_path / f"meetings-agenda-{who}.png"))
    page.agenda.open_paper()  # refused by the service, in plain words
    title, text = auto_dialogs[-1]
    assert title == "Could not open the paper" and notice in text and "not a member of the board" in text

    page.tabs.setCurrentWidget(page.minutes)
    items = page.minutes.items_model
    page.minutes.items.setCurrentIndex(items.index(items.find(x.item_id), 0))
    assert page.minutes.discussion.toPlainText() == notice
    assert _texts(page.minutes.decision_model).count(notice) == 1
    assert leaked(_texts(page.minutes.items_model)) == []
    assert page.minutes.heading.text() == f"<b>Item {x.item_position} (Part 2)</b>: {notice}."
    page.grab().save(str(tmp_path / f"meetings-minutes-{who}.png"))

    page.tabs.setCurrentWidget(page.declarations)
    decl = _texts(page.declarations.model)
    assert x.declarant in decl and notice in decl and leaked(decl) == []
    assert "Close family member" in decl  # a declaration on a Part 1 item reads as before
    page.grab().save(str(tmp_path / f"meetings-declarations-{who}.png"))


def test_meetings_page_for_a_member(qtbot, qapp, demo_db, extras):  # noqa: ANN001
    page = _meetings_page(qtbot, demo_db, "praman", extras)
    assert "case themes" in _texts(page.agenda.model)
    page.tabs.setCurrentWidget(page.minutes)
    page.minutes.items.setCurrentIndex(
        page.minutes.items_model.index(page.minutes.items_model.find(extras.item_id), 0))
    assert "missed opportunities" in page.minutes.discussion.toPlainText()


def test_audit_page_search_finds_no_exempt_value(qtbot, qapp, demo_db, extras, tmp_path):  # noqa: ANN001
    from vrboard.ui.pages.audit import AuditPage

    viewer = _show(qtbot, AuditPage(_ctx(demo_db, "pquinn")))
    viewer.refresh()
    shown = "\n".join(repr(viewer.model.entry(r)) for r in range(viewer.model.rowCount()))
    assert leaked(shown) == [] and "Exempt (Part 2 or OFFICIAL-SENSITIVE)" in _texts(viewer.model)
    viewer.view.selectRow(next(r for r in range(viewer.model.rowCount())
                               if viewer.model.entry(r).entity == "declaration"))
    assert "Exempt (Part 2 or OFFICIAL-SENSITIVE)" in viewer.detail.toPlainText()
    viewer.grab().save(str(tmp_path / "audit-viewer.png"))
    viewer.text.setText(MARK)
    viewer.apply_filter()
    assert viewer.model.total == 0
    member = _show(qtbot, AuditPage(_ctx(demo_db, "praman")))
    member.refresh()
    member.text.setText(MARK)
    member.apply_filter()
    assert member.model.total > 0


def test_actions_page_redacts_others_part2_actions(qtbot, qapp, demo_db, extras, tmp_path):  # noqa: ANN001
    from vrboard.ui.actions import table_model as tm
    from vrboard.ui.pages.actions import ActionsPage

    page = _show(qtbot, ActionsPage(_ctx(demo_db, "tfletcher")))
    m = page.model
    titles = {m.data(m.index(r, tm.C_REF)): m.data(m.index(r, tm.C_TITLE)) for r in range(m.rowCount())}
    assert titles["WS3-001"] == ACTION_NOTICE  # Maria Santos's
    assert MARK in titles["WS3-002"]           # his own
    page.select_action(extras.santos_action)
    assert ACTION_NOTICE in page.detail.heading.text()
    assert leaked(_texts(page.detail.updates)) == []
    page.grab().save(str(tmp_path / "actions-owner.png"))
    m.set_filter(tm.Filter(search=MARK))  # searching the titles cannot find the other's action
    assert [m.data(m.index(r, tm.C_REF)) for r in range(m.rowCount())] == ["WS3-002"]
