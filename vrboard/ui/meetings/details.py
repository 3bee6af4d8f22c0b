"""The Details tab: the meeting's particulars, what the pack still lacks, and approving the
previous meeting's minutes (chair only; others see who may and why they may not)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...model import MeetingStatus
from ...services.meeting_views import MeetingDetail
from ...services.meetings import approval_venue_refusal
from ..context import AppContext
from .approve import ApproveMinutesDialog
from .common import local_time, plural, uk_datetime
from .meeting_dialog import MeetingDialog

CHAIR_ONLY = "Only the chair (or the vice-chair recorded as acting chair) may approve and sign minutes"


def _value_label(name: str, wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setAccessibleName(name)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DetailsPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: MeetingDetail | None = None
        self.dialog: QDialog | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        facts = QGroupBox("Meeting")
        form = QFormLayout(facts)
        self.fields = {k: _value_label(k) for k in (  # wrapped: nothing cut off at 1024 px
            "Date and time", "Venue", "Status", "Marking", "Quorum", "Pack", "Publication",
            "Chaired by", "Agenda")}
        for k, w in self.fields.items():
            form.addRow(f"{k}:", w)
        self.edit_button = QPushButton("&Edit details…")
        self.edit_button.setToolTip("Change the date, venue, status, marking, quorum or pack state")
        form.addRow("", self.edit_button)
        top.addWidget(facts, 1)

        right = QVBoxLayout()
        prev = QGroupBox("Minutes of the previous meeting")
        pl = QVBoxLayout(prev)
        self.previous = _value_label("Previous minutes")
        self.approve_button = QPushButton("&Approve and sign previous minutes…")
        self.approve_reason = _value_label("Why approval is not available")
        pl.addWidget(self.previous)
        row = QHBoxLayout()
        row.addWidget(self.approve_button)
        row.addStretch(1)
        pl.addLayout(row)
        pl.addWidget(self.approve_reason)
        right.addWidget(prev)
        own = QGroupBox("This meeting's minutes")
        ol = QVBoxLayout(own)
        self.own = _value_label("This meeting's minutes")
        ol.addWidget(self.own)
        right.addWidget(own)
        top.addLayout(right, 1)
        layout.addLayout(top)

        gaps = QGroupBox("Before the pack goes out")
        gl = QVBoxLayout(gaps)
        self.gaps = _value_label("Missing from the pack")
        gl.addWidget(self.gaps)
        layout.addWidget(gaps)
        layout.addStretch(1)
        self.edit_button.clicked.connect(self.edit_meeting)
        self.approve_button.clicked.connect(self.approve_previous)

    def show_meeting(self, d: MeetingDetail, editable: bool, why_not: str) -> None:
        self.detail = d
        f = self.fields
        f["Date and time"].setText(uk_datetime(d.starts_at))
        f["Venue"].setText(d.venue or "Not set")
        f["Status"].setText(d.status.label)
        f["Marking"].setText(d.classification.label)
        f["Quorum"].setText(d.quorum.describe())  # "4 needed (one third of 8 …); 6 present (quorate)"
        f["Pack"].setText("Final" if d.pack_final else "Draft")
        f["Publication"].setText(d.pack_due or "Not applicable (the meeting is not planned)")
        f["Chaired by"].setText(d.chaired_by or "Not recorded")
        part2 = sum(1 for i in d.items if i.part == 2)
        mins = sum(i.minutes_allotted for i in d.items)
        f["Agenda"].setText(f"{plural(len(d.items), 'item')} ({part2} in Part 2), {plural(mins, 'minute')}")
        self.edit_button.setEnabled(editable)
        self.edit_button.setToolTip("Change the date, venue, status, marking, quorum or pack state"
                                    if editable else why_not)
        if d.locked:
            self.own.setText(f"Approved as a correct record at {d.approved_at or 'a later meeting'} "
                             f"and signed by {d.signed_by} on {local_time(d.signed_at)}. Locked.")
        elif d.status is MeetingStatus.HELD:
            self.own.setText("Not yet approved: the chair signs them at the next meeting.")
        else:
            self.own.setText("The meeting has not been held yet.")
        self.gaps.setText("\n".join(f"•  {g}" for g in d.pack_gaps) or "Nothing is missing.")
        self._show_previous(d)

    def _show_previous(self, d: MeetingDetail) -> None:
        p = d.previous
        reason = ""
        if p is None:
            self.previous.setText("There is no earlier meeting.")
            reason = "There are no earlier minutes to approve."
        elif p.locked:
            self.previous.setText(f"The minutes of {p.label} were signed by {p.signed_by} on "
                                  f"{local_time(p.signed_at)}.")
            reason = "They are already approved and signed."
        else:
            self.previous.setText(f"The minutes of {p.label} are not yet approved.")
            refusal = self.ctx.chair_refusal()
            if p.status is not MeetingStatus.HELD:
                reason = f"That meeting is {p.status.label.lower()}, not held, so it has no minutes."
            elif not p.has_minutes:
                reason = "No minutes have been written for that meeting yet."
            elif refusal is not None:
                reason = f"{CHAIR_ONLY}; {refusal}."
            elif (venue := approval_venue_refusal(d.starts_at, d.status)) is not None:
                reason = venue
        self.approve_button.setEnabled(not reason)
        self.approve_button.setToolTip(reason or "Read the minutes and sign them as a correct record")
        self.approve_reason.setText(reason)
        self.approve_reason.setVisible(bool(reason) and p is not None and not p.locked)

    def edit_meeting(self) -> None:
        if self.detail is not None:
            self._open(MeetingDialog(self.ctx, self, self.detail))

    def approve_previous(self) -> None:
        d = self.detail
        if d is not None and d.previous is not None and self.approve_button.isEnabled():
            self._open(ApproveMinutesDialog(self.ctx, self, d.previous, d))

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(self._dialog_finished)
        dialog.open()

    def _dialog_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

