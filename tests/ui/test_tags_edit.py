"""An action's tags (the groups it addresses) shown in the detail panel and changed with
Tags…; nothing to press for an owner."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from vrboard.model import Action, Tag

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_tag_an_action_from_its_detail(qtbot, ctx) -> None:  # noqa: ANN001
    from vrboard.services import lenses as ln
    from vrboard.ui.actions.detail import ActionDetailPanel
    from vrboard.ui.dialogs.tags import TagsDialog

    with ctx.db.transaction() as s:
        tag = ln.add_tag(s, ctx.actor, "Age band", "Under 25")
        tag_id = tag.id
    with ctx.read() as s:
        action_id = s.scalar(select(Action.id).order_by(Action.reference))
    panel = ActionDetailPanel(ctx)
    qtbot.addWidget(panel)
    panel.show_action(action_id)
    before = panel.fields["Tags"].text()  # the demo's tags
    assert panel.buttons["tags"].isEnabled() and "Under 25" not in before
    dlg = TagsDialog(ctx, "action", action_id, panel)
    qtbot.addWidget(dlg)
    dlg.tags.set_checked(tag_id)
    with qtbot.waitSignal(dlg.finished):
        dlg.save()
    assert dlg.result() == QDialog.DialogCode.Accepted
    panel.reload()
    assert "Age band: Under 25" in panel.fields["Tags"].text()
    again = TagsDialog(ctx, "action", action_id, panel)
    qtbot.addWidget(again)
    again.tags.set_checked(tag_id, False)
    with qtbot.waitSignal(again.finished):
        again.save()
    with ctx.read() as s:
        assert "; ".join(t.label for t in s.get(Action, action_id).tags) == before
        assert s.get(Tag, tag_id) is not None


def test_an_owner_cannot_tag(qtbot, owner_ctx) -> None:  # noqa: ANN001
    from vrboard.ui.actions.detail import ActionDetailPanel

    with owner_ctx.read() as s:
        action_id = s.scalar(select(Action.id).order_by(Action.reference))
    panel = ActionDetailPanel(owner_ctx)
    qtbot.addWidget(panel)
    panel.show_action(action_id)
    assert not panel.buttons["tags"].isEnabled()
    assert "may tag actions" in panel.buttons["tags"].toolTip()
