"""Send trackers…: drafts one e-mail per owner in the background, then says what it did."""
from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest
from sqlalchemy import select

from vrboard.model import Action
from vrboard.ui.dialogs import chase as chase_dialog
from vrboard.ui.dialogs.chase import ChaseDialog


@pytest.fixture(autouse=True)
def no_result_box(monkeypatch):  # noqa: ANN001, ANN201
    shown = []
    monkeypatch.setattr(chase_dialog, "show_result_box", lambda box: shown.append(box.text()))
    return shown


def test_drafts_for_every_owner(qtbot, ctx, tmp_path, no_result_box) -> None:  # noqa: ANN001
    dlg = ChaseDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.folder.set_path(str(tmp_path / "drafts"))
    assert dlg.ok.text() == "&Prepare e-mails"
    dlg.send.setChecked(True)
    assert dlg.ok.text() == "&Send e-mails"
    dlg.send.setChecked(False)
    with qtbot.waitSignal(dlg.start().done, timeout=60000):
        pass
    with ctx.read() as s:
        owners = {a.owner.name for a in s.scalars(select(Action).where(
            Action.owner_id.is_not(None))) if a.status.is_open}
    drafts = sorted((tmp_path / "drafts").glob("*.eml"))
    assert sorted(p.stem for p in drafts) == sorted(owners)
    msg = BytesParser(policy=policy.default).parsebytes(drafts[0].read_bytes())
    assert msg["X-Unsent"] == "1" and len(list(msg.iter_attachments())) == 1
    assert no_result_box and f"Drafted {len(owners)} e-mail(s)" in no_result_box[0]


def test_a_missing_server_is_asked_for(qtbot, ctx, tmp_path, auto_dialogs) -> None:  # noqa: ANN001
    dlg = ChaseDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.send.setChecked(True)
    assert dlg.start() is None
    assert auto_dialogs == [("Send trackers", "Please give the mail server.")]
