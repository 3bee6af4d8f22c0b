"""The chair approves the previous meeting's minutes as a correct record and signs them."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...services import meetings as svc
from ...services.meeting_views import MeetingDetail, PreviousMinutes, meeting_detail
from ..context import AppContext
from .common import run_watching_reload


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
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = self.buttons.addButton("&Approve and sign",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setEnabled(False)
        self.confirm.toggled.connect(self.sign_button.setEnabled)
        self.buttons.accepted.connect(self.sign)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def sign(self) -> None:
        if not self.confirm.isChecked():
            return
        prev, at = self.previous, self.at
        result, reloaded = run_watching_reload(
            self.ctx, self, f"approve the minutes of {prev.label}",
            lambda s, a: svc.approve_minutes(s, a, prev.id, at.id, prev.version).id, "meeting")
        if result is not None:
            self.accept()
        elif reloaded:
            self.reject()  # read the minutes as saved now before signing
