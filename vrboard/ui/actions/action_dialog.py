"""Create or edit one action.

``ActionDialog(ctx, parent, preset={...})`` creates (``preset`` pre-fills fields named as
``services.actions.create_action`` names them, e.g. from a meeting decision);
``ActionDialog(ctx, parent, action_id=7)`` edits, saving with the version it loaded so a
conflicting edit is refused and offers to reload. ``exec()`` returns Accepted after a
successful save and ``saved_action_id`` holds the id.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ...changes import Change
from ...model import RAG, ActionStatus
from ...services import action_rows as rows
from ...services import actions as svc
from ...services.context import Actor, Perm
from ..audit_model import field_label
from ..context import AppContext, form_values
from ..widgets.buttons import save_cancel
from ..widgets.date_edit import OptionalDateEdit

OWNER_NOTE = ("Owners may change status, RAG and percent complete of their own actions; "
              "the secretariat or the chair may change the rest.")
_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.AWAITING_SIGN_OFF)
_PRESETTABLE = svc.EDITABLE_FIELDS | {"reference"}


class ActionDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 preset: dict[str, Any] | None = None, action_id: int | None = None) -> None:
        super().__init__(parent)
        unknown = set(preset or {}) - _PRESETTABLE
        if unknown:
            raise ValueError(f"ActionDialog preset has unknown field(s): {', '.join(sorted(unknown))}")
        self.ctx = ctx
        self.action_id = action_id
        self.saved_action_id: int | None = None
        self._form: rows.ActionForm | None = None
        self._raised = {k: (preset or {}).get(k) for k in
                        ("raised_meeting_id", "raised_item_id", "decision_id")}
        with ctx.read() as s:
            self._choices = rows.choices(s)
            if action_id is not None:
                self._form = rows.action_form(s, action_id, ctx.actor)
                raised_text = self._form.raised
            else:
                raised_text = rows.raised_label(s, *self._raised.values(), ctx.actor)
        self._build(raised_text)
        if self._form is not None:
            self._show_form(self._form)
            self.setWindowTitle(f"Edit action {self._form.reference}")
            self._remote = ctx.remote_changes.connect(self._on_remote)
            self.finished.connect(lambda _r: QObject.disconnect(self._remote))
        else:
            self.setWindowTitle("New action")
            # A new action starts as the model does: Green until someone assesses it.
            _select(self.rag, RAG.GREEN)
            self._apply_preset(preset or {})
        self._apply_permissions()

    # --- building ----------------------------------------------------------------------------
    def _build(self, raised_text: str) -> None:
        self.setMinimumWidth(560)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("Leave empty to number it automatically, e.g. KC-012")
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(300)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(90)
        self.workstream = _combo([(c.label, c.id) for c in self._choices.workstreams])
        self.domain = _combo([("(none)", None)] + [(c.name, c.id) for c in self._choices.domains])
        self.owner = _combo([("(no owner yet)", None)] + [(c.name, c.id) for c in self._choices.people])
        self.lead_org = QLineEdit()
        self.start = OptionalDateEdit()
        self.due = OptionalDateEdit()
        self.revised_due = OptionalDateEdit()
        self.status = _combo([(s.label, s) for s in _STATUSES])
        self.rag = _combo([(f"{r.label} ({r.letter})", r) for r in RAG])
        self.percent = QSpinBox()
        self.percent.setRange(0, 100)
        self.percent.setSuffix(" %")
        plans_row = QHBoxLayout()
        self.plan_boxes: dict[str, QCheckBox] = {}
        for p in self._choices.plans:
            box = QCheckBox(p.code)
            box.setToolTip(p.name)
            box.setAccessibleName(f"Plan {p.code}: {p.name}")
            self.plan_boxes[p.code] = box
            plans_row.addWidget(box)
        plans_row.addStretch(1)
        plans = QWidget()
        plans.setLayout(plans_row)
        plans_row.setContentsMargins(0, 0, 0, 0)
        fields: list[tuple[str, QWidget]] = [
            ("&Reference", self.reference), ("&Title", self.title_edit),
            ("&Description", self.description), ("&Workstream", self.workstream),
            ("&Plans", plans), ("Do&main", self.domain), ("&Owner", self.owner),
            ("&Lead organisation", self.lead_org), ("&Start date", self.start),
            ("D&ue date", self.due), ("Re&vised due date", self.revised_due),
            ("Stat&us", self.status), ("R&AG", self.rag), ("P&ercent complete", self.percent),
        ]
        for label, widget in fields:
            form.addRow(label, widget)
            widget.setAccessibleName(label.replace("&", ""))
        self.raised = QLabel(raised_text)
        self.raised.setWordWrap(True)
        if raised_text:
            form.addRow("Raised at", self.raised)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        self.note.setAccessibleName("Note")
        self.buttons = save_cancel(self, self.save)
        self.changed_elsewhere = ""
        self.reload_button = self.buttons.addButton("&Reload", QDialogButtonBox.ButtonRole.ResetRole)
        self.reload_button.setVisible(False)
        self.reload_button.clicked.connect(self._reload_theirs)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(self.note)
        outer.addWidget(self.buttons)
        self.title_edit.setFocus()

    def _show_form(self, f: rows.ActionForm) -> None:
        v = f.values
        self.reference.setText(f.reference)
        self.reference.setReadOnly(True)
        self.reference.setToolTip("The reference is fixed once the action exists.")
        self.title_edit.setText(v["title"])
        self.title_edit.setCursorPosition(0)
        self.description.setPlainText(v["description"] or "")
        _select(self.workstream, v["workstream_id"])
        _select(self.domain, v["domain_id"])
        _select(self.owner, v["owner_id"], missing_label="(inactive person)")
        self.lead_org.setText(v["lead_organisation"] or "")
        self.start.set_date_value(v["start_date"])
        self.due.set_date_value(v["due_date"])
        self.revised_due.set_date_value(v["revised_due_date"])
        status = v["status"]
        if self.status.findData(status) < 0:
            self.status.addItem(status.label, status)
        _select(self.status, status)
        _select(self.rag, v["rag"])
        self.percent.setValue(v["percent_complete"])
        for code, box in self.plan_boxes.items():
            box.setChecked(code in f.plan_codes)

    def _apply_preset(self, preset: dict[str, Any]) -> None:
        setters = {
            "reference": lambda x: self.reference.setText(str(x)),
            "title": lambda x: self.title_edit.setText(str(x)),
            "description": lambda x: self.description.setPlainText(str(x)),
            "workstream_id": lambda x: _select(self.workstream, x),
            "domain_id": lambda x: _select(self.domain, x),
            "owner_id": lambda x: _select(self.owner, x),
            "lead_organisation": lambda x: self.lead_org.setText(str(x)),
            "start_date": self.start.set_date_value,
            "due_date": self.due.set_date_value,
            "revised_due_date": self.revised_due.set_date_value,
            "status": lambda x: _select(self.status, ActionStatus(x)),
            "rag": lambda x: _select(self.rag, RAG(x)),
            "percent_complete": lambda x: self.percent.setValue(int(x)),
            "plan_codes": lambda x: [b.setChecked(c in {str(p).upper() for p in x})
                                     for c, b in self.plan_boxes.items()],
        }
        for key, value in preset.items():
            if key in setters and value is not None:
                setters[key](value)

    def _apply_permissions(self) -> None:
        """Controls the acting user may not change stay visible but disabled, saying why."""
        f = self._form
        if f is not None and f.values["status"] is ActionStatus.SIGNED_OFF:
            self._lock_all(f"{f.reference} is signed off and read-only; only the chair can reopen "
                           "it, giving a reason.")
            return
        if self.ctx.can(Perm.EDIT_ACTIONS):
            return
        mine = f is not None and f.owner_id == self.ctx.actor.person_id
        if f is None or not mine or not self.ctx.can(Perm.UPDATE_OWN_ACTIONS):
            who = "the secretariat or the chair"
            self._lock_all(f"Only {who} may {'create actions' if f is None else 'edit this action'}"
                           f"; you are signed in as {self.ctx.actor.describe()}.")
            return
        for w in self._field_widgets():
            if w not in (self.status, self.rag, self.percent):
                w.setEnabled(False)
                w.setToolTip(OWNER_NOTE)
        self._show_note(OWNER_NOTE)

    def _field_widgets(self) -> list[QWidget]:
        return [self.reference, self.title_edit, self.description, self.workstream, self.domain,
                self.owner, self.lead_org, self.start, self.due, self.revised_due, self.status,
                self.rag, self.percent, *self.plan_boxes.values()]

    def _lock_all(self, why: str) -> None:
        for w in self._field_widgets():
            w.setEnabled(False)
            w.setToolTip(why)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(False)
        save.setToolTip(why)
        self._show_note(why)

    def _on_remote(self, changes: list[Change]) -> None:
        """Someone else saved this action while the dialog is open: say who, when and what,
        before Save (which would be refused as a conflict), and offer their version."""
        form = self._form
        if form is None:
            return
        mine = [c for c in changes if c.entity == "action" and c.entity_id == form.id]
        if not mine:
            return
        last = mine[-1]
        fields = ", ".join(dict.fromkeys(field_label(c.field) for c in mine))
        when = last.at.astimezone().strftime("%H:%M")
        self.changed_elsewhere = f"Changed by {last.actor_name} at {when}: {fields}."
        self._show_note(f"{self.changed_elsewhere} Reload to see their version (what you typed "
                        "here is not saved), or Cancel.")
        self.reload_button.setVisible(True)

    def _show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(True)

    # --- saving ------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """The form's values as create_action/update_action field names."""
        return {
            "title": self.title_edit.text().strip(),
            "description": self.description.toPlainText().strip(),
            "workstream_id": self.workstream.currentData(),
            "domain_id": self.domain.currentData(),
            "owner_id": self.owner.currentData(),
            "lead_organisation": self.lead_org.text().strip(),
            "start_date": self.start.date_value(),
            "due_date": self.due.date_value(),
            "revised_due_date": self.revised_due.date_value(),
            "status": self.status.currentData(),
            "rag": self.rag.currentData(),
            "percent_complete": self.percent.value(),
            "plan_codes": [c for c, b in self.plan_boxes.items() if b.isChecked()],
        }

    def changes(self) -> dict[str, Any]:
        """Only the fields that differ from what was loaded (an owner sends only theirs)."""
        assert self._form is not None
        new = self.values()
        out = {k: v for k, v in new.items() if k != "plan_codes" and self._form.values.get(k) != v}
        if sorted(new["plan_codes"]) != sorted(self._form.plan_codes):
            out["plan_codes"] = new["plan_codes"]
        return out

    def save(self) -> None:
        if self._form is None:
            fields = form_values(self, "create the action", self.values)
            if fields is None:
                return
            ref = self.reference.text().strip()
            if ref:
                fields["reference"] = ref
            fields.update({k: v for k, v in self._raised.items() if v is not None})

            def create(s: Session, a: Actor) -> int:
                return svc.create_action(s, a, **fields).id
            new_id = self.ctx.run(self, "create the action", create, "action")
            if new_id is not None:
                self.saved_action_id = new_id
                self.accept()
            return
        form = self._form
        changes = form_values(self, f"save {form.reference}", self.changes)
        if changes is None:
            return
        if not changes:
            self.saved_action_id = form.id
            self.accept()
            return

        def update(s: Session, a: Actor) -> int:
            return svc.update_action(s, a, form.id, form.version, changes).id
        reloaded: list[bool] = []
        conn = self.ctx.reload_requested.connect(lambda: reloaded.append(True))
        try:
            saved = self.ctx.run(self, f"save {form.reference}", update, "action")
        finally:
            self.ctx.reload_requested.disconnect(conn)
        if saved is not None:
            self.saved_action_id = saved
            self.accept()
        elif reloaded:
            self.reload()

    def _reload_theirs(self) -> None:
        self.reload()
        self.changed_elsewhere = ""
        self.reload_button.setVisible(False)

    def reload(self) -> None:
        """Show the saved version after a conflict; the user's unsaved edits are dropped."""
        assert self._form is not None
        with self.ctx.read() as s:
            self._form = rows.action_form(s, self._form.id, self.ctx.actor)
        self._show_form(self._form)
        self._apply_permissions()
        self._show_note("Reloaded the version saved by someone else (version "
                        f"{self._form.version}). Your changes were not saved: make them again "
                        "if they are still needed.")


def _combo(items: list[tuple[str, Any]]) -> QComboBox:
    box = QComboBox()
    for text, data in items:
        box.addItem(text, data)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(20)
    return box


def _select(box: QComboBox, data: Any, missing_label: str = "") -> None:
    i = box.findData(data, Qt.ItemDataRole.UserRole)
    if i < 0 and data is not None and missing_label:
        box.addItem(missing_label, data)
        i = box.count() - 1
    if i >= 0:
        box.setCurrentIndex(i)
