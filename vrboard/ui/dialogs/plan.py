"""Add or edit a plan that actions deliver: code, name, period, start and end, the prefix of
its action references, and a description."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...model import Plan
from ...services import setup as svc
from ..context import AppContext
from ..widgets.date_edit import OptionalDateEdit


class PlanDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 plan_code: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan_id: int | None = None
        self.version: int | None = None
        self.saved_code: str | None = None
        self.setWindowTitle("New plan" if plan_code is None else "Edit plan")
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.code = QLineEdit()
        self.code.setPlaceholderText("e.g. SVDS")
        self.name = QLineEdit()
        self.period = QLineEdit()
        self.period.setPlaceholderText("e.g. 2026-29 or 2026/27")
        self.start = OptionalDateEdit(blank_text="No start date")
        self.end = OptionalDateEdit(blank_text="No end date")
        self.start.setAccessibleName("Starts")
        self.end.setAccessibleName("Ends")
        self.prefix = QLineEdit()
        self.prefix.setPlaceholderText("e.g. SV (actions numbered SV-001...)")
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(70)
        for w, n in ((self.code, "Plan code"), (self.name, "Plan name"), (self.period, "Period"),
                     (self.prefix, "Reference prefix"), (self.description, "Description")):
            w.setAccessibleName(n)
        form.addRow("&Code:", self.code)
        form.addRow("&Name:", self.name)
        form.addRow("&Period:", self.period)
        form.addRow("&Starts:", self.start)
        form.addRow("&Ends:", self.end)
        form.addRow("&Reference prefix:", self.prefix)
        form.addRow("&Description:", self.description)
        lay.addLayout(form)
        if plan_code is not None:
            from sqlalchemy import select

            with ctx.read() as s:
                plan = s.scalars(select(Plan).where(Plan.code == plan_code)).first()
                if plan is not None:
                    self.plan_id, self.version = plan.id, plan.version
                    self.code.setText(plan.code)
                    self.name.setText(plan.name)
                    self.period.setText(plan.period)
                    self.start.set_date_value(plan.period_start)
                    self.end.set_date_value(plan.period_end)
                    self.prefix.setText(plan.reference_prefix)
                    self.description.setPlainText(plan.description)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def values(self) -> dict[str, object]:
        return {"code": self.code.text(), "name": self.name.text(), "period": self.period.text(),
                "period_start": self.start.date_value(), "period_end": self.end.date_value(),
                "reference_prefix": self.prefix.text(),
                "description": self.description.toPlainText()}

    def save(self) -> None:
        # values are read inside the run: a date typed wrongly is refused there, by name
        pid, version = self.plan_id, self.version
        if pid is None:
            done = self.ctx.run(self, "add the plan",
                                lambda s, a: svc.add_plan(s, a, **self.values()).code, changed="plan")
        else:
            done = self.ctx.run(self, "save the plan",
                                lambda s, a: svc.update_plan(s, a, pid, version, self.values()).code,
                                changed="plan")
        if done is not None:
            self.saved_code = done
            self.accept()
