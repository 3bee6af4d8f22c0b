"""Schedule a meeting, or edit its details (date and time, venue, status, marking, quorum,
pack draft/final, who chaired)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ...errors import ValidationError
from ...model import Classification, MeetingStatus
from ...services import meetings as svc
from ...services.board import the_board
from ...services.context import Actor
from ...services.meeting_views import MeetingDetail, people_choices
from ..context import AppContext, form_values
from ..widgets.buttons import save_cancel
from ..widgets.date_edit import DateTimeEdit
from ..widgets.quorum import QuorumEdit
from .common import fill_combo, run_watching_reload, select_data


class MeetingDialog(QDialog):
    """``detail=None`` schedules a new meeting; otherwise edits that one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 detail: MeetingDetail | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.saved_meeting_id: int | None = None
        with ctx.read() as s:
            people = people_choices(s)
            board = the_board(s)
            defaults = (board.name, board.default_quorum, board.classification)
            fraction = board.quorum_fraction
        self.setWindowTitle("Schedule a meeting" if detail is None else f"Edit {detail.label}")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.starts = DateTimeEdit()
        self.starts.setAccessibleName("Date and time")
        next_week = dt.datetime.combine(ctx.today + dt.timedelta(days=28), dt.time(14, 0))
        self.starts.set_datetime_value(next_week)
        self.title_edit = QLineEdit(defaults[0])
        self.title_edit.setAccessibleName("Meeting title")
        self.venue = QLineEdit()
        self.venue.setAccessibleName("Venue")
        self.venue.setPlaceholderText("e.g. Committee Room 1, Civic Suite, or Microsoft Teams")
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        fill_combo(self.status, [(m.label, m) for m in MeetingStatus], MeetingStatus.PLANNED)
        self.classification = QComboBox()
        self.classification.setAccessibleName("Security marking")
        fill_combo(self.classification, [(c.label, c) for c in Classification], defaults[2])
        self.quorum = QuorumEdit(defaults[1], fraction)
        self.pack_final = QCheckBox("The pack is &final (otherwise it is a draft)")
        self.chaired_by = QComboBox()
        self.chaired_by.setAccessibleName("Chaired by")
        fill_combo(self.chaired_by, [("Not recorded", None)] + [(n, i) for i, n in people])
        form.addRow("&Date and time:", self.starts)
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Venue:", self.venue)
        form.addRow("&Status:", self.status)
        form.addRow("&Marking:", self.classification)
        form.addRow("&Quorum:", self.quorum)
        form.addRow("", self.pack_final)
        form.addRow("&Chaired by:", self.chaired_by)
        self.closed = QLineEdit()
        self.closed.setAccessibleName("Closed at")
        self.closed.setPlaceholderText("hh:mm, once the meeting has been held (for the minutes)")
        form.addRow("C&losed at:", self.closed)
        self.standing = QCheckBox("Start the agenda with the &standing items (terms of reference)")
        self.standing.setChecked(detail is None)
        self.standing.setVisible(detail is None)
        form.addRow("", self.standing)
        layout.addLayout(form)
        buttons = save_cancel(self, self.save)
        layout.addWidget(buttons)
        if detail is not None:
            self.starts.set_datetime_value(detail.starts_at)
            self.title_edit.setText(detail.title)
            self.venue.setText(detail.venue)
            select_data(self.status, detail.status)
            select_data(self.classification, detail.classification)
            self.quorum.set_quorum(detail.quorum_required, detail.quorum_fraction)
            self.pack_final.setChecked(detail.pack_final)
            select_data(self.chaired_by, detail.chaired_by_id)
            self.closed.setText(f"{detail.ends_at:%H:%M}" if detail.ends_at else "")

    def _closed_at(self, starts: dt.datetime | None) -> dt.datetime | None:
        """The closing time typed ("15:45"), on the meeting's day; None when empty."""
        text = self.closed.text().strip().replace(".", ":")
        if not text or starts is None:
            return None
        try:
            at = dt.datetime.strptime(text, "%H:%M").time()
        except ValueError:
            raise ValidationError(f"Closed at: '{text}' is not a time; write it as 15:45.",
                                  "ends_at") from None
        return dt.datetime.combine(starts.date(), at)

    def values(self) -> dict[str, Any]:
        starts = self.starts.datetime_value()
        return {"starts_at": starts, "ends_at": self._closed_at(starts), "title": self.title_edit.text(),
                "venue": self.venue.text(), "status": self.status.currentData(),
                "classification": self.classification.currentData(),
                "quorum": self.quorum.value(), "quorum_fraction": self.quorum.fraction_text(),
                "pack_final": self.pack_final.isChecked(),
                "chaired_by_id": self.chaired_by.currentData()}

    def save(self) -> None:
        detail = self.detail
        what = "schedule the meeting" if detail is None else "save the meeting"
        values = form_values(self, what, self.values)
        if values is None:
            return
        standing = self.standing.isChecked()

        def create(s: Session, a: Actor) -> int:
            from ...services.forward_plan import place_planned_items
            from ...services.standing import add_standing_items

            fields = dict(values)
            meeting = svc.create_meeting(s, a, fields.pop("starts_at"), **fields)
            if standing:
                add_standing_items(s, a, meeting.id)
                place_planned_items(s, a, meeting.id)
            return meeting.id

        def edit(s: Session, a: Actor) -> int:
            assert detail is not None
            return svc.update_meeting(s, a, detail.id, detail.version, values).id

        result, reloaded = run_watching_reload(self.ctx, self, what,
                                               create if detail is None else edit, "meeting")
        if result is not None:
            self.saved_meeting_id = result
            self.accept()
        elif reloaded:
            self.reject()
