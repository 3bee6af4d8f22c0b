"""The detail panel: one action's fields, its progress and sign-off history, and the
buttons that change it. Every change goes through ``services.actions`` via ``ctx.run``;
a button the acting user may not use stays visible but disabled, saying who may and why.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ...errors import NotFound
from ...model import ActionStatus
from ...services import action_rows as rows
from ...services import actions as svc
from ...services.context import Actor, Perm, who_may
from ..context import AppContext
from ..tablemodel import Column, RowTableModel
from ..widgets.rag import rag_badge_style
from ..widgets.tables import fit_columns, read_only_table
from .action_dialog import ActionDialog
from .dialogs import ProgressDialog, ReasonDialog, _html

CHAIR_ONLY = "Only the chair (or the vice-chair recorded as acting chair) may {what}; {why}."


def button_states(d: rows.ActionDetail, ctx: AppContext,
                  chair_refusal: str | None) -> dict[str, tuple[bool, str]]:
    """For each button: (enabled, tooltip). Mirrors the services' rules so people see why
    before they try; the services still decide."""
    actor = ctx.actor
    st = d.status
    edit_any = ctx.can(Perm.EDIT_ACTIONS)
    mine = d.owner_id is not None and d.owner_id == actor.person_id and ctx.can(Perm.UPDATE_OWN_ACTIONS)
    may_update = edit_any or mine
    nobody = (f"Only the secretariat, the chair or the action's owner ({d.owner or 'none'}) may "
              f"update it; you are signed in as {actor.describe()}.")
    locked = f"{d.reference} is signed off and read-only; only the chair can reopen it."
    out: dict[str, tuple[bool, str]] = {}

    def rule(name: str, ok: bool, tip_ok: str, tip_no: str) -> None:
        out[name] = (ok, tip_ok if ok else tip_no)

    if st is ActionStatus.SIGNED_OFF:
        for name in ("edit", "update", "complete", "drop"):
            out[name] = (False, locked)
    else:
        rule("edit", may_update, "Edit this action (F2)", nobody)
        if st is ActionStatus.DROPPED:
            out["update"] = (False, f"{d.reference} was dropped; reinstate it (Edit, status) first.")
        else:
            rule("update", may_update, "Add a dated progress update (Ctrl+U)", nobody)
        if not st.is_open:
            out["complete"] = (False, f"{d.reference} is {st.label.lower()}; only open actions can be "
                                      "marked complete.")
        else:
            rule("complete", may_update, "The work is done: it then awaits the chair's sign-off", nobody)
        if st is ActionStatus.DROPPED:
            out["drop"] = (False, f"{d.reference} is already dropped.")
        else:
            rule("drop", edit_any, "Drop this action, giving the reason",
                 f"Only the secretariat or the chair may drop actions; you are signed in as "
                 f"{actor.describe()}.")
    if chair_refusal is not None:
        out["sign_off"] = (False, CHAIR_ONLY.format(what="sign off actions", why=chair_refusal))
        out["reopen"] = (False, CHAIR_ONLY.format(what="reopen signed-off actions", why=chair_refusal))
    else:
        rule("sign_off", st is ActionStatus.AWAITING_SIGN_OFF, "Sign off: the board agrees it is complete",
             f"{d.reference} is {st.label.lower()}; only actions complete and awaiting sign-off "
             "can be signed off.")
        rule("reopen", st is ActionStatus.SIGNED_OFF, "Reopen this signed-off action, giving the reason",
             f"{d.reference} is not signed off, so there is nothing to reopen.")
    return out


UPDATE_COLUMNS: list[Column[rows.UpdateLine]] = [
    Column("Date", lambda u: rows.uk(u.on_date), key=lambda u: u.on_date, width=86),
    Column("Author", lambda u: u.author, width=110),
    Column("Update", lambda u: u.text, tooltip=lambda u: u.text),
    Column("%", lambda u: "" if u.percent is None else f"{u.percent}%", key=lambda u: u.percent,
           width=46),
    Column("RAG", lambda u: u.rag or "", width=60),
    Column("Source", lambda u: u.source, tooltip=lambda u: u.source, width=110),
]
SIGN_OFF_COLUMNS: list[Column[rows.SignOffLine]] = [
    Column("Date", lambda s: s.at.astimezone().strftime("%d/%m/%Y %H:%M"), key=lambda s: s.at, width=120),
    Column("What", lambda s: s.kind, width=90),
    Column("By", lambda s: s.by, width=150),
    Column("Note or reason", lambda s: s.note, tooltip=lambda s: s.note),
]


def _table(model: RowTableModel[Any], name: str, text_col: int) -> QTableView:
    """A history table whose text column (the update, the note) keeps the room and wraps."""
    view = read_only_table(model, name, single=False)
    fit_columns(view, stretch=text_col, cap=120)
    return view


class ActionDetailPanel(QWidget):
    #: the user followed the "Raised at" link: show that meeting
    open_meeting = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: rows.ActionDetail | None = None
        # where else the action came from: review recommendations, community themes, youth
        # panel asks, needs-assessment findings (services/sources.py; the decision is "Raised at")
        self.carries_out = ""
        self.tag_text = ""  # the groups it addresses (services/lenses.py)
        self.setAccessibleName("Action detail")
        self.heading = QLabel("Select an action to see its detail.")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.heading.setAccessibleName("Action")
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for name in ("Workstream", "Plans", "Owner", "Lead organisation", "Domain", "Status", "RAG",
                     "Progress", "Start", "Due", "Revised due", "Completed", "Dropped because",
                     "Raised at", "Came from", "Tags", "Description"):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(name)
            if name == "RAG":
                label.setWordWrap(False)
                label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self.fields[name] = label
            form.addRow(f"{name}:", label)
        raised = self.fields["Raised at"]
        raised.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        raised.linkActivated.connect(lambda href: self.open_meeting.emit(int(href.split(":")[1])))
        self._form = form
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        specs = [("edit", "&Edit…", self.edit), ("update", "Add &update…", self.add_update),
                 ("complete", "Mark &complete…", self.mark_complete),
                 ("sign_off", "&Sign off…", self.sign_off), ("reopen", "Re&open…", self.reopen),
                 ("drop", "&Drop…", self.drop), ("tags", "&Tags…", self.edit_tags)]
        for n, (key, text, slot) in enumerate(specs):
            b = QPushButton(text)
            b.setAccessibleName(text.replace("&", "").rstrip("…"))
            b.clicked.connect(lambda _=False, s=slot: s())
            self.buttons[key] = b
            grid.addWidget(b, n // 3, n % 3)
        self.updates = RowTableModel(UPDATE_COLUMNS, self)
        self.sign_offs = RowTableModel(SIGN_OFF_COLUMNS, self)
        self.tabs = QTabWidget()
        self.tabs.addTab(_table(self.updates, "Progress history", 2), "Progress history")
        self.tabs.addTab(_table(self.sign_offs, "Sign-off history", 3), "Sign-off history")
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.addWidget(self.heading)
        top_layout.addLayout(form)
        top_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(top)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(scroll, 1)
        left.addLayout(grid)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(left, 5)
        layout.addWidget(self.tabs, 6)
        self.show_action(None)

    # --- showing ----------------------------------------------------------------------------
    def show_action(self, action_id: int | None) -> None:
        from ...model import Action
        from ...services.sources import DECISION, action_sources

        self.detail, self.carries_out, self.tag_text = None, "", ""
        if action_id is not None:
            try:
                with self.ctx.read() as s:
                    self.detail = rows.action_detail(s, action_id, self.ctx.actor)
                    action = s.get(Action, action_id)
                    if action is not None:
                        self.tag_text = "; ".join(t.label for t in action.tags)
                        self.carries_out = "\n".join(
                            f"{x.kind_label}: {x.where}" + (f": {x.text}" if x.text else "")
                            for x in action_sources(s, self.ctx.actor, action) if x.kind != DECISION)
            except NotFound:
                self.detail = None
        self._fill()

    def reload(self) -> None:
        self.show_action(self.detail.id if self.detail else None)

    def _fill(self) -> None:
        d = self.detail
        for label in self.fields.values():
            label.clear()
        self.updates.set_rows(d.updates if d else [])
        self.sign_offs.set_rows(d.sign_offs if d else [])
        self.tabs.setTabText(0, f"Progress history ({len(d.updates)})" if d else "Progress history")
        self.tabs.setTabText(1, f"Sign-off history ({len(d.sign_offs)})" if d else "Sign-off history")
        if d is None:
            self.heading.setText("Select an action to see its detail.")
            for b in self.buttons.values():
                b.setEnabled(False)
                b.setToolTip("Select an action first.")
            self._show_rows(set())
            return
        self.heading.setText(f"{d.reference}  {d.title}")
        f = self.fields
        f["Workstream"].setText(d.workstream)
        f["Plans"].setText("; ".join(f"{code} ({name})" for code, name in d.plans) or "None")
        f["Owner"].setText(d.owner or "No owner yet")
        f["Lead organisation"].setText(d.lead_organisation)
        f["Domain"].setText(d.domain)
        f["Status"].setText(d.status.label)
        f["RAG"].setText(f"{d.rag.letter} · {d.rag.label}")
        f["RAG"].setStyleSheet(rag_badge_style(d.rag.value))
        f["Progress"].setText(f"{d.percent}% complete")
        f["Start"].setText(rows.uk(d.start_date))
        due = rows.uk(d.due_date)
        today = self.ctx.today
        if d.effective_due and d.effective_due < today and d.status.is_open:
            days = (today - d.effective_due).days
            late = f"overdue by {days} day{'s' if days != 1 else ''}"
            if d.revised_due_date:
                f["Revised due"].setText(f"{rows.uk(d.revised_due_date)} ({late})")
            else:
                due += f" ({late})"
        elif d.revised_due_date:
            f["Revised due"].setText(rows.uk(d.revised_due_date))
        f["Due"].setText(due or "No due date")
        f["Completed"].setText(rows.uk(d.completed_on))
        f["Dropped because"].setText(d.dropped_reason)
        if d.raised and d.raised_meeting_id is not None:
            f["Raised at"].setText(f'<a href="meeting:{d.raised_meeting_id}">{_html(d.raised)}</a>')
            f["Raised at"].setToolTip("Open the meeting")
        else:
            f["Raised at"].setText(_html(d.raised))
        f["Came from"].setText(self.carries_out)
        f["Tags"].setText(self.tag_text)
        f["Description"].setText(d.description)
        self._show_rows({k for k, v in f.items() if v.text()} | {"RAG", "Due"})
        states = button_states(d, self.ctx, self.ctx.chair_refusal())
        states["tags"] = ((True, "Tick the groups this action addresses") if self.ctx.can(Perm.EDIT_ACTIONS)
                          else (False, f"Only the {who_may(Perm.EDIT_ACTIONS)} may tag actions."))
        for key, (enabled, tip) in states.items():
            self.buttons[key].setEnabled(enabled)
            self.buttons[key].setToolTip(tip)

    def _show_rows(self, keep: set[str]) -> None:
        for name, label in self.fields.items():
            self._form.setRowVisible(label, name in keep)

    # --- changing ---------------------------------------------------------------------------
    def _run(self, what: str, fn: Any) -> bool:
        assert self.detail is not None
        ok = self.ctx.run(self, what, fn, "action") is not None
        return ok

    def edit(self) -> bool:
        if self.detail is None:
            return False
        dlg = ActionDialog(self.ctx, self, action_id=self.detail.id)
        return dlg.exec() == QDialog.DialogCode.Accepted

    def edit_tags(self) -> bool:
        from ..dialogs.tags import TagsDialog

        if self.detail is None:
            return False
        dlg = TagsDialog(self.ctx, "action", self.detail.id, self)
        return dlg.exec() == QDialog.DialogCode.Accepted

    def add_update(self, text: str | None = None, percent: int | None = None, rag: str | None = None,
                   on_date: Any = None) -> bool:
        d = self.detail
        if d is None:
            return False
        if text is None:
            dlg = ProgressDialog(d, self)
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return False
            text, percent, rag, on_date = dlg.values()

        def go(s: Session, a: Actor) -> Any:
            return svc.add_progress(s, a, d.id, text, percent=percent, rag=rag, on_date=on_date,
                                    expected_version=d.version)
        return self._run(f"add an update to {d.reference}", go)

    def mark_complete(self, note: str | None = None) -> bool:
        d = self.detail
        if d is None:
            return False
        if note is None:
            dlg = ReasonDialog(f"Mark {d.reference} complete",
                               "The action will then await the chair's sign-off. Add a closing note "
                               "for the progress history (optional):", self, ok_text="Mark complete")
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return False
            note = dlg.value()
        return self._run(f"mark {d.reference} complete",
                         lambda s, a: svc.mark_complete(s, a, d.id, d.version, note or ""))

    def sign_off(self, note: str | None = None) -> bool:
        d = self.detail
        if d is None:
            return False
        if note is None:
            dlg = ReasonDialog(f"Sign off {d.reference}",
                               f"Sign off “{d.title}” as complete on behalf of the board. "
                               "A note for the record (optional):", self, ok_text="Sign off")
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return False
            note = dlg.value()
        return self._run(f"sign off {d.reference}",
                         lambda s, a: svc.sign_off(s, a, d.id, d.version, note or ""))

    def reopen(self, reason: str | None = None) -> bool:
        d = self.detail
        if d is None:
            return False
        if reason is None:
            dlg = ReasonDialog(f"Reopen {d.reference}",
                               f"Why is “{d.title}” ({d.reference}), signed off, reopened?",
                               self, required=True, ok_text="Reopen")
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return False
            reason = dlg.value()
        return self._run(f"reopen {d.reference}",
                         lambda s, a: svc.reopen(s, a, d.id, d.version, reason))

    def drop(self, reason: str | None = None) -> bool:
        d = self.detail
        if d is None:
            return False
        if reason is None:
            dlg = ReasonDialog(f"Drop {d.reference}", f"Why is “{d.title}” ({d.reference}) dropped? "
                               "The reason is kept with the action and in the audit trail.",
                               self, required=True,
                               ok_text="Drop action")
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return False
            reason = dlg.value()
        return self._run(f"drop {d.reference}", lambda s, a: svc.drop(s, a, d.id, d.version, reason))
