"""Send trackers…: one e-mail per owner with their tracker attached (services/chase.py),
drafted into a folder and, when a mail server is given, sent. The password is used for this
sending only and never saved."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ...progress import Progress
from ...services.chase import ChaseResult, default_return_by
from ...services.context import Actor
from ..context import AppContext
from ..tasks import BackgroundTask, run_session_task
from .common import PathField, documents_dir, open_file, stamp


class ChaseDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task: BackgroundTask | None = None
        self.result: ChaseResult | None = None
        self.setWindowTitle("Send trackers")
        self.setMinimumWidth(600)
        lay = QVBoxLayout(self)
        intro = QLabel("Each owner with open actions gets an e-mail with their tracker attached, "
                       "listing what is overdue and due soon, and the date to return it by. The "
                       "e-mails are saved as drafts that Outlook opens ready to send; owners with "
                       "no e-mail address are listed and their trackers saved to hand over.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.folder = PathField("folder", "Choose the folder for the drafts", "", "Folder")
        self.folder.set_path(documents_dir() / f"VRB trackers to send {stamp()}")
        form.addRow("&Folder:", self.folder)
        self.return_by = QDateEdit()
        self.return_by.setCalendarPopup(True)
        self.return_by.setDisplayFormat("ddd dd/MM/yyyy")
        due = default_return_by(dt.date.today())
        self.return_by.setDate(QDate(due.year, due.month, due.day))
        self.return_by.setAccessibleName("Return by")
        form.addRow("&Return by:", self.return_by)
        self.overdue_only = QCheckBox("Only owners with &overdue actions")
        form.addRow("", self.overdue_only)
        lay.addLayout(form)

        self.send = QGroupBox("Also &send them now through a mail server (STARTTLS)")
        self.send.setCheckable(True)
        self.send.setChecked(False)
        sf = QFormLayout(self.send)
        self.host = QLineEdit()
        self.host.setPlaceholderText("smtp.example.gov.uk:587")
        self.host.setAccessibleName("Mail server")
        self.user = QLineEdit()
        self.user.setAccessibleName("Mail server login")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Mail server password (not saved)")
        sf.addRow("Ser&ver:", self.host)
        sf.addRow("&Login:", self.user)
        sf.addRow("&Password:", self.password)
        note = QLabel("The password is used for this sending only and never saved.")
        note.setWordWrap(True)
        sf.addRow("", note)
        lay.addWidget(self.send)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton("&Prepare e-mails", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.send.toggled.connect(
            lambda on: self.ok.setText("&Send e-mails" if on else "&Prepare e-mails"))

    def start(self) -> BackgroundTask | None:
        from ...mail import Sender, Smtp

        folder = self.folder.path()
        if not folder:
            QMessageBox.warning(self, "Send trackers", "Please say where to save the drafts.")
            return None
        q = self.return_by.date()
        return_by = dt.date(q.year(), q.month(), q.day())
        overdue_only = self.overdue_only.isChecked()
        smtp = None
        if self.send.isChecked():
            if not self.host.text().strip():
                QMessageBox.warning(self, "Send trackers", "Please give the mail server.")
                return None
            try:
                smtp = Smtp.parse(self.host.text(), self.user.text().strip())
            except Exception as exc:  # noqa: BLE001 - a plain message
                QMessageBox.warning(self, "Send trackers", str(exc))
                return None
        password = self.password.text()
        self.password.clear()  # kept only in this function's memory

        def work(session: Session, actor: Actor, progress: Progress) -> ChaseResult:
            from ...services.chase import chase

            if smtp is None:
                return chase(session, actor, folder, overdue_only=overdue_only,
                             return_by=return_by, progress=progress)
            with Sender(smtp, password) as sender:
                return chase(session, actor, folder, overdue_only=overdue_only,
                             return_by=return_by, sender=sender, progress=progress)

        self.ok.setEnabled(False)
        self.task = run_session_task(self.ctx, self, "Send trackers", "prepare the e-mails", work,
                                     self._done, writes=True, changed="export")
        self.task.finished.connect(lambda: self.ok.setEnabled(True))
        return self.task

    def _done(self, result: Any) -> None:
        self.result = result
        r: ChaseResult = result
        lines = [f"Drafted {len(r.drafted)} e-mail(s) in {r.folder}, trackers to return by "
                 f"{r.return_by:%d/%m/%Y}."]
        if self.send.isChecked():
            lines.append(f"Sent {len(r.sent)} of them.")
        if r.no_email:
            lines.append(f"No e-mail address for {len(r.no_email)} owner(s); their trackers "
                         "were saved to hand over: " + ", ".join(n for n, _ in r.no_email) + ".")
        if r.failed:
            lines.append(f"{r.failed} The rest were not sent; their drafts are in the folder.")
        box = QMessageBox(QMessageBox.Icon.Warning if r.failed else QMessageBox.Icon.Information,
                          "Trackers prepared", "\n\n".join(lines),
                          QMessageBox.StandardButton.Close, self.parentWidget())
        show = box.addButton("Open the folder", QMessageBox.ButtonRole.ActionRole)
        self.accept()
        if show_result_box(box) is show:
            open_file(Path(r.folder))


def show_result_box(box: QMessageBox) -> object:
    """Shows the box and returns the button clicked (tests replace this)."""
    box.exec()
    return box.clickedButton()
