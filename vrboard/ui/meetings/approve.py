"""The chair approves the previous meeting's minutes as a correct record and signs them."""
from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...errors import VrboardError
from ...services import meetings as svc
from ...services import signatures as sig
from ...services.meeting_views import MeetingDetail, PreviousMinutes, meeting_detail
from ..context import AppContext
from ..tasks import BackgroundTask, run_session_task
from .common import run_watching_reload


def key_status(ctx: AppContext) -> str:
    """"" when the chair can sign here (a usable certificate with its key on this machine),
    else why the minutes would be approved without a digital signature."""
    from cryptography import x509

    from ...signing.keys import local_key_path

    try:
        with ctx.read() as s:
            row = sig.usable_certificate(s, ctx.actor)
            der = row.der
    except VrboardError as exc:
        return str(exc).replace(" Nothing was signed.", "")
    if local_key_path(x509.load_der_x509_certificate(der)) is None:
        return ("Your signing key is not on this computer: approve on the computer that holds "
                "it, or import it with 'vrboard keys import'.")
    return ""


def minutes_text(d: MeetingDetail) -> str:
    """The minutes as plain text, for the chair to read before signing."""
    out = [f"Minutes of {d.label}", ""]
    present = [a.name for a in d.attendance if a.status and a.status.value == "present"]
    apologies = [a.name + (f" (substitute: {a.substitute})" if a.substitute else "")
                 for a in d.attendance if a.status and a.status.value == "apologies"]
    out.append("Present: " + (", ".join(present) or "not recorded"))
    absent = [a.name for a in d.attendance if a.status and a.status.value == "absent"]
    out.append("Apologies: " + (", ".join(apologies) or "none"))
    out.append("Absent: " + (", ".join(absent) or "none"))
    out.append("")
    for i in d.items:
        part = f" (Part 2, exempt paragraph {i.exempt_paragraph})" if i.part == 2 else ""
        out.append(f"{i.position}. {i.title}{part}")
        if i.discussion:
            out.append(f"   {i.discussion}")
        for n, dec in enumerate(i.decisions, start=1):
            out.append(f"   Decision {i.position}.{n}: {dec.text}")
        out.append("")
    return "\n".join(out)


class ApproveMinutesDialog(QDialog):
    """Sign ``previous``'s minutes at meeting ``at``. Only the chair reaches this dialog;
    the service checks again (and the minutes lock once signed)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None, previous: PreviousMinutes,
                 at: MeetingDetail) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.previous = previous
        self.at = at
        self.setWindowTitle(f"Approve the minutes of {previous.label}")
        self.setMinimumSize(640, 520)
        layout = QVBoxLayout(self)
        intro = QLabel(f"You are signing the minutes of <b>{previous.label}</b> as a correct record "
                       f"at the meeting of <b>{at.label}</b>, as {ctx.actor.name}. Once signed "
                       "they are locked: nothing in that meeting's record can be changed.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("The minutes being approved")
        with ctx.read() as s:
            prev = meeting_detail(s, previous.id, ctx.actor)
        self.text.setPlainText(minutes_text(prev) if prev else "")
        layout.addWidget(self.text, 1)
        self.confirm = QCheckBox("The board agreed these minutes as a &correct record")
        layout.addWidget(self.confirm)
        self.task: BackgroundTask | None = None
        self.signed_document_id: int | None = None
        self.no_key = key_status(ctx)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase of your signing key")
        self.key_note = QLabel()
        self.key_note.setWordWrap(True)
        self.key_note.setProperty("role", "muted")
        if self.no_key:
            self.key_note.setText(f"{self.no_key} The minutes will be approved and locked without "
                                  "a digital signature.")
            self.passphrase.hide()
        else:
            self.key_note.setText("vrboard renders the minutes, signs the PDF with your key "
                                  "(a PAdES signature anyone can check) and keeps it as issued.")
            form = QFormLayout()
            form.addRow("Signing key &passphrase:", self.passphrase)
            layout.addLayout(form)
        layout.addWidget(self.key_note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = self.buttons.addButton(
            "&Approve without a digital signature" if self.no_key else "&Approve and sign",
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setEnabled(False)
        self.confirm.toggled.connect(self._update_button)
        self.passphrase.textChanged.connect(self._update_button)
        self.buttons.accepted.connect(self.sign)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _update_button(self, *_args: object) -> None:
        ready = self.confirm.isChecked() and (bool(self.no_key) or bool(self.passphrase.text()))
        self.sign_button.setEnabled(ready and self.task is None)

    def sign(self) -> None:
        if not self.confirm.isChecked():
            return
        if not self.no_key:
            self._sign_digitally()
            return
        prev, at = self.previous, self.at
        result, reloaded = run_watching_reload(
            self.ctx, self, f"approve the minutes of {prev.label}",
            lambda s, a: svc.approve_minutes(s, a, prev.id, at.id, prev.version).id, "meeting")
        if result is not None:
            self.accept()
        elif reloaded:
            self.reject()  # read the minutes as saved now before signing

    def _sign_digitally(self) -> None:
        if not self.passphrase.text():
            return
        prev, at, secret = self.previous, self.at, self.passphrase.text()
        tsa = os.environ.get(sig.TSA_ENV) or None

        def work(session, actor, progress):  # noqa: ANN001, ANN202 - runs in the task's thread
            r = sig.approve_and_sign(session, actor, prev.id, at.id, secret,
                                     expected_version=prev.version, tsa_url=tsa, progress=progress)
            return r.document.id, r.warning

        self.sign_button.setEnabled(False)
        self.task = run_session_task(self.ctx, self, "Signing the minutes",
                                     f"approve and sign the minutes of {prev.label}", work,
                                     self._signed, writes=True, changed="meeting")
        self.task.failed.connect(self._failed)

    def _failed(self, _message: str) -> None:
        self.task = None
        self.passphrase.selectAll()
        self.passphrase.setFocus()
        self._update_button()

    def _signed(self, result: tuple[int, str]) -> None:
        self.task = None
        self.signed_document_id, warning = result
        if warning:
            QMessageBox.information(self, "Signed without a timestamp", warning)
        self.accept()
