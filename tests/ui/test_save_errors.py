"""A save that fails for a reason outside vrboard (the database locked by another writer,
read-only, a fault) is shown in plain words, and the dialog stays open with what the user
typed. Before, ``AppContext.run`` caught only vrboard's own errors and these escaped."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import actor
from tests.ui.test_actions_dialog import _open_ref, _ws_id
from vrboard.model import Action
from vrboard.store import Database
from vrboard.ui.actions.action_dialog import ActionDialog


@pytest.fixture
def read_only_ctx(qapp, demo_db: Database):  # noqa: ANN001, ANN201
    """The secretariat on the demo board, opened read-only (as a file on a read-only share is)."""
    from sqlalchemy import create_engine, event

    from vrboard.store import MigrationResult, _sqlite_pragmas
    from vrboard.ui.context import AppContext

    path = Path(demo_db.url.split("///", 1)[1])
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    engine = create_engine(url)
    event.listen(engine, "connect", _sqlite_pragmas(5000))
    db = Database(url, engine, MigrationResult(None, "", None))
    yield AppContext(db, actor(db, "rkaplan"))
    db.close()


def test_a_new_action_on_a_read_only_database(qtbot, read_only_ctx, auto_dialogs) -> None:  # noqa: ANN001
    ctx = read_only_ctx
    dlg = ActionDialog(ctx, preset={"workstream_id": _ws_id(ctx, "WS1")})
    qtbot.addWidget(dlg)
    dlg.title_edit.setText("Ask the youth panel about the new route")
    dlg.description.setPlainText("Three paragraphs the user took ten minutes to write.")
    dlg.save()
    assert len(auto_dialogs) == 1
    title, message = auto_dialogs[0]
    assert title == "Could not create the action"
    assert message.startswith("The database cannot be written: the file, its folder or the disk")
    assert "[SQL" not in message and "OperationalError" not in message
    assert dlg.result() != ActionDialog.DialogCode.Accepted and dlg.saved_action_id is None
    assert dlg.title_edit.text() == "Ask the youth panel about the new route"
    assert dlg.description.toPlainText() == "Three paragraphs the user took ten minutes to write."


@pytest.mark.slow
def test_an_edit_while_another_writer_holds_the_database(qtbot, ctx, auto_dialogs) -> None:  # noqa: ANN001
    ref = _open_ref(ctx.db)
    with ctx.read() as s:
        action_id = s.scalars(select(Action.id).where(Action.reference == ref)).one()
    dlg = ActionDialog(ctx, action_id=action_id)
    qtbot.addWidget(dlg)
    dlg.title_edit.setText("A clearer title, typed with care")
    holder = sqlite3.connect(ctx.db.url.split("///", 1)[1], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # someone else is saving (for longer than the busy timeout)
    try:
        dlg.save()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # store_errors names the file; explain.py's wording is for a busy error that escapes it
    assert len(auto_dialogs) == 1 and auto_dialogs[0][0] == f"Could not save {ref}"
    assert "busy" in auto_dialogs[0][1] and "Nothing was" in auto_dialogs[0][1]
    assert dlg.result() != ActionDialog.DialogCode.Accepted
    assert dlg.title_edit.text() == "A clearer title, typed with care"
    dlg.save()  # the other writer finished: the same dialog saves what was typed
    assert dlg.result() == ActionDialog.DialogCode.Accepted
    with ctx.read() as s:
        assert s.get(Action, action_id).title == "A clearer title, typed with care"


def test_a_fault_of_ours_is_shown_and_logged_not_raised(qtbot, ctx, auto_dialogs, caplog) -> None:  # noqa: ANN001
    def broken(_s, _a):  # noqa: ANN001, ANN202
        raise KeyError("owner_id")

    assert ctx.run(None, "record the value", broken) is None
    (title, message), = auto_dialogs
    assert title == "Could not record the value"
    assert message.startswith("Something unexpected went wrong (KeyError: 'owner_id'). Nothing was "
                              "saved; what you typed is still here.")
    assert any("Could not record the value" in r.getMessage() and r.exc_info for r in caplog.records)
