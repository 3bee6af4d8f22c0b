"""The Meetings page: the list of meetings, and for the selected one its details, agenda,
attendance, declarations and minutes. A signed meeting is shown locked."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...model import MeetingStatus
from ...services.context import Perm, who_may
from ...services.meeting_views import MeetingDetail, list_meetings, meeting_detail, people_choices
from ..context import AppContext
from ..meetings.agenda import AgendaEditor
from ..meetings.attendance import AttendanceGrid
from ..meetings.common import Banner, local_time, uk_datetime
from ..meetings.declarations import DeclarationsPanel
from ..meetings.details import DetailsPanel
from ..meetings.documents import DocumentsPanel
from ..meetings.meeting_dialog import MeetingDialog
from ..meetings.minutes import MinutesEditor
from ..meetings.models import MeetingListModel
from ..page import Page
from ..widgets.tables import fit_columns

TABS = ("details", "agenda", "attendance", "declarations", "minutes", "documents")


class MeetingsPage(Page):
    title = "Meetings"
    icon = "meetings.svg"
    shortcut = "Ctrl+3"
    topics = frozenset({"meeting", "board", "action"})
    navigate = Signal(str, object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.detail: MeetingDetail | None = None
        self.dialog: QDialog | None = None
        self._wanted: int | None = None
        self._build()

    def open_forward_plan(self) -> None:
        from ..meetings.forward_plan import ForwardPlanDialog

        self.dialog = ForwardPlanDialog(self.ctx, self)
        self.dialog.finished.connect(lambda _r: self.refresh())
        self.dialog.open()

    # --- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(QLabel("<h2>Meetings</h2>"))
        head.addStretch(1)
        self.new_button = QPushButton("&New meeting…")
        self.new_button.setToolTip("Schedule a meeting (Ctrl+N)")
        head.addWidget(self.new_button)
        self.calendar_button = QPushButton("Add to &calendar…")
        self.calendar_button.setToolTip("Save the meetings, the dates their packs are due and "
                                        "your own actions' due dates as a calendar file (.ics) "
                                        "for Outlook; saving again later updates the same events")
        head.addWidget(self.calendar_button)
        ll.addLayout(head)
        plan_row = QHBoxLayout()
        plan_row.addStretch(1)
        self.forward_plan_button = QPushButton("&Forward plan…")
        self.forward_plan_button.setToolTip("Meetings still to come and the items planned for "
                                            "them; plan an item before its agenda is built")
        self.forward_plan_button.clicked.connect(self.open_forward_plan)
        plan_row.addWidget(self.forward_plan_button)
        ll.addLayout(plan_row)
        self.list_model = MeetingListModel(self)
        self.list = QTableView()
        self.list.setAccessibleName("Meetings")
        self.list.setModel(self.list_model)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSortingEnabled(True)
        self.list.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.list.verticalHeader().hide()
        self.list.setWordWrap(False)
        self.list.setColumnHidden(3, True)  # the venue shows in the meeting's heading
        # the date and the status say which meeting; the (usually repeated) title gives way
        fit_columns(self.list, stretch=1, cap=170, share=0.1, wrap=False)
        self.list.setMinimumWidth(270)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        ll.addWidget(self.list, 1)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setAccessibleName("Selected meeting")
        self.heading.setWordWrap(True)
        rl.addWidget(self.heading)
        self.banner = Banner(self, "Meeting status")
        rl.addWidget(self.banner)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Meeting detail")
        self.details = DetailsPanel(self.ctx)
        self.agenda = AgendaEditor(self.ctx)
        self.attendance = AttendanceGrid(self.ctx)
        self.declarations = DeclarationsPanel(self.ctx)
        self.minutes = MinutesEditor(self.ctx)
        self.documents = DocumentsPanel(self.ctx)
        for n, (w, label) in enumerate(((self.details, "Details"), (self.agenda, "Agenda"),
                                        (self.attendance, "Attendance"),
                                        (self.declarations, "Declarations"),
                                        (self.minutes, "Minutes"),
                                        (self.documents, "Documents")), start=1):
            self.tabs.addTab(w, label)
            self.tabs.setTabToolTip(n - 1, f"{label} (Alt+{n})")
            QShortcut(QKeySequence(f"Alt+{n}"), self, lambda i=n - 1: self.tabs.setCurrentIndex(i),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        rl.addWidget(self.tabs, 1)
        self.empty = QLabel("No meetings yet. Press “New meeting…” (Ctrl+N) to schedule the first.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        rl.addWidget(self.empty)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("meetings_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([470, 810])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.splitter)

        self.new_button.clicked.connect(self.new_meeting)
        self.calendar_button.clicked.connect(self.add_to_calendar)
        self.minutes.open_action.connect(lambda aid: self.navigate.emit("actions", {"action_id": aid}))
        self.list.selectionModel().currentRowChanged.connect(self._meeting_changed)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_meeting,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if not self.ctx.can(Perm.EDIT_MEETINGS):
            self.new_button.setEnabled(False)
            self.new_button.setToolTip(self._no_permission())

    def _no_permission(self) -> str:
        return (f"Only the {who_may(Perm.EDIT_MEETINGS)} may {Perm.EDIT_MEETINGS.value}; you are "
                f"signed in as {self.ctx.actor.describe()}.")

    # --- data --------------------------------------------------------------------------------
    def refresh(self) -> None:
        with self.ctx.read() as s:
            rows = list_meetings(s)
            self._people = people_choices(s)
        wanted = self._wanted or (self.detail.id if self.detail else None)
        if wanted is None and rows:
            planned = [m for m in rows if m.status is MeetingStatus.PLANNED
                       and m.starts_at.date() >= self.ctx.today]
            wanted = min(planned, key=lambda m: m.starts_at).id if planned else rows[0].id
        self._wanted = None
        self.list.selectionModel().blockSignals(True)
        self.list_model.set_rows(rows)
        self.list.selectionModel().blockSignals(False)
        found = self._select_row(wanted) if wanted is not None else False
        if not found:
            self.list.selectionModel().blockSignals(True)
            self.list.clearSelection()
            self.list.selectionModel().blockSignals(False)
            self.empty.setText(
                "That meeting is no longer in the record; choose one from the list." if rows else
                "No meetings yet. Press “New meeting…” (Ctrl+N) to schedule the first.")
        self._show(wanted if found else None)

    def _select_row(self, meeting_id: int) -> bool:
        """Select a meeting in the list without reacting to it; False if it is not there."""
        row = self.list_model.find(meeting_id)
        if row < 0:
            return False
        sel = self.list.selectionModel()
        sel.blockSignals(True)
        sel.setCurrentIndex(self.list_model.index(row, 0),
                            QItemSelectionModel.SelectionFlag.ClearAndSelect
                            | QItemSelectionModel.SelectionFlag.Rows)
        sel.blockSignals(False)
        self.list.viewport().update()
        self.list.scrollTo(self.list_model.index(row, 0))
        return True

    def _meeting_changed(self, current: Any, _previous: Any) -> None:
        if not current.isValid():
            return
        target = self.list_model.row(current.row()).id
        if self.minutes.dirty and not self.minutes.save():
            if self.detail is not None:
                self._select_row(self.detail.id)  # stay with the unsaved minute
            return
        # saving reloads the list underneath, so go by id, not by the old index
        self._select_row(target)
        self._show(target)

    def _reload_detail(self) -> None:
        self._show(self.detail.id if self.detail else None)

    def _show(self, meeting_id: int | None) -> None:
        detail = None
        if meeting_id is not None:
            with self.ctx.read() as s:
                detail = meeting_detail(s, meeting_id, self.ctx.actor)
        self.detail = detail
        self.tabs.setVisible(detail is not None)
        self.empty.setVisible(detail is None)
        if detail is None:
            self.heading.setText("")
            self.banner.clear_message()
            return
        self.heading.setText(f"<h2>{detail.title}, {uk_datetime(detail.starts_at)}</h2>"
                             f"{detail.venue or 'Venue not set'} · {detail.status.label} · "
                             f"{detail.classification.label}")
        why_not = ""
        if detail.locked:
            why_not = (f"These minutes were signed by {detail.signed_by} on "
                       f"{local_time(detail.signed_at)}; the record of this meeting is locked "
                       "and can no longer be changed.")
            self.banner.show_message(f"Locked. {why_not}", "info")
        elif not self.ctx.can(Perm.EDIT_MEETINGS):
            why_not = self._no_permission()
            self.banner.show_message(f"Read only. {why_not}", "info")
        elif detail.status is MeetingStatus.CANCELLED:
            self.banner.show_message("This meeting was cancelled.", "warning")
        else:
            self.banner.clear_message()
        editable = not why_not
        self.details.show_meeting(detail, editable, why_not)
        self.agenda.show_meeting(detail, editable, why_not)
        self.attendance.show_meeting(detail, self._people, editable, why_not)
        self.declarations.show_meeting(detail, self._people, editable, why_not)
        self.minutes.show_meeting(detail, editable, why_not)
        can_issue = self.ctx.can(Perm.EDIT_MEETINGS)
        self.documents.show_meeting(detail.id, detail.label, can_issue,
                                    "" if can_issue else self._no_permission())

    # --- navigation contract -------------------------------------------------------------
    def open_target(self, arg: object) -> None:
        """Show a meeting: ``{"meeting_id": 3}``, optionally ``"tab": "minutes"``."""
        if not isinstance(arg, dict) or not isinstance(arg.get("meeting_id"), int):
            return
        self.select_meeting(arg["meeting_id"])
        tab = arg.get("tab")
        if tab in TABS:
            self.tabs.setCurrentIndex(TABS.index(tab))

    def select_meeting(self, meeting_id: int) -> None:
        self._wanted = meeting_id
        self._stale = True
        if self.isVisible():
            self.refresh_if_stale()

    # --- acts --------------------------------------------------------------------------------
    def add_to_calendar(self) -> None:
        from ...services.calendar import own_calendar

        path, _ = QFileDialog.getSaveFileName(self, "Add to calendar", "board-meetings.ics",
                                              "Calendar files (*.ics)")
        if not path:
            return
        if not path.lower().endswith(".ics"):
            path += ".ics"
        result = self.ctx.run(self, "write the calendar",
                              lambda s, a: own_calendar(s, a, path))
        if result is None:
            return
        mine = f", and the due dates of your {result.actions} open actions" if result.actions else ""
        QMessageBox.information(
            self, "Calendar saved",
            f"Saved {result.meetings} meetings and {result.deadlines} pack deadline(s){mine} to "
            f"{result.path}.\n\nOpen the file with Outlook (or drag it onto its calendar) to "
            "add them; opening a newer file later updates the same events.")

    def new_meeting(self) -> None:
        if not self.ctx.can(Perm.EDIT_MEETINGS):
            return
        self.dialog = MeetingDialog(self.ctx, self)
        self.dialog.finished.connect(self._dialog_finished)
        self.dialog.open()

    def _dialog_finished(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if isinstance(dialog, MeetingDialog):
            if result == QDialog.DialogCode.Accepted and dialog.saved_meeting_id is not None:
                self.select_meeting(dialog.saved_meeting_id)
                self.tabs.setCurrentIndex(TABS.index("agenda"))
            dialog.deleteLater()
