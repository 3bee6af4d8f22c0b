"""ActionDialog: create (with a preset), edit, owners' limits and a conflicting edit."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.ui.conftest import _ctx
from vrboard.model import RAG, Action, ActionStatus, Meeting
from vrboard.ui.actions.action_dialog import ActionDialog


def _action(db, ref: str) -> Action:  # noqa: ANN001
    with db.session() as s:
        return s.scalars(select(Action).where(Action.reference == ref)).one()


def _open_ref(db, n: int = 0) -> str:  # noqa: ANN001
    """The reference of the n-th action in progress (the demo's statuses vary)."""
    with db.session() as s:
        return list(s.scalars(select(Action.reference).where(Action.status == ActionStatus.IN_PROGRESS)
                              .order_by(Action.reference)))[n]


def _ws_id(ctx, code: str) -> int:  # noqa: ANN001
    from vrboard.model import Workstream

    with ctx.read() as s:
        return s.scalars(select(Workstream.id).where(Workstream.code == code)).one()


def test_create_with_preset_from_a_meeting(qtbot, ctx, auto_dialogs):  # noqa: ANN001
    with ctx.read() as s:
        meeting = s.scalars(select(Meeting).order_by(Meeting.starts_at)).first()
        item = meeting.items[4]
    due = dt.date.today() + dt.timedelta(days=30)
    dlg = ActionDialog(ctx, preset={"title": "Write to the safeguarding partnership",
                                    "workstream_id": _ws_id(ctx, "WS3"), "due_date": due,
                                    "plan_codes": ["KCAP"], "raised_meeting_id": meeting.id,
                                    "raised_item_id": item.id})
    qtbot.addWidget(dlg)
    assert meeting.label in dlg.raised.text()
    assert dlg.plan_boxes["KCAP"].isChecked()
    with qtbot.waitSignal(ctx.changed):
        dlg.save()
    assert auto_dialogs == []
    assert dlg.result() == ActionDialog.DialogCode.Accepted
    with ctx.read() as s:
        a = s.get(Action, dlg.saved_action_id)
        assert a.title == "Write to the safeguarding partnership"
        assert a.due_date == due and a.raised_item_id == item.id
        assert [p.code for p in a.plans] == ["KCAP"] and a.reference.startswith("KC-")


def test_create_refused_shows_the_reason_and_stays_open(qtbot, ctx, auto_dialogs):  # noqa: ANN001
    dlg = ActionDialog(ctx, preset={"workstream_id": _ws_id(ctx, "WS1")})
    qtbot.addWidget(dlg)
    dlg.save()
    assert auto_dialogs and "Title is required" in auto_dialogs[0][1]
    assert dlg.saved_action_id is None and dlg.result() != ActionDialog.DialogCode.Accepted


def test_unknown_preset_field_is_a_programming_error(qtbot, ctx):  # noqa: ANN001
    with pytest.raises(ValueError, match="colour"):
        ActionDialog(ctx, preset={"colour": "blue"})


def test_edit_saves_only_changes(qtbot, ctx, auto_dialogs):  # noqa: ANN001
    ref = _open_ref(ctx.db)
    before = _action(ctx.db, ref)
    dlg = ActionDialog(ctx, action_id=before.id)
    qtbot.addWidget(dlg)
    assert dlg.reference.isReadOnly() and dlg.title_edit.text() == before.title
    dlg.title_edit.setText("A clearer title")
    dlg.revised_due.set_date_value(dt.date(2031, 3, 31))
    assert set(dlg.changes()) == {"title", "revised_due_date"}
    dlg.save()
    after = _action(ctx.db, ref)
    assert auto_dialogs == []
    assert after.title == "A clearer title" and after.revised_due_date == dt.date(2031, 3, 31)
    assert after.version == before.version + 1


def test_owner_may_change_only_status_rag_and_percent(qtbot, owner_ctx, auto_dialogs):  # noqa: ANN001
    with owner_ctx.read() as s:
        mine = s.scalars(select(Action).where(Action.owner_id == owner_ctx.actor.person_id,
                                              Action.status == ActionStatus.IN_PROGRESS)).first()
    dlg = ActionDialog(owner_ctx, action_id=mine.id)
    qtbot.addWidget(dlg)
    assert not dlg.title_edit.isEnabled() and "Owners may change" in dlg.title_edit.toolTip()
    assert dlg.rag.isEnabled() and dlg.percent.isEnabled()
    dlg.rag.setCurrentIndex(dlg.rag.findData(RAG.RED))
    dlg.percent.setValue(55)
    dlg.save()
    assert auto_dialogs == []
    after = _action(owner_ctx.db, mine.reference)
    assert after.rag is RAG.RED and after.percent_complete == 55


def test_viewer_cannot_save(qtbot, viewer_ctx):  # noqa: ANN001
    dlg = ActionDialog(viewer_ctx, action_id=_action(viewer_ctx.db, _open_ref(viewer_ctx.db)).id)
    qtbot.addWidget(dlg)
    save = dlg.buttons.button(dlg.buttons.StandardButton.Save)
    assert not save.isEnabled() and "secretariat or the chair" in save.toolTip()


def test_conflicting_edit_offers_reload(qtbot, ctx, monkeypatch, auto_dialogs):  # noqa: ANN001
    from PySide6.QtWidgets import QMessageBox

    other = _ctx(ctx.db, "zadeyemi")
    ref = _open_ref(ctx.db, 1)
    target = _action(ctx.db, ref)
    mine = ActionDialog(ctx, action_id=target.id)
    theirs = ActionDialog(other, action_id=target.id)
    qtbot.addWidget(mine)
    qtbot.addWidget(theirs)
    theirs.title_edit.setText("Their title")
    theirs.save()
    assert theirs.result() == ActionDialog.DialogCode.Accepted

    shown: list[str] = []

    def click_reload(box: QMessageBox) -> int:
        shown.append(box.text())
        next(b for b in box.buttons() if b.text() == "Reload").click()
        return 0
    monkeypatch.setattr(QMessageBox, "exec", click_reload)
    mine.title_edit.setText("My title")
    with qtbot.waitSignal(ctx.reload_requested):
        mine.save()
    assert shown and "changed by someone else" in shown[0]
    assert _action(ctx.db, ref).title == "Their title"  # nothing overwritten
    assert mine.title_edit.text() == "Their title"  # the dialog now shows the saved version
    assert "Reloaded" in mine.note.text() and mine.result() != ActionDialog.DialogCode.Accepted
    mine.title_edit.setText("My title after all")
    mine.save()
    assert auto_dialogs == []
    assert _action(ctx.db, ref).title == "My title after all"
