"""The filter bar above the actions table: search box, choices and toggles.

Emits ``filter_changed(Filter)``; typing in the search box waits 150 ms for a pause.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...model import RAG, ActionStatus
from ...services.action_rows import Choices
from .table_model import Filter

ANY = "__any__"


def _combo(name: str, everything: str, items: list[tuple[str, Any]], width: int) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    box.setToolTip(f"Show only actions with this {name.lower()}")
    box.addItem(everything, ANY)
    for text, data in items:
        box.addItem(text, data)
    box.setMinimumWidth(width)
    return box


class FilterBar(QWidget):
    filter_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search reference, title, owner or description (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search actions")
        self.search.setMinimumWidth(280)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.emit_filter)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.emit_filter)
        self.workstream = _combo("Workstream", "All workstreams", [], 130)
        self.plan = _combo("Plan", "All plans", [], 100)
        self.owner = _combo("Owner", "All owners", [], 140)
        self.status = _combo("Status", "Any status", [(s.label, s.value) for s in ActionStatus], 150)
        self.rag = _combo("RAG", "Any RAG", [(f"{r.label} ({r.letter})", r.value) for r in RAG], 100)
        self.domain = _combo("Domain", "All domains", [], 130)
        self.tag = _combo("Group addressed", "All groups", [], 120)
        self.overdue = QCheckBox("O&verdue")
        self.overdue.setToolTip("Open actions past their (revised) due date")
        self.due_soon = QCheckBox("Due in &14 days")
        self.due_soon.setToolTip("Open actions due today or in the next 14 days")
        self.awaiting = QCheckBox("A&waiting sign-off")
        self.awaiting.setToolTip("Complete actions waiting for the chair's sign-off")
        self.clear_button = QPushButton("C&lear filters")
        self.clear_button.setToolTip("Show every action again")
        self.clear_button.clicked.connect(self.clear)
        self.count = QLabel()
        self.count.setAccessibleName("Number of actions shown")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for w in (self.workstream, self.plan, self.owner, self.status, self.rag, self.domain, self.tag):
            w.currentIndexChanged.connect(self.emit_filter)
        for c in (self.overdue, self.due_soon, self.awaiting):
            c.toggled.connect(self.emit_filter)
        row1 = QHBoxLayout()
        row1.setContentsMargins(0, 0, 0, 0)
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search)
        row1.addWidget(search_label)
        row1.addWidget(self.search, 1)
        # The tick boxes sit beside the search: in one row with the five lists they were
        # clipped at 1024 px.
        for w in (self.overdue, self.due_soon, self.awaiting):
            row1.addWidget(w)
        row1.addWidget(self.count)
        row2 = QHBoxLayout()
        row2.setContentsMargins(0, 0, 0, 0)
        for w in (self.workstream, self.plan, self.owner, self.status, self.rag):
            row2.addWidget(w, 1)
        row2.addStretch(1)
        row2.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row1)
        layout.addLayout(row2)
        # The lenses (domain of work, group addressed) on a row of their own: beside the five
        # lists they were clipped at 1024 px.
        row3 = QHBoxLayout()
        row3.setContentsMargins(0, 0, 0, 0)
        for label, w in (("Do&main:", self.domain), ("&Group addressed:", self.tag)):
            lab = QLabel(label)
            lab.setBuddy(w)
            row3.addWidget(lab)
            row3.addWidget(w, 2)
        row3.addStretch(1)
        layout.addLayout(row3)

    def set_choices(self, choices: Choices) -> None:
        """Fill the workstream, plan and owner lists, keeping what is selected."""
        self._quiet = True
        try:
            _refill(self.workstream, [(w.code, w.id, f"{w.code} {w.name}") for w in choices.workstreams])
            _refill(self.plan, [(p.code, p.code, p.name) for p in choices.plans])
            _refill(self.owner, [(p.name, p.id, "") for p in choices.people])
            _refill(self.domain, [(d.name, d.id, d.name) for d in choices.domains])
            _refill(self.tag, [(f"{t.code}: {t.name}", t.id, "") for t in choices.tags])
        finally:
            self._quiet = False

    def current(self) -> Filter:
        def val(box: QComboBox) -> Any:
            data = box.currentData()
            return None if data == ANY else data
        status, rag = val(self.status), val(self.rag)
        return Filter(
            workstream_id=val(self.workstream), plan_code=val(self.plan), owner_id=val(self.owner),
            status=ActionStatus(status) if status else None, rag=RAG(rag) if rag else None,
            overdue=self.overdue.isChecked(), awaiting_sign_off=self.awaiting.isChecked(),
            due_soon=self.due_soon.isChecked(), search=self.search.text().strip(),
            domain_id=val(self.domain), tag_id=val(self.tag))

    def set_filter(self, f: Filter) -> None:
        """Show ``f`` in the controls and emit it once."""
        self._quiet = True
        try:
            _pick(self.workstream, f.workstream_id)
            _pick(self.plan, f.plan_code)
            _pick(self.owner, f.owner_id)
            _pick(self.status, f.status.value if f.status else None)
            _pick(self.rag, f.rag.value if f.rag else None)
            _pick(self.domain, f.domain_id)
            _pick(self.tag, f.tag_id)
            self.overdue.setChecked(f.overdue)
            self.awaiting.setChecked(f.awaiting_sign_off)
            self.due_soon.setChecked(f.due_soon)
            self.search.setText(f.search)
            self._timer.stop()
        finally:
            self._quiet = False
        self.emit_filter()

    def clear(self) -> None:
        self.set_filter(Filter())

    def emit_filter(self) -> None:
        if not self._quiet:
            self._timer.stop()
            self.filter_changed.emit(self.current())

    def show_count(self, shown: int, total: int) -> None:
        self.count.setText(f"{shown:,} of {total:,} actions" if shown != total else f"{total:,} actions")


def _refill(box: QComboBox, items: list[tuple[str, Any, str]]) -> None:
    keep = box.currentData()
    while box.count() > 1:
        box.removeItem(1)
    for text, data, tip in items:
        box.addItem(text, data)
        if tip:
            box.setItemData(box.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
    _pick(box, None if keep == ANY else keep)


def _pick(box: QComboBox, data: Any) -> None:
    i = box.findData(ANY if data is None else data)
    box.setCurrentIndex(max(i, 0))
