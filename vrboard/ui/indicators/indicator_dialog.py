"""Add or edit an indicator of the performance framework: code, name, unit, whether up is
good, target (optional), source, how often it is reported, whether it is a Home Office
outcome measure, description and the workstream it belongs to."""
from __future__ import annotations

import math

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from ...errors import ValidationError
from ...model import Indicator, Workstream
from ...services import indicators as svc
from ..context import AppContext, show_error


class IndicatorDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 indicator_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.indicator_id = indicator_id
        self.version: int | None = None
        self.saved_id: int | None = None
        self.setWindowTitle("New indicator" if indicator_id is None else "Edit indicator")
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.code = QLineEdit()
        self.code.setPlaceholderText("e.g. PF08")
        self.name = QLineEdit()
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("e.g. offences, %, people")
        self.higher = QCheckBox("A &higher value is better")
        self.target = QLineEdit()
        self.target.setPlaceholderText("leave empty for no target")
        self.source = QLineEdit()
        self.source.setPlaceholderText("e.g. Metropolitan Police crime data dashboard")
        self.frequency = QComboBox()
        self.frequency.addItems(list(svc.FREQUENCIES))
        self.frequency.setCurrentText("Quarterly")
        self.frequency.setAccessibleName("Frequency")
        self.home_office = QCheckBox("One of the Home &Office's violence reduction outcome measures")
        self.home_office.setToolTip("For example homicides, or hospital admissions for assault "
                                    "with a sharp object among under-25s; check the wording "
                                    "against the Home Office's guidance")
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(70)
        self.workstream = QComboBox()
        for w, name in ((self.code, "Code"), (self.name, "Name"), (self.unit, "Unit"),
                        (self.target, "Target"), (self.source, "Source"),
                        (self.description, "Description"), (self.workstream, "Workstream")):
            w.setAccessibleName(name)
        with ctx.read() as s:
            self.workstream.addItem("No workstream", None)
            for ws in s.scalars(select(Workstream).order_by(Workstream.position)):
                self.workstream.addItem(f"{ws.code}  {ws.name}", ws.id)
            if indicator_id is not None:
                ind = s.get(Indicator, indicator_id)
                if ind is not None:
                    self.version = ind.version
                    self.code.setText(ind.code)
                    self.name.setText(ind.name)
                    self.unit.setText(ind.unit)
                    self.higher.setChecked(ind.higher_is_better)
                    self.target.setText("" if ind.target is None else f"{ind.target:g}")
                    self.source.setText(ind.source)
                    self.frequency.setCurrentText(ind.frequency)
                    self.home_office.setChecked(ind.home_office_measure)
                    self.description.setPlainText(ind.description)
                    self.workstream.setCurrentIndex(
                        max(0, self.workstream.findData(ind.workstream_id)))
        if indicator_id is None:
            self.higher.setChecked(False)
        form.addRow("&Code:", self.code)
        form.addRow("&Name:", self.name)
        form.addRow("&Unit:", self.unit)
        form.addRow("", self.higher)
        form.addRow("&Target:", self.target)
        form.addRow("&Source:", self.source)
        form.addRow("&Frequency:", self.frequency)
        form.addRow("", self.home_office)
        form.addRow("&Workstream:", self.workstream)
        form.addRow("&Description:", self.description)
        lay.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def values(self) -> dict[str, object]:
        text = self.target.text().strip().replace(",", "")
        target: float | None = None
        if text:
            try:
                target = float(text)
            except ValueError:
                raise ValidationError(f"The target '{self.target.text()}' is not a number.",
                                      "target") from None
            if not math.isfinite(target):
                raise ValidationError("The target must be a number.", "target")
        return {"code": self.code.text(), "name": self.name.text(), "unit": self.unit.text(),
                "higher_is_better": self.higher.isChecked(), "target": target,
                "source": self.source.text(), "frequency": self.frequency.currentText(),
                "home_office_measure": self.home_office.isChecked(),
                "description": self.description.toPlainText(),
                "workstream_id": self.workstream.currentData()}

    def save(self) -> None:
        try:
            values = self.values()
        except ValidationError as exc:
            show_error(self, "Indicator", str(exc))
            return
        ident, version = self.indicator_id, self.version
        if ident is None:
            result = self.ctx.run(self, "add the indicator",
                                  lambda s, a: svc.add_indicator(s, a, **values).id,
                                  changed="indicator")
        else:
            result = self.ctx.run(self, "save the indicator",
                                  lambda s, a: svc.update_indicator(s, a, ident, version,
                                                                    values).id,
                                  changed="indicator")
        if result is not None:
            self.saved_id = result
            self.accept()
