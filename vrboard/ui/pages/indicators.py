"""The Indicators page: the performance framework's indicators, their targets and values by
period, as a table and as a trend chart; the secretariat adds or corrects a value."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...model import Indicator
from ...services import indicators as svc
from ...services.context import Actor, Perm
from ..context import AppContext
from ..page import Page
from ..tablemodel import Column, RowTableModel
from ..widgets.buttons import save_cancel
from ..widgets.rag import warning_text_colour
from ..widgets.tables import read_only_table
from ..widgets.trend_chart import Series, TrendChart, fmt


@dataclass
class IndicatorRow:
    id: int
    code: str
    name: str
    unit: str
    higher_is_better: bool
    target: float | None
    description: str
    source: str
    workstream: str
    values: list[tuple[str, float, str]]  # period, value, note
    frequency: str = "Quarterly"
    home_office_measure: bool = False
    retired_on: Any = None  # a date once retired
    tags: str = ""  # the groups it addresses: "Age band: Under 18; ..."

    @property
    def latest(self) -> tuple[str, float, str] | None:
        return self.values[-1] if self.values else None

    def status(self, value: float) -> str:
        if self.target is None:
            return "No target"
        good = value >= self.target if self.higher_is_better else value <= self.target
        return "Target met" if good else "Target not met"

    @property
    def direction(self) -> str:
        return "Higher is better" if self.higher_is_better else "Lower is better"


def load_indicators(session: Session, include_retired: bool = False) -> list[IndicatorRow]:
    """The active indicators (and the retired ones, kept as history, with ``include_retired``)."""
    q = (select(Indicator).options(selectinload(Indicator.values), selectinload(Indicator.tags),
                                   selectinload(Indicator.workstream)).order_by(Indicator.code))
    if not include_retired:
        q = q.where(Indicator.retired_on.is_(None))
    out = []
    for i in session.scalars(q):
        out.append(IndicatorRow(
            i.id, i.code, i.name, i.unit, i.higher_is_better, i.target, i.description, i.source,
            f"{i.workstream.code} {i.workstream.name}" if i.workstream else "",
            [(v.period, v.value, v.note) for v in i.values], i.frequency, i.home_office_measure,
            i.retired_on, "; ".join(t.label for t in i.tags)))
    return out


def _latest_text(r: IndicatorRow) -> str:
    return f"{fmt(r.latest[1])} ({r.latest[0]})" if r.latest else "No values yet"


def _missed(r: IndicatorRow, value: float) -> QColor | None:
    return warning_text_colour() if r.status(value) == "Target not met" else None


INDICATOR_COLUMNS: list[Column[IndicatorRow]] = [
    Column("Code", lambda r: r.code, width=70),
    Column("Indicator", lambda r: r.name + (f" (retired {r.retired_on:%d/%m/%Y})"
                                            if r.retired_on else ""), tooltip=lambda r: r.name),
    Column("Frequency", lambda r: r.frequency, width=80),
    Column("Home Office", lambda r: "Yes" if r.home_office_measure else "",
           tooltip=lambda r: "One of the Home Office's violence reduction outcome measures"
           if r.home_office_measure else None, width=95),
    Column("Unit", lambda r: r.unit, width=140),
    Column("Direction", lambda r: r.direction, width=110),
    Column("Target", lambda r: "" if r.target is None else fmt(r.target),
           key=lambda r: r.target, width=70),
    Column("Latest", _latest_text, key=lambda r: r.latest[1] if r.latest else None, width=130),
    Column("Status", lambda r: r.status(r.latest[1]) if r.latest else "",
           foreground=lambda r: _missed(r, r.latest[1]) if r.latest else None, width=110),
]
VALUE_COLUMNS: list[Column[tuple[IndicatorRow, str, float, str]]] = [
    Column("Period", lambda v: v[1], key=lambda v: v[1], width=100),
    Column("Value", lambda v: fmt(v[2]), key=lambda v: v[2], width=80,
           align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
    Column("Against target", lambda v: v[0].status(v[2]),
           foreground=lambda v: _missed(v[0], v[2]), width=120),
    Column("Note", lambda v: v[3], tooltip=lambda v: v[3] or None),
]


def next_period(period: str) -> str:
    """'2019/20 Q4' -> '2020/21 Q1'; '2019/20' -> '2020/21'."""
    try:
        fy, _, q = period.partition(" Q")
        y = int(fy[:4])
        if not q:
            return f"{y + 1}/{(y + 2) % 100:02d}"
        n = int(q)
        return f"{y}/{(y + 1) % 100:02d} Q{n + 1}" if n < 4 else f"{y + 1}/{(y + 2) % 100:02d} Q1"
    except ValueError:
        return ""


class ValueDialog(QDialog):
    def __init__(self, ind: IndicatorRow, parent: QWidget | None = None, *, period: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Value for {ind.code}")
        self.setMinimumWidth(420)
        existing = {p: (v, n) for p, v, n in ind.values}
        self.period = QLineEdit(period or (next_period(ind.latest[0]) if ind.latest else ""))
        self.period.setPlaceholderText("A financial year or quarter, e.g. 2019/20 Q1")
        self.period.setAccessibleName("Period")
        self.value = QDoubleSpinBox()
        self.value.setRange(-1e9, 1e9)
        self.value.setDecimals(1)
        self.value.setAccessibleName("Value")
        self.note = QLineEdit()
        self.note.setMaxLength(300)
        self.note.setAccessibleName("Note")
        if period in existing:
            self.value.setValue(existing[period][0])
            self.note.setText(existing[period][1])
        heading = QLabel(f"<b>{ind.code}</b> {ind.name}" + (f" ({ind.unit})" if ind.unit else ""))
        heading.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Period", self.period)
        form.addRow("&Value", self.value)
        form.addRow("&Note", self.note)
        hint = QLabel("Saving a period that already has a value corrects it; the audit trail keeps both.")
        hint.setWordWrap(True)
        buttons = save_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)


class IndicatorsPage(Page):
    title = "Indicators"
    icon = "indicators.svg"
    shortcut = "Ctrl+7"
    topics = frozenset({"indicator"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = RowTableModel(INDICATOR_COLUMNS, self)
        self.values = RowTableModel(VALUE_COLUMNS, self)
        self.table = _table(self.model, "Indicators")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.values_table = _table(self.values, "Values by period")
        self.values_table.doubleClicked.connect(lambda i: self.edit_value(self.values.row(i)[1]))
        self.chart = TrendChart()
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.add_button = QPushButton("&Add value…")
        self.add_button.clicked.connect(lambda: self.edit_value(None))
        self.edit_button = QPushButton("&Correct value…")
        self.edit_button.clicked.connect(self._edit_selected)
        self.new_indicator_button = QPushButton("&New indicator…")
        self.new_indicator_button.clicked.connect(lambda: self.edit_indicator(None))
        self.edit_indicator_button = QPushButton("Edit &indicator…")
        self.edit_indicator_button.clicked.connect(
            lambda: self.edit_indicator(self.current().id if self.current() else None, True))
        self.retire_button = QPushButton("&Retire")
        self.retire_button.clicked.connect(self.retire_current)
        self.tags_button = QPushButton("Ta&gs…")
        self.tags_button.clicked.connect(self.edit_tags)
        self.show_retired = QCheckBox("Show re&tired")
        self.show_retired.setToolTip("Retired indicators are kept with their values as history")
        self.show_retired.toggled.connect(lambda _on: self.refresh())
        allowed = ctx.can(Perm.EDIT_ACTIONS)
        why = ("" if allowed else "Only the secretariat or the chair may record indicator values; you "
               f"are signed in as {ctx.actor.describe()}.")
        for b, tip in ((self.add_button, "Record the value for a period"),
                       (self.edit_button, "Correct the selected period's value"),
                       (self.new_indicator_button, "Add an indicator to the performance framework"),
                       (self.edit_indicator_button, "Change the selected indicator's name, unit, "
                                                    "direction, target or source"),
                       (self.retire_button, "Retire the selected indicator: it leaves this list "
                                            "and the board pack; its values are kept"),
                       (self.tags_button, "Tick the groups the selected indicator addresses "
                                          "(age band, ethnicity…)")):
            b.setEnabled(allowed)
            b.setToolTip(tip if allowed else why)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.heading)
        lv.addWidget(self.about)
        lv.addWidget(self.values_table, 1)
        lv.addLayout(buttons)
        lower = QSplitter(Qt.Orientation.Horizontal, objectName="indicator_detail_splitter")
        lower.addWidget(left)
        lower.addWidget(self.chart)
        lower.setSizes([440, 640])
        lower.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Vertical, objectName="indicators_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(lower)
        self.splitter.setSizes([250, 480])
        self.splitter.setChildrenCollapsible(False)
        title = QLabel("Indicators")
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.show_retired)
        head.addWidget(self.new_indicator_button)
        head.addWidget(self.edit_indicator_button)
        head.addWidget(self.tags_button)
        head.addWidget(self.retire_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.splitter, 1)

    def refresh(self) -> None:
        keep = self.current().id if self.current() else None
        with self.ctx.read() as s:
            self.model.set_rows(load_indicators(s, self.show_retired.isChecked()))
        rows = self.model.rows()
        row = next((n for n, r in enumerate(rows) if r.id == keep), 0 if rows else -1)
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._show_current()

    def edit_indicator(self, indicator_id: int | None, editing: bool = False) -> int | None:
        """The add/edit dialog (modal); returns the saved indicator's id."""
        from ..indicators.indicator_dialog import IndicatorDialog

        if not self.ctx.can(Perm.EDIT_ACTIONS) or (editing and indicator_id is None):
            return None
        dialog = IndicatorDialog(self.ctx, self, indicator_id)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self.refresh()
            row = next((n for n, r in enumerate(self.model.rows()) if r.id == dialog.saved_id), -1)
            if row >= 0:
                self.table.selectRow(row)
            return dialog.saved_id
        return None

    def edit_tags(self) -> bool:
        """The tags dialog (modal) for the selected indicator."""
        from ..dialogs.tags import TagsDialog

        r = self.current()
        if r is None or not self.ctx.can(Perm.EDIT_ACTIONS):
            return False
        dialog = TagsDialog(self.ctx, "indicator", r.id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            return True
        return False

    def retire_current(self) -> bool:
        """Retire the selected indicator (or reinstate it, when it is retired)."""
        r = self.current()
        if r is None or not self.ctx.can(Perm.EDIT_ACTIONS):
            return False
        if r.retired_on is not None:
            return self.ctx.run(self, f"reinstate {r.code}",
                                lambda s, a: svc.reinstate_indicator(s, a, r.id).id,
                                "indicator") is not None
        return self.ctx.run(self, f"retire {r.code}",
                            lambda s, a: svc.retire_indicator(s, a, r.id, self.ctx.today).id,
                            "indicator") is not None

    def current(self) -> IndicatorRow | None:
        idx = self.table.currentIndex()
        return self.model.row(idx) if idx.isValid() else None

    def select_code(self, code: str) -> None:
        self.refresh_if_stale()
        for n, r in enumerate(self.model.rows()):
            if r.code == code:
                self.table.selectRow(n)

    def open_target(self, target: Any) -> None:
        if isinstance(target, dict) and "indicator_code" in target:
            self.select_code(str(target["indicator_code"]))

    def _show_current(self) -> None:
        r = self.current()
        if r is None:
            self.heading.setText("No indicators yet.")
            self.about.clear()
            self.values.set_rows([])
            self.chart.set_series(Series())
            return
        self.heading.setText(f"{r.code}  {r.name}")
        target = "none set" if r.target is None else f"{fmt(r.target)} {r.unit}".strip()
        bits = [f"Unit: {r.unit or 'count'}", f"{r.direction}", f"Target: {target}"]
        if r.workstream:
            bits.append(f"Workstream: {r.workstream}")
        if r.source:
            bits.append(f"Source: {r.source}")
        bits.append(f"Reported: {r.frequency.lower()}")
        if r.home_office_measure:
            bits.append("Home Office violence reduction outcome measure")
        bits.append(f"Groups it addresses: {r.tags or 'none tagged'}")
        if r.retired_on:
            bits.append(f"Retired on {r.retired_on:%d/%m/%Y} (kept as history)")
        self.retire_button.setText("Re&instate" if r.retired_on else "&Retire")
        self.about.setText(" · ".join(bits) + (f"\n{r.description}" if r.description else ""))
        self.values.set_rows([(r, p, v, n) for p, v, n in r.values])
        self.chart.set_series(Series(f"{r.code} {r.name}", r.unit, [p for p, _, _ in r.values],
                                     [v for _, v, _ in r.values], r.target, r.higher_is_better))

    def _edit_selected(self) -> None:
        idx = self.values_table.currentIndex()
        self.edit_value(self.values.row(idx)[1] if idx.isValid() else None)

    def edit_value(self, period: str | None, value: float | None = None, note: str = "") -> bool:
        """Record a value (asks in a dialog unless ``value`` is given)."""
        r = self.current()
        if r is None:
            return False
        if value is None:
            dlg = ValueDialog(r, self, period=period or "")
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return False
            period, value, note = dlg.period.text().strip(), dlg.value.value(), dlg.note.text()
        p, v = period or "", float(value)

        def go(s: Session, a: Actor) -> Any:
            return svc.set_value(s, a, r.id, p, v, note)
        return self.ctx.run(self, f"record the value for {r.code} {p}".rstrip(), go, "indicator") is not None


def _table(model: RowTableModel[Any], name: str) -> QTableView:
    view = read_only_table(model, name)
    view.setAlternatingRowColors(True)
    return view
