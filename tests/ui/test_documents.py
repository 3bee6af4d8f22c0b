"""Issued documents in the app: the pack dialog issues a pack, the Meetings page lists and
saves issued documents byte for byte, and the chair's approval signs the minutes."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.conftest import sit
from tests.signing.conftest import PASS
from tests.ui.test_meetings_minutes import open_page
from vrboard.model import DocumentKind
from vrboard.services import documents as docs
from vrboard.services.signatures import record_certificate
from vrboard.signing import keys

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_pack_dialog_issues_and_the_meetings_page_lists_it(qtbot, ctx, tmp_path, auto_dialogs):
    from vrboard.ui.dialogs.pack import PackDialog

    page = open_page(qtbot, ctx)
    page.open_target({"meeting_id": 3, "tab": "documents"})
    panel = page.documents
    assert panel.model.rowCount() == 0 and panel.empty.isVisible()
    dlg = PackDialog(ctx, None, kind="pack", meeting_id=3, issue=True)
    qtbot.addWidget(dlg)
    assert dlg.issue.isChecked() and dlg.build.text() == "&Issue board pack"
    dlg.open_after.setChecked(False)
    dlg.path.set_path(str(tmp_path / "pack.pdf"))
    with qtbot.waitSignal(dlg.start().done, timeout=120000):
        pass
    with ctx.read() as s:
        [row] = docs.list_documents(s, ctx.actor, 3)
        kept = docs.fetch_document(s, ctx.actor, row.id)[1]
    assert (row.kind, row.version) == (DocumentKind.PACK, 1)
    assert (tmp_path / "pack.pdf").read_bytes() == kept
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    panel.table.selectRow(0)
    assert panel.open_button.isEnabled()
    saved = panel.save_selected(str(tmp_path / "copy.pdf"))
    assert saved is not None and saved.read_bytes() == kept
    # issuing again without a reason is refused, plainly
    dlg2 = PackDialog(ctx, None, kind="pack", meeting_id=3, issue=True)
    qtbot.addWidget(dlg2)
    dlg2.open_after.setChecked(False)
    dlg2.path.set_path(str(tmp_path / "pack2.pdf"))
    task = dlg2.start()
    with qtbot.waitSignal(task.failed, timeout=120000):
        pass
    assert any("say why it is issued again" in text for _t, text in auto_dialogs)
    assert not (tmp_path / "pack2.pdf").exists()


def test_chair_signs_the_minutes_with_a_passphrase(qtbot, chair_ctx, tmp_path, monkeypatch):
    store = tmp_path / "keys"
    monkeypatch.setenv(keys.ENV_DIR, str(store))
    cert, _ = keys.create_key(chair_ctx.actor.name, PASS, directory=store)
    with chair_ctx.db.transaction() as s:
        record_certificate(s, chair_ctx.actor, cert)
    sit(chair_ctx.db, 3)  # minutes are approved at the meeting, while it sits
    page = open_page(qtbot, chair_ctx)
    details = page.details
    qtbot.mouseClick(details.approve_button, Qt.MouseButton.LeftButton)
    dialog = details.dialog
    assert dialog.passphrase.isVisible() and dialog.sign_button.text() == "&Approve and sign"
    dialog.confirm.setChecked(True)
    assert not dialog.sign_button.isEnabled()  # not without the passphrase
    dialog.passphrase.setText(PASS)
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.signed_document_id is not None, timeout=120000)
    with chair_ctx.read() as s:
        row, data = docs.fetch_document(s, chair_ctx.actor, dialog.signed_document_id)
    assert row.kind is DocumentKind.SIGNED_MINUTES and row.meeting_id == 2
    page.open_target({"meeting_id": 2, "tab": "documents"})
    qtbot.waitUntil(lambda: page.documents.model.rowCount() == 1)
    assert page.documents.model.row(0).kind is DocumentKind.SIGNED_MINUTES


def test_without_a_key_the_dialog_says_so(qtbot, chair_ctx):
    sit(chair_ctx.db, 3)
    page = open_page(qtbot, chair_ctx)
    qtbot.mouseClick(page.details.approve_button, Qt.MouseButton.LeftButton)
    dialog = page.details.dialog
    assert "No signing certificate is recorded for Cllr Zoë Adeyemi" in dialog.key_note.text()
    assert "without a digital signature" in dialog.key_note.text()
    assert dialog.sign_button.text() == "&Approve without a digital signature"
    dialog.reject()
