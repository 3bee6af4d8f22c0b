"""Two people on one board: one's saved change appears in the other's window (table and an
open edit dialog) without Reload, on SQLite (two connections) and on the PostgreSQL server."""
from __future__ import annotations

import os
import select as selectmod
import time

import pytest
from sqlalchemy import select

from tests.conftest import actor, build_demo_into
from vrboard.changes import ChangeFeed, topic_of
from vrboard.model import Action, Person
from vrboard.services import actions as svc
from vrboard.services.context import SYSTEM
from vrboard.store import open_database

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_sessions(request, tmp_path):  # noqa: ANN001, ANN201
    """The same board opened twice, as two people's copies of vrboard would."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'board.sqlite3'}"
        gen = None
    else:
        if not os.environ.get("VRBOARD_TEST_POSTGRES_URL"):
            pytest.skip("VRBOARD_TEST_POSTGRES_URL is not set")
        from tests.conftest import _pg_database

        gen = _pg_database()
        url = next(gen)
    first = open_database(url)
    build_demo_into(first)
    second = open_database(url)
    yield first, second
    first.close()
    second.close()
    if gen is not None:
        gen.close()


def _priyas_action(db) -> Action:  # noqa: ANN001
    with db.session() as s:
        return s.scalars(select(Action).join(Person, Action.owner_id == Person.id)
                         .where(Person.login == "praman").order_by(Action.reference)).first()


def _priya_sets_red(db, action: Action, pct: int = 37) -> None:  # noqa: ANN001
    """Red and 37%: the demo has no action at 37%, so the percent always changes."""
    with db.transaction() as s:
        svc.update_action(s, actor(db, "praman"), action.id, None,
                          {"rag": "red", "percent_complete": pct})


def test_the_feed_reads_what_another_connection_committed(two_sessions) -> None:  # noqa: ANN001
    mine, theirs = two_sessions
    feed = ChangeFeed(mine)
    try:
        fd = feed.listen()
        assert (fd is None) == mine.is_sqlite
        assert feed.poll() == []
        assert not mine.is_sqlite or not feed.sqlite_changed()
        target = _priyas_action(theirs)
        _priya_sets_red(theirs, target)
        if mine.is_sqlite:
            assert feed.sqlite_changed()
        else:  # the server says so on the listening socket, within two seconds
            ready, _, _ = selectmod.select([fd], [], [], 2.0)
            assert ready and feed.drain_notifications()
        changes = feed.poll()
        assert ("action", target.id, "percent_complete") in {
            (c.entity, c.entity_id, c.field) for c in changes}
        assert {c.actor_name for c in changes} == {"Priya Raman"}
        assert topic_of("progress_update") == "action" and topic_of("workstream") == ""
        assert feed.poll() == []  # each change is read once
    finally:
        feed.close()


def test_another_users_change_appears_in_the_table_and_the_open_dialog(qtbot, two_sessions) -> None:  # noqa: ANN001
    from vrboard.ui.actions import table_model as tm
    from vrboard.ui.actions.action_dialog import ActionDialog
    from vrboard.ui.context import AppContext
    from vrboard.ui.live import LiveUpdates
    from vrboard.ui.pages.actions import ActionsPage

    mine, theirs = two_sessions
    ctx = AppContext(mine, actor(mine, "rkaplan"))
    page = ActionsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    live = LiveUpdates(ctx)
    target = _priyas_action(mine)
    page.select_action(target.id)
    dialog = ActionDialog(ctx, page, action_id=target.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.title_edit, " (my unsaved words)")
    start = time.monotonic()
    _priya_sets_red(theirs, target)

    def shown() -> bool:
        row = page.model.row_of(target.id)
        return row >= 0 and page.model.data(page.model.index(row, tm.C_PCT)) == "37%"
    qtbot.waitUntil(shown, timeout=3000)
    assert time.monotonic() - start < 3.0
    assert page.model.action_id(page.table.currentIndex().row()) == target.id  # selection kept
    assert page.detail.detail.rag.value == "red"
    qtbot.waitUntil(lambda: dialog.changed_elsewhere != "", timeout=3000)
    assert dialog.changed_elsewhere.startswith("Changed by Priya Raman at ")
    assert "Percent complete" in dialog.changed_elsewhere
    assert dialog.title_edit.text().endswith("(my unsaved words)")  # nothing typed is lost
    assert dialog.reload_button.isVisible()
    dialog.reload_button.click()
    assert str(dialog.rag.currentData()) == "red" and not dialog.reload_button.isVisible()
    live.stop()


def test_only_changed_rows_are_reloaded(qtbot, demo_db) -> None:  # noqa: ANN001
    """The model takes fresh rows in place: order, filter and selection stay."""
    from vrboard.services import action_rows as rows
    from vrboard.ui.actions import table_model as tm

    model = tm.ActionsTableModel()
    with demo_db.session() as s:
        model.set_rows(rows.action_rows(s, SYSTEM))
        model.sort(tm.C_TITLE)
        model.set_filter(tm.Filter(search="youth"))
        before = [model.action_id(n) for n in range(model.rowCount())]
        target = before[0]
        fresh = rows.action_rows(s, SYSTEM, {target})
    assert len(fresh) == 1 and fresh[0][0] == target
    changed = (*fresh[0][:2], "Zzz last by title: youth work", *fresh[0][3:])
    model.update_rows([changed])
    after = [model.action_id(n) for n in range(model.rowCount())]
    assert sorted(after) == sorted(before) and after[-1] == target
    model.update_rows([], gone={target})
    assert target not in [model.action_id(n) for n in range(model.rowCount())]
    assert model.total == len(rows.action_rows(demo_db.session(), SYSTEM)) - 1
