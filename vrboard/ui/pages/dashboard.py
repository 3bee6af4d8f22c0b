"""Dashboard: what is late, what is due, what needs a decision, and the next meeting."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...model import RAG
from ...services.common import uk_date
from ...services.dashboard import DashboardSummary, DashRow, NextMeeting, days_late, summary
from ...services.queries import WorkstreamCounts
from ..context import AppContext
from ..dashboard_widgets import RagBar, StatButton
from ..page import Page
from ..style import warning_colour
from ..tablemodel import RAG_COLOURS, RAG_TEXT, Column, RowTableModel
from ..widgets.tables import fit_columns

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter


def _rag_cell(rag: RAG) -> tuple[QColor, QColor]:
    return RAG_COLOURS[rag.value], RAG_TEXT[rag.value]


def _count_column(rag: RAG) -> Column[WorkstreamCounts]:
    return Column(
        rag.value.capitalize(), lambda w: str(w.by_rag.get(rag, 0)), key=lambda w: w.by_rag.get(rag, 0),
        align=CENTRE,
        background=lambda w: RAG_COLOURS[rag.value] if w.by_rag.get(rag, 0) else None,
        foreground=lambda w: RAG_TEXT[rag.value] if w.by_rag.get(rag, 0) else None,
        tooltip=lambda w: f"{w.by_rag.get(rag, 0)} open {rag.value} actions in {w.workstream.code}",
    )


def workstream_columns() -> list[Column[WorkstreamCounts]]:
    return [
        Column("Workstream", lambda w: f"{w.workstream.code}  {w.workstream.name}",
               key=lambda w: w.workstream.position, tooltip=lambda w: w.workstream.name),
        Column("Open", lambda w: str(w.open), key=lambda w: w.open, align=CENTRE),
        _count_column(RAG.RED), _count_column(RAG.AMBER), _count_column(RAG.GREEN),
        Column("Overdue", lambda w: str(w.overdue), key=lambda w: w.overdue, align=CENTRE),
        Column("Awaiting", lambda w: str(w.awaiting), key=lambda w: w.awaiting, align=CENTRE,
               tooltip=lambda w: f"{w.awaiting} complete actions awaiting the chair's sign-off"),
        Column("Progress", lambda w: f"{w.mean_percent:.0f}%", key=lambda w: w.mean_percent, align=RIGHT,
               tooltip=lambda w: "Mean % complete of the workstream's actions (dropped ones left out)"),
    ]


def _owner(a: DashRow) -> str:
    return a.owner or "(no owner)"


def _rag_column() -> Column[DashRow]:
    return Column("RAG", lambda a: a.rag.value.capitalize(), key=lambda a: list(RAG).index(a.rag),
                  align=CENTRE, background=lambda a: _rag_cell(a.rag)[0],
                  foreground=lambda a: _rag_cell(a.rag)[1])


def action_columns(kind: str, today: dt.date) -> list[Column[DashRow]]:
    cols: list[Column[DashRow]] = [
        Column("Ref", lambda a: a.reference, key=lambda a: a.reference),
        Column("Action", lambda a: a.title, tooltip=lambda a: a.title),
        Column("Owner", _owner),
        Column("Workstream", lambda a: a.workstream, key=lambda a: a.workstream_position),
    ]
    if kind == "awaiting":
        cols.append(Column("Completed", lambda a: uk_date(a.completed_on), key=lambda a: a.completed_on))
    else:
        cols.append(Column("Due", lambda a: uk_date(a.effective_due), key=lambda a: a.effective_due,
                           tooltip=lambda a: "Revised due date" if a.revised_due_date else "Due date"))
    if kind == "overdue":
        cols.append(Column("Days late", lambda a: str(days_late(a, today)),
                           key=lambda a: days_late(a, today), align=RIGHT))
    if kind == "soon":
        cols.append(Column("Days left", lambda a: str(((a.effective_due or today) - today).days),
                           key=lambda a: a.effective_due, align=RIGHT))
    cols.append(_rag_column())
    if kind == "overdue":
        cols.append(Column(
            "Check", lambda a: "Overdue but shown green" if a.is_inconsistent(today) else "",
            key=lambda a: not a.is_inconsistent(today),
            tooltip=lambda a: ("Past its due date and not complete, yet reported green: ask the "
                               "owner for a realistic RAG or a revised date") if a.is_inconsistent(today)
            else "",
            foreground=lambda a: warning_colour() if a.is_inconsistent(today) else None,
        ))
    return cols


def _table(model: RowTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name.lower().replace(" ", "_").replace("-", "_"))
    view.setAccessibleName(name)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(26)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setHighlightSections(False)
    return view


class DashboardPage(Page):
    title = "Dashboard"
    icon = "dashboard.svg"
    shortcut = "Ctrl+1"
    topics = frozenset({"action", "meeting", "board", "workstream"})

    navigate = Signal(str, object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.data: DashboardSummary | None = None
        self.meeting: NextMeeting | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 10, 16, 10)
        outer.setSpacing(8)

        head = QHBoxLayout()
        heading = QLabel("Dashboard")
        heading.setProperty("role", "page-title")
        self.as_at = QLabel()
        self.as_at.setProperty("role", "muted")
        head.addWidget(heading)
        head.addStretch(1)
        head.addWidget(self.as_at)
        outer.addLayout(head)

        stats = QHBoxLayout()
        stats.setSpacing(10)
        self.stat_open = StatButton("Open actions", "Open actions, not yet complete")
        self.stat_overdue = StatButton("Overdue", "Past their due date and not complete: open them "
                                       "on the Actions page")
        self.stat_soon = StatButton("Due in 14 days", "Open actions due in the next 14 days: open them "
                                    "on the Actions page")
        self.stat_awaiting = StatButton("Awaiting sign-off", "Complete, waiting for the chair to sign "
                                        "off: open them on the Actions page")
        self.stat_check = StatButton("Overdue but green", "Overdue actions still reported green: the "
                                     "board should challenge these")
        for b in (self.stat_open, self.stat_overdue, self.stat_soon, self.stat_awaiting, self.stat_check):
            stats.addWidget(b)
        outer.addLayout(stats)

        rag_row = QHBoxLayout()
        rag_label = QLabel("Open actions by RAG")
        rag_label.setProperty("role", "section")
        self.rag_bar = RagBar()
        rag_row.addWidget(rag_label)
        rag_row.addWidget(self.rag_bar, 1)
        outer.addLayout(rag_row)

        self.split = QSplitter(Qt.Orientation.Vertical, objectName="dashboard_split")
        self.split.setChildrenCollapsible(False)
        top = QSplitter(Qt.Orientation.Horizontal, objectName="dashboard_top")
        top.setChildrenCollapsible(False)
        self.ws_model: RowTableModel[WorkstreamCounts] = RowTableModel(workstream_columns(), self)
        self.ws_view = _table(self.ws_model, "Actions by workstream")
        self.ws_view.setToolTip("Double-click a workstream (or press Enter) to see its actions")
        # The workstream's name carries the meaning; the counts take only what they need.
        fit_columns(self.ws_view, stretch=0, cap=80, share=0.35, wrap=False)
        top.addWidget(_titled("Actions by workstream", self.ws_view))
        top.addWidget(self._meeting_card())
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        self.split.addWidget(top)

        today = ctx.today
        self.overdue_model: RowTableModel[DashRow] = RowTableModel(action_columns("overdue", today), self)
        self.soon_model: RowTableModel[DashRow] = RowTableModel(action_columns("soon", today), self)
        self.awaiting_model: RowTableModel[DashRow] = RowTableModel(action_columns("awaiting", today), self)
        self.tabs = QTabWidget(objectName="dashboard_tabs")
        self.tabs.setAccessibleName("Action lists")
        self.overdue_view = _table(self.overdue_model, "Overdue actions")
        self.soon_view = _table(self.soon_model, "Actions due in the next 14 days")
        self.awaiting_view = _table(self.awaiting_model, "Actions awaiting sign-off")
        for view in (self.overdue_view, self.soon_view, self.awaiting_view):
            fit_columns(view, stretch=1, cap=140, share=0.35, wrap=False)  # the action's title
            view.activated.connect(self._open_action)
        self.tabs.addTab(self.overdue_view, "Overdue")
        self.tabs.addTab(self.soon_view, "Due in 14 days")
        self.tabs.addTab(self._awaiting_tab(), "Awaiting sign-off")
        self.split.addWidget(self.tabs)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([300, 260])
        self.ws_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.overdue_view.sortByColumn(5, Qt.SortOrder.DescendingOrder)  # most days late first
        self.soon_view.sortByColumn(4, Qt.SortOrder.AscendingOrder)
        self.awaiting_view.sortByColumn(4, Qt.SortOrder.AscendingOrder)
        outer.addWidget(self.split, 1)

        self.stat_open.clicked.connect(lambda: self.navigate.emit("actions", None))
        self.stat_overdue.clicked.connect(lambda: self.navigate.emit("actions", {"preset": "overdue"}))
        self.stat_soon.clicked.connect(lambda: self.navigate.emit("actions", {"preset": "due_soon"}))
        self.ws_view.activated.connect(self._open_workstream)
        self.stat_awaiting.clicked.connect(
            lambda: self.navigate.emit("actions", {"preset": "awaiting_sign_off"}))
        self.stat_check.clicked.connect(self._show_inconsistent)

    # --- parts -------------------------------------------------------------------------------
    def _meeting_card(self) -> QFrame:
        card = QFrame(objectName="next_meeting_card")
        card.setProperty("role", "card")
        card.setAccessibleName("Next meeting")
        lay = QVBoxLayout(card)
        lay.setContentsMargins(14, 10, 14, 10)
        title = QLabel("Next meeting")
        title.setProperty("role", "section")
        self.meeting_title = QLabel()
        self.meeting_title.setWordWrap(True)
        self.meeting_when = QLabel()
        self.meeting_when.setWordWrap(True)
        self.gaps_title = QLabel()
        self.gaps_title.setProperty("role", "section")
        self.gaps = QLabel()
        self.gaps.setWordWrap(True)
        self.gaps.setTextFormat(Qt.TextFormat.PlainText)
        self.gaps.setAccessibleName("What is missing for the pack")
        self.gaps.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.open_meeting = QPushButton("Open the meeting")
        self.open_meeting.setAccessibleName("Open the next meeting on the Meetings page")
        self.open_meeting.clicked.connect(self._open_meeting)
        for w in (title, self.meeting_title, self.meeting_when, self.gaps_title):
            lay.addWidget(w)
        scroll = QScrollArea()
        scroll.setWidget(self.gaps)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.viewport().setAutoFillBackground(False)
        self.gaps.setAutoFillBackground(False)
        lay.addWidget(scroll, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.open_meeting)
        lay.addLayout(row)
        return card

    def _awaiting_tab(self) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.awaiting_view, 1)
        row = QHBoxLayout()
        row.setContentsMargins(6, 4, 6, 6)
        self.awaiting_hint = QLabel()
        self.awaiting_hint.setProperty("role", "muted")
        self.review = QPushButton("Review and sign off…")
        self.review.setAccessibleName("Open the selected action on the Actions page to review it")
        self.review.clicked.connect(self._review_selected)
        row.addWidget(self.awaiting_hint, 1)
        row.addWidget(self.review)
        lay.addLayout(row)
        return box

    # --- data --------------------------------------------------------------------------------
    def refresh(self) -> None:
        with self.ctx.read() as s:
            data = summary(s, self.ctx.actor, self.ctx.today)
        self.data = data
        self.as_at.setText(f"As at {uk_date(data.today)}")
        self.stat_open.set_value(data.open_total)
        self.stat_overdue.set_value(len(data.overdue), warn=True)
        self.stat_soon.set_value(len(data.due_soon))
        self.stat_awaiting.set_value(len(data.awaiting))
        self.stat_check.set_value(len(data.inconsistent), warn=True)
        self.rag_bar.set_counts(data.open_by_rag)
        self.ws_model.set_rows(data.workstreams)
        self.overdue_model.set_rows(data.overdue)
        self.soon_model.set_rows(data.due_soon)
        self.awaiting_model.set_rows(data.awaiting)
        self.tabs.setTabText(0, f"Overdue ({len(data.overdue)})")
        self.tabs.setTabText(1, f"Due in 14 days ({len(data.due_soon)})")
        self.tabs.setTabText(2, f"Awaiting sign-off ({len(data.awaiting)})")
        self._show_meeting(data.next_meeting)
        refusal = self.ctx.chair_refusal()
        if refusal is None:
            self.review.setText("Review and sign off…")
            self.awaiting_hint.setText("Double-click an action, or select it and press Enter, to "
                                       "review and sign it off.")
        else:
            self.review.setText("Open in Actions…")
            self.awaiting_hint.setText("Only the chair signs actions off; "
                                       f"{refusal[0].lower() + refusal[1:]}.")
        self.review.setEnabled(bool(data.awaiting))

    def _show_meeting(self, m: NextMeeting | None) -> None:
        self.meeting = m
        self.open_meeting.setEnabled(m is not None)
        if m is None:
            self.meeting_title.setText("No meeting is planned.")
            self.meeting_when.setText("Schedule the next one on the Meetings page (Ctrl+3).")
            self.gaps_title.setText("")
            self.gaps.setText("")
            return
        self.meeting_title.setText(f"<b>{_escape(m.title)}</b>")
        days = (m.starts_at.date() - self.ctx.today).days
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        lines = [f"{m.starts_at:%A} {uk_date(m.starts_at.date())} at {m.starts_at:%H:%M} ({when})"]
        if m.venue:
            lines.append(m.venue)
        lines.append(f"{m.items} agenda item{'s' if m.items != 1 else ''}")
        if m.pack_due:
            lines.append(m.pack_due)
        self.meeting_when.setText("\n".join(lines))
        if m.gaps:
            self.gaps_title.setText(f"Missing for the pack ({len(m.gaps)})")
            self.gaps.setText("\n".join(f"•  {g}" for g in m.gaps))
            self.gaps.setStyleSheet(f"color: {_warn(self.palette())};")
        else:
            self.gaps_title.setText("The pack is ready")
            self.gaps.setText("Every item has its paper and the previous minutes are signed.")
            self.gaps.setStyleSheet("")

    # --- going elsewhere -----------------------------------------------------------------------
    def _open_action(self, index: QModelIndex) -> None:
        model = index.model()
        if isinstance(model, RowTableModel) and index.isValid():
            action = model.row(index)
            self.navigate.emit("actions", {"action_id": action.id})

    def _open_workstream(self, index: QModelIndex) -> None:
        if index.isValid():
            ws = self.ws_model.row(index).workstream
            self.navigate.emit("actions", {"workstream_id": ws.id})

    def _review_selected(self) -> None:
        rows = self.awaiting_view.selectionModel().selectedRows()
        index = rows[0] if rows else self.awaiting_model.index(0, 0)
        if index.isValid():
            self._open_action(index)

    def _open_meeting(self) -> None:
        if self.meeting is not None:
            self.navigate.emit("meetings", {"meeting_id": self.meeting.id})

    def _show_inconsistent(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.overdue_model.sort(len(self.overdue_model.columns) - 1, Qt.SortOrder.AscendingOrder)
        self.overdue_view.horizontalHeader().setSortIndicator(
            len(self.overdue_model.columns) - 1, Qt.SortOrder.AscendingOrder)
        self.overdue_view.setFocus()

    def open_target(self, target: object) -> None:
        """Accepts {"tab": "overdue" | "soon" | "awaiting"}."""
        if isinstance(target, dict):
            tabs = {"overdue": 0, "soon": 1, "awaiting": 2}
            if target.get("tab") in tabs:
                self.tabs.setCurrentIndex(tabs[target["tab"]])


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    label = QLabel(title)
    label.setProperty("role", "section")
    lay.addWidget(label)
    lay.addWidget(widget, 1)
    return box


def _warn(pal: QPalette) -> str:
    return warning_colour(pal).name()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
