"""The Community page: Community Conversations (WS1), their themes ("you said, we did"), the
Youth Panel (WS7) and the Strategic Needs Assessment (WS4), one tab each. Every tab lists its
records with the selected one in full underneath, including the actions that answer it.
The secretariat and the chair add and correct records with each tab's buttons (or with ``vrboard
community``, ``vrboard youth-panel`` and ``vrboard needs``); the rules live in
services/community.py, youth_panel.py and needs.py."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...services import community as cm
from ...services import needs as nd
from ...services import youth_panel as yp
from ...services.common import uk_date
from ...services.context import Perm, who_may
from ..context import AppContext
from ..page import Page
from ..tablemodel import Column, RowTableModel
from ..widgets.tables import fit_columns, read_only_table

R = TypeVar("R")


@dataclass(frozen=True)
class ConvLine:
    id: int
    held_on: dt.date
    place: str
    lead: str
    facilitators: str
    people: int
    groups: str
    notes: str
    themes: str


@dataclass(frozen=True)
class ThemeLine:
    id: int
    title: str
    sessions: int
    where: str
    quotes: tuple[str, ...]
    response: str
    state: str
    actions: str


@dataclass(frozen=True)
class AskLine:
    id: int
    held_on: dt.date
    place: str
    people: int
    notes: str
    raised: str
    reply: str
    state: str
    actions: str
    session_id: int = 0


@dataclass(frozen=True)
class FindingLine:
    id: int
    assessment: str
    published: dt.date
    summary: str
    number: str
    text: str
    actions: str
    assessment_id: int = 0


def _refs(actions: list[Any]) -> str:
    return ", ".join(f"{a.reference} ({a.status.label.lower()})" for a in actions)


CONV_COLUMNS: list[Column[ConvLine]] = [
    Column("Date", lambda r: uk_date(r.held_on), key=lambda r: r.held_on, width=84),
    Column("Place or ward", lambda r: r.place, tooltip=lambda r: r.place),
    Column("Lead organisation", lambda r: r.lead, width=210),
    Column("People", lambda r: str(r.people), key=lambda r: r.people, width=64),
    Column("Who took part", lambda r: r.groups, tooltip=lambda r: r.groups, width=300),
]
THEME_COLUMNS: list[Column[ThemeLine]] = [
    Column("Theme (you said)", lambda r: r.title, tooltip=lambda r: r.title),
    Column("Sessions", lambda r: str(r.sessions), key=lambda r: r.sessions, width=72),
    Column("We did", lambda r: r.response or "Not yet", tooltip=lambda r: r.response or None,
           width=340),
    Column("State", lambda r: r.state, width=90),
    Column("Actions", lambda r: r.actions or "None", tooltip=lambda r: r.actions or None, width=170),
]
ASK_COLUMNS: list[Column[AskLine]] = [
    Column("Session", lambda r: uk_date(r.held_on), key=lambda r: r.held_on, width=84),
    Column("You said", lambda r: r.raised, tooltip=lambda r: r.raised),
    Column("We did", lambda r: r.reply or "Not yet", tooltip=lambda r: r.reply or None, width=330),
    Column("State", lambda r: r.state, width=90),
    Column("Actions", lambda r: r.actions or "None", tooltip=lambda r: r.actions or None, width=170),
]
FINDING_COLUMNS: list[Column[FindingLine]] = [
    Column("No.", lambda r: r.number, width=40),
    Column("Finding", lambda r: r.text, tooltip=lambda r: r.text),
    Column("Actions answering it", lambda r: r.actions or "None",
           tooltip=lambda r: r.actions or None, width=260),
]


class _Tab(QWidget, Generic[R]):
    """A summary line, a table of records and the selected record in full."""

    def __init__(self, columns: list[Column[R]], name: str, stretch: int, empty: str,
                 describe: Any) -> None:
        super().__init__()
        self.model: RowTableModel[R] = RowTableModel(columns, self)
        self.table = read_only_table(self.model, name)
        fit_columns(self.table, stretch)
        self.empty, self.describe = empty, describe
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAccessibleName(f"{name}: selected")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([420, 200])
        self.buttons = QHBoxLayout()
        self.needs_row: list[QPushButton] = []
        self.allowed = False
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(self.buttons)
        layout.addWidget(split, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show())

    def current(self) -> R | None:
        idx = self.table.currentIndex()
        return self.model.row(idx) if idx.isValid() else None

    def add_buttons(self, allowed: bool, specs: list[tuple[str, str, Any, bool]]) -> list[QPushButton]:
        """(text, tooltip, slot, needs a selected row) a button; all off unless ``allowed``."""
        self.allowed = allowed
        out = []
        for text, tip, slot, needs_row in specs:
            b = QPushButton(text)
            b.setToolTip(tip if allowed else
                         f"Only the {who_may(Perm.EDIT_COMMUNITY)} may change community records.")
            b.setEnabled(allowed)
            b.clicked.connect(slot)
            self.buttons.addWidget(b)
            if needs_row:
                self.needs_row.append(b)
            out.append(b)
        self.buttons.addStretch(1)
        return out

    def set_rows(self, rows: list[R], summary: str) -> None:
        idx = self.table.currentIndex()
        keep = self.model.row(idx).id if idx.isValid() else None  # type: ignore[attr-defined]
        self.model.set_rows(rows)
        self.summary.setText(summary)
        ids = [r.id for r in rows]  # type: ignore[attr-defined]
        if rows:
            self.table.selectRow(ids.index(keep) if keep in ids else 0)
        self._show()

    def _show(self) -> None:
        row = self.current()
        for b in self.needs_row:
            b.setEnabled(self.allowed and row is not None)
        self.detail.setText(self.empty if row is None else self.describe(row))


def _html(pairs: list[tuple[str, str]]) -> str:
    return "<br>".join(f"<b>{escape(k)}:</b> {escape(v).replace(chr(10), '<br>')}"
                       for k, v in pairs if v)


def _conv_detail(r: ConvLine) -> str:
    return _html([("Session", f"{uk_date(r.held_on)}, {r.place}"), ("Led by", r.lead),
                  ("Facilitators", r.facilitators), ("Who took part", f"{r.people} people: {r.groups}"),
                  ("What was said", r.notes), ("Themes it raised", r.themes or "None collated yet")])


def _theme_detail(r: ThemeLine) -> str:
    quotes = "\n".join(f"“{q}”" for q in r.quotes)
    return _html([("You said", r.title), ("Quotes", quotes), ("Raised at", r.where),
                  ("We did", r.response or "Not yet"), ("State", r.state),
                  ("Actions", r.actions or "None linked yet")])


def _ask_detail(r: AskLine) -> str:
    return _html([("Session", f"{uk_date(r.held_on)}, {r.place} ({r.people} young people)"),
                  ("Notes", r.notes), ("You said", r.raised), ("We did", r.reply or "Not yet"),
                  ("State", r.state), ("Actions", r.actions or "None linked yet")])


def _finding_detail(r: FindingLine) -> str:
    return _html([("Finding", f"{r.number}. {r.text}"), ("Actions answering it",
                                                         r.actions or "None linked yet")])


class CommunityPage(Page):
    title = "Community"
    icon = "community.svg"
    shortcut = "Ctrl+0"
    topics = frozenset({"community_session", "community_member", "community_theme",
                        "champions_workshop", "youth_session", "youth_ask", "needs_assessment",
                        "needs_finding", "action"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.conversations = _Tab(CONV_COLUMNS, "Community conversations", 1,
                                  "No community conversations yet.", _conv_detail)
        self.themes = _Tab(THEME_COLUMNS, "Themes", 2, "No themes collated yet.", _theme_detail)
        self.youth = _Tab(ASK_COLUMNS, "Youth panel", 2, "The youth panel has not met yet.",
                          _ask_detail)
        self.needs = _Tab(FINDING_COLUMNS, "Needs assessment", 1,
                          "No needs assessment recorded yet.", _finding_detail)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for tab, name in ((self.conversations, "Conversations"), (self.themes, "Themes"),
                          (self.youth, "Youth panel"), (self.needs, "Needs assessment")):
            self.tabs.addTab(tab, name)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        self.dialog: QDialog | None = None
        self._add_buttons()

    # --- editing --------------------------------------------------------------------------------
    def _add_buttons(self) -> None:
        from ..dialogs import community as d

        ok, ctx = self.ctx.can(Perm.EDIT_COMMUNITY), self.ctx
        (self.session_button, self.session_edit_button, self.member_button, self.member_remove_button,
         self.workshop_button, self.workshop_edit_button) = self.conversations.add_buttons(ok, [
            ("&New conversation…", "Record a community conversation that was held",
             lambda: self.open(d.SessionDialog(ctx, self)), False),
            ("&Edit…", "Correct the selected conversation",
             lambda: self._on(self.conversations, lambda r: d.SessionDialog(ctx, self, r.id)), True),
            ("&Member trained…", "Record a community member trained in the conversation method",
             lambda: self.open(d.MemberDialog(ctx, self)), False),
            ("&Remove member…", "Take a trained member off the pool (they left, or asked to be)",
             lambda: self.open(d.RemoveMemberDialog(ctx, self)), False),
            ("&Workshop…", "Record a Community Champions workshop",
             lambda: self.open(d.WorkshopDialog(ctx, self)), False),
            ("Edit wor&kshop…", "Correct a Community Champions workshop",
             lambda: self.open(d.WorkshopDialog(ctx, self, editing=True)), False)])
        (self.theme_button, self.theme_edit_button, self.respond_button,
         self.theme_link_button) = self.themes.add_buttons(ok, [
            ("&New theme…", "Collate a theme from the sessions that raised it",
             lambda: self.open(d.ThemeDialog(ctx, self)), False),
            ("&Edit…", "Correct the selected theme's words, sessions and quotes",
             lambda: self._on(self.themes, lambda r: d.ThemeDialog(ctx, self, r.id)), True),
            ("&Respond…", "Record what the board did (we did) and where the theme stands",
             lambda: self._on(self.themes, lambda r: d.ThemeResponseDialog(ctx, r.id, self)), True),
            ("&Link actions…", "Tick the actions that answer the theme",
             lambda: self._on(self.themes, lambda r: d.LinkActionsDialog(ctx, "theme", r.id, self)),
             True)])
        (self.youth_session_button, self.youth_session_edit_button, self.ask_button, self.ask_edit_button,
         self.reply_button, self.ask_link_button) = self.youth.add_buttons(ok, [
            ("&New session…", "Record a youth panel session that was held",
             lambda: self.open(d.YouthSessionDialog(ctx, self)), False),
            ("Edit &session…", "Correct the selected ask's session",
             lambda: self._on(self.youth, lambda r: d.YouthSessionDialog(ctx, self, r.session_id)), True),
            ("&You said…", "Record what the young people raised at a session",
             lambda: self.open(d.AskDialog(ctx, self, getattr(self.youth.current(), "session_id", None))),
             False),
            ("&Edit…", "Correct what was raised, or the session it was raised at",
             lambda: self._on(self.youth, lambda r: d.AskDialog(ctx, self, ask_id=r.id)), True),
            ("&Reply…", "Record the board's reply (we did) and where the ask stands",
             lambda: self._on(self.youth, lambda r: d.AskReplyDialog(ctx, r.id, self)), True),
            ("&Link actions…", "Tick the actions that answer the ask",
             lambda: self._on(self.youth, lambda r: d.LinkActionsDialog(ctx, "ask", r.id, self)),
             True)])
        (self.assessment_button, self.assessment_edit_button, self.finding_button, self.finding_edit_button,
         self.finding_link_button) = self.needs.add_buttons(ok, [
            ("&New assessment…", "Record a strategic needs assessment",
             lambda: self.open(d.AssessmentDialog(ctx, self)), False),
            ("Edit &assessment…", "Correct the selected finding's assessment: title, date, summary",
             lambda: self._on(self.needs, lambda r: d.AssessmentDialog(ctx, self, r.assessment_id)), True),
            ("New &finding…", "Add a finding of an assessment",
             lambda: self.open(d.FindingDialog(ctx, self,
                                               getattr(self.needs.current(), "assessment_id", None))),
             False),
            ("&Edit…", "Correct the selected finding's number or words",
             lambda: self._on(self.needs, lambda r: d.FindingDialog(ctx, self, finding_id=r.id)), True),
            ("&Link actions…", "Tick the actions that answer the finding",
             lambda: self._on(self.needs, lambda r: d.LinkActionsDialog(ctx, "finding", r.id, self)),
             True)])

    def _on(self, tab: _Tab[Any], make: Any) -> None:
        row = tab.current()
        if row is not None:
            self.open(make(row))

    def open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda result: self._closed(dialog, result))
        dialog.open()

    def _closed(self, dialog: QDialog, result: int) -> None:
        if self.dialog is dialog:
            self.dialog = None
        if result == QDialog.DialogCode.Accepted:
            self.refresh()
        dialog.deleteLater()

    def refresh(self) -> None:
        with self.ctx.read() as s:
            self._conversations(s)
            self._themes(s)
            self._youth(s)
            self._needs(s)

    def _conversations(self, s: Any) -> None:
        themes = cm.list_themes(s, self.ctx.actor)
        rows = [ConvLine(x.id, x.held_on, x.place, x.lead_organisation, x.facilitators,
                         x.participants, x.groups, x.notes,
                         "; ".join(t.title for t in themes if x in t.sessions))
                for x in cm.list_sessions(s, self.ctx.actor)]
        e = cm.engagement(s)
        members = cm.list_members(s, self.ctx.actor)
        workshops = "; ".join(f"{uk_date(w.held_on)} {w.audience.label.lower()}: {w.participants} "
                              f"people, {w.hours:g} hours" for w in cm.list_workshops(s, self.ctx.actor))
        trained = ", ".join(f"{m.name} ({uk_date(m.trained_on)})" for m in members)
        self.conversations.set_rows(rows, (
            f"<b>{e.sessions} conversations, {e.people} people taking part. {e.trained} of "
            f"{e.target} community members trained</b> in the conversation method"
            + (f": {escape(trained)}." if trained else ".")
            + f"<br>Community Champions workshops (up to 30 people, about four hours): "
            f"{escape(workshops) or 'none yet'}."))
        self.conversations.summary.setToolTip("\n".join(
            f"{m.name}: trained {uk_date(m.trained_on)} by {m.trained_by}" for m in members))

    def _themes(self, s: Any) -> None:
        rows = [ThemeLine(t.id, t.title, len(t.sessions),
                          "; ".join(f"{uk_date(x.held_on)} {x.place}" for x in t.sessions),
                          tuple(t.quote_list), t.response, t.state.label, _refs(t.actions))
                for t in cm.list_themes(s, self.ctx.actor)]
        done = sum(r.state == "Done" for r in rows)
        self.themes.set_rows(rows, f"You said, we did: the themes collated from the conversations, "
                                   f"the one raised at most sessions first. {done} of {len(rows)} done.")

    def _youth(self, s: Any) -> None:
        sessions = yp.list_sessions(s, self.ctx.actor)
        rows = [AskLine(q.id, x.held_on, x.place, x.participants, x.notes, q.raised, q.reply,
                        q.state.label, _refs(q.actions), x.id) for x in sessions for q in x.asks]
        people = sum(x.participants for x in sessions)
        self.youth.set_rows(rows, f"You said, we did: what the young people raised at "
                                  f"{len(sessions)} youth panel sessions ({people} attendances) and "
                                  "the board's reply.")

    def _needs(self, s: Any) -> None:
        rows: list[FindingLine] = []
        heads = []
        for a in nd.list_assessments(s, self.ctx.actor):
            heads.append(f"<b>{escape(a.title)}</b> ({uk_date(a.published_on)}): {escape(a.summary)}")
            rows += [FindingLine(f.id, a.title, a.published_on, a.summary, f.number, f.text,
                                 _refs(f.actions), a.id) for f in nd.findings(a)]
        self.needs.set_rows(rows, "<br>".join(heads) or "No strategic needs assessment recorded.")
