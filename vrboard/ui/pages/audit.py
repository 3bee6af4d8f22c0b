"""Audit: every change to the board's record — who, when, how, which record, old and new.

Filters (person, kind of record, record, text, channel, dates) go straight into the SQL
query; the table fetches rows in batches as it scrolls, so a trail of any length opens at
once. "Verify the record" runs ``vrboard verify`` with progress and shows what it found.
"""
from __future__ import annotations

from PySide6.QtCore import QDate, QItemSelection, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...model import Channel
from ...services import audit_log
from ...services.audit_log import AuditFilter
from ...services.context import acting_for
from ..audit_model import AuditModel, field_label, value_text, when_text
from ..context import AppContext
from ..page import Page

UK_DATE = "dd/MM/yyyy"


class AuditPage(Page):
    title = "Audit"
    icon = "audit.svg"
    shortcut = "Ctrl+8"
    topics: frozenset[str] = frozenset()  # every change writes to the trail
    #: a check of the record finished (a ``VerifyResult``)
    verified = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = AuditModel(ctx, self)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_filter)
        self._loading = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 10, 16, 10)
        head = QHBoxLayout()
        heading = QLabel("Audit trail")
        heading.setProperty("role", "page-title")
        self.count_label = QLabel()
        self.count_label.setProperty("role", "muted")
        self.count_label.setAccessibleName("Number of changes shown")
        head.addWidget(heading)
        head.addStretch(1)
        head.addWidget(self.count_label)
        self.verify_button = QPushButton("&Verify the record", objectName="audit_verify")
        self.verify_button.setToolTip("Check that no audit entry was changed or removed, and that the "
                                      "record matches its audit trail (as 'vrboard verify' does)")
        self.verify_button.clicked.connect(self.run_verify)
        self.verify_task: object = None
        head.addWidget(self.verify_button)
        outer.addLayout(head)
        self.verify_label = QLabel(objectName="audit_verify_result")
        self.verify_label.setWordWrap(True)
        self.verify_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verify_label.setAccessibleName("Result of the last check")
        self.verify_label.hide()
        outer.addWidget(self.verify_label)
        outer.addLayout(self._filters())

        self.split = QSplitter(Qt.Orientation.Vertical, objectName="audit_split")
        self.split.setChildrenCollapsible(False)
        self.view = QTableView(objectName="audit_table")
        self.view.setAccessibleName("Changes")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((150, 118, 62, 104, 112, 108, 150, 160, 90)):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        self.split.addWidget(self.view)
        self.detail = _Detail(objectName="audit_detail")
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName("The selected change in full")
        self.detail.setPlaceholderText("Select a change to see it in full.")
        self.split.addWidget(self.detail)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 0)
        outer.addWidget(self.split, 1)
        self.view.selectionModel().selectionChanged.connect(self._show_selected)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)

    # --- filters -----------------------------------------------------------------------------
    def _filters(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        self.person = QComboBox(objectName="audit_person")
        self.person.setAccessibleName("Changed by")
        self.person.setMinimumContentsLength(16)
        self.entity = QComboBox(objectName="audit_entity")
        self.entity.setAccessibleName("Kind of record")
        self.entity.setMinimumContentsLength(14)
        self.record = QLineEdit(objectName="audit_record")
        self.record.setAccessibleName("Record")
        self.record.setPlaceholderText("Reference or name, e.g. KC-007")
        self.record.setClearButtonEnabled(True)
        self.text = QLineEdit(objectName="audit_text")
        self.text.setAccessibleName("Field or value contains")
        self.text.setPlaceholderText("Field or value contains…")
        self.text.setClearButtonEnabled(True)
        self.channel = QComboBox(objectName="audit_channel")
        self.channel.setAccessibleName("How the change was made")
        self.channel.addItem("Any way", None)
        for ch in Channel:
            self.channel.addItem({"app": "In the app", "import": "Imported from a file",
                                  "command_line": "Command line", "system": "System"}[ch.value], ch)
        today = QDate.currentDate()
        self.use_from = QCheckBox("&From")
        self.date_from = QDateEdit(today.addMonths(-1), objectName="audit_from")
        self.use_to = QCheckBox("&To")
        self.date_to = QDateEdit(today, objectName="audit_to")
        for check, edit, name in ((self.use_from, self.date_from, "From date"),
                                  (self.use_to, self.date_to, "To date")):
            edit.setDisplayFormat(UK_DATE)
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
            edit.setAccessibleName(name)
            check.setAccessibleName(f"Filter by {name.lower()}")
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._schedule)
            edit.dateChanged.connect(self._schedule)
        self.clear = QPushButton("Clear filters")
        self.clear.setAccessibleName("Clear all audit filters")
        self.clear.clicked.connect(self.clear_filters)

        for label, w, row, col in (("Changed &by", self.person, 0, 0), ("&Kind of record", self.entity, 0, 2),
                                   ("&Record", self.record, 0, 4), ("&Contains", self.text, 1, 0),
                                   ("&How", self.channel, 1, 2)):
            lab = QLabel(label)
            lab.setBuddy(w)
            grid.addWidget(lab, row, col)
            grid.addWidget(w, row, col + 1)
        dates = QHBoxLayout()
        dates.addWidget(self.use_from)
        dates.addWidget(self.date_from)
        dates.addSpacing(8)
        dates.addWidget(self.use_to)
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        dates.addWidget(self.clear)
        grid.addLayout(dates, 1, 4, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(5, 2)
        for combo in (self.person, self.entity, self.channel):
            combo.currentIndexChanged.connect(self._schedule)
        for edit in (self.record, self.text):
            edit.textChanged.connect(self._schedule)
        return grid

    def _schedule(self, *_args: object) -> None:
        if not self._loading:
            self._debounce.start()

    def current_filter(self) -> AuditFilter:
        return AuditFilter(
            actor_name=self.person.currentData(),
            entity=self.entity.currentData(),
            entity_id=self._entity_id if self.entity.currentData() else None,
            record=self.record.text(),
            text=self.text.text(),
            channel=self.channel.currentData(),
            date_from=self.date_from.date().toPython() if self.use_from.isChecked() else None,
            date_to=self.date_to.date().toPython() if self.use_to.isChecked() else None,
        )

    _entity_id: int | None = None

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())
        self.detail.clear()

    def clear_filters(self) -> None:
        self._loading = True
        try:
            self._entity_id = None
            for combo in (self.person, self.entity, self.channel):
                combo.setCurrentIndex(0)
            self.record.clear()
            self.text.clear()
            self.use_from.setChecked(False)
            self.use_to.setChecked(False)
        finally:
            self._loading = False
        self.apply_filter()

    # --- data --------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._loading = True
        try:
            with self.ctx.read() as s:
                people = audit_log.actors(s)
                kinds = audit_log.entities(s)
            _refill(self.person, "Anyone", [(n, n) for n in people])
            _refill(self.entity, "Any record", [(audit_log.entity_label(k), k) for k in kinds])
        finally:
            self._loading = False
        self.apply_filter()

    def _update_count(self, *_args: object) -> None:
        total, shown = self.model.total, self.model.loaded()
        noun = "change" if total == 1 else "changes"
        if shown < total:
            self.count_label.setText(f"{total:,} {noun} (newest {shown:,} loaded; scroll for more)"
                                     if self.model.sort_key == "at" and self.model.descending
                                     else f"{total:,} {noun} ({shown:,} loaded; scroll for more)")
        else:
            self.count_label.setText(f"{total:,} {noun}")

    def _show_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            self.detail.clear()
            return
        e = self.model.entry(rows[0].row())
        lines = [f"{when_text(e)} · {acting_for(e.actor_name, e.recorded_by_name)} · {e.channel.label}"
                 + (f" · {e.source}" if e.source else ""),
                 f"{audit_log.entity_label(e.entity)}: "
                 f"{audit_log.record_label(e.entity, e.entity_label, e.entity_id)}",
                 f"{field_label(e.field)}"]
        if e.old_value is not None:
            lines.append(f"Before: {value_text(e.old_value)}")
        if e.new_value is not None:
            lines.append(f"After:  {value_text(e.new_value)}")
        self.detail.setPlainText("\n".join(lines))

    # --- the record's own check ---------------------------------------------------------------
    def run_verify(self) -> object:
        from ..verify_check import start_check

        self.verify_button.setEnabled(False)
        task = start_check(self.ctx, self, self.show_verified, show_dialog=True)
        task.finished.connect(lambda: self.verify_button.setEnabled(True))
        self.verify_task = task
        return task

    def show_verified(self, result: object) -> None:
        from ..verify_check import finding_text

        ok = bool(getattr(result, "ok", False))
        self.verify_label.setText(("✓ " if ok else "✗ The record does not prove itself: ")
                                  + finding_text(result))  # type: ignore[arg-type]
        self.verify_label.setStyleSheet("color: #1b5e20;" if ok else "color: #a4161a; font-weight: 600;")
        findings = getattr(result, "findings", [])
        self.verify_label.setToolTip("\n".join(str(f) for f in findings[:20]))
        self.verify_label.show()
        if findings:
            self.detail.setPlainText("\n".join(str(f) for f in findings[:500]))
        self.verified.emit(result)

    # --- navigation contract -----------------------------------------------------------------
    def open_target(self, target: object) -> None:
        """{"entity": "action", "entity_id": 5} shows one record's history;
        {"record": "KC-007"} or {"person": "Ruth Kaplan"} filter by text or person."""
        if not isinstance(target, dict):
            return
        self.refresh_if_stale()
        self._loading = True
        try:
            if "entity" in target:
                i = self.entity.findData(target["entity"])
                self.entity.setCurrentIndex(max(i, 0))
                self._entity_id = target.get("entity_id")
            if "record" in target:
                self.record.setText(str(target["record"]))
            if "person" in target:
                i = self.person.findData(target["person"])
                self.person.setCurrentIndex(max(i, 0))
        finally:
            self._loading = False
        self.apply_filter()
        if target.get("verified") is not None:  # the banner's "Show on the Audit page"
            self.show_verified(target["verified"])


class _Detail(QPlainTextEdit):
    def sizeHint(self) -> QSize:  # noqa: N802 - a few lines by default; the splitter can grow it
        return QSize(400, 96)


def _refill(combo: QComboBox, anything: str, items: list[tuple[str, str]]) -> None:
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(anything, None)
    for label, value in items:
        combo.addItem(label, value)
    i = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(i, 0))
    combo.blockSignals(False)
