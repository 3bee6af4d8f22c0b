"""Record the Serious Violence Duty: the local definition of serious violence and when it was
agreed, the strategic needs assessment (last and next), the strategy's publication and where,
and its annual review. The rules are services/duty.py's; only what changed is sent."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from ...services import duty as dy
from ...services.context import Actor
from ..context import AppContext
from .form import FormDialog

DATES = (("definition_agreed_on", "Definition &agreed:", "Date the local definition was agreed"),
         ("needs_assessment_on", "&Needs assessment:", "Date of the strategic needs assessment"),
         ("needs_assessment_due", "Next assessment &due:", "Date the next needs assessment is due"),
         ("strategy_published_on", "Strategy &published:", "Date the strategy was published"),
         ("review_done_on", "Last annual re&view:", "Date of the strategy's last annual review"),
         ("review_due_on", "Next review d&ue:", "Date the strategy's annual review is due"))


class DutyDialog(FormDialog):
    what = "record the Duty"
    topic = "duty_record"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Serious Violence Duty", parent, width=600, intro=(
            "Publishing the strategy or recording a review sets the next review a year on, "
            "unless you change the next review's date too."))
        with ctx.read() as s:
            rec = dy.get_duty(s, ctx.actor)
        self.version = rec.version if rec else None
        self.old: dict[str, Any] = {k: getattr(rec, k) if rec else None
                                    for k in (*dy.DONE_FIELDS, *dy.DUE_FIELDS)}
        for key in ("local_definition", "strategy_link"):
            self.old[key] = (getattr(rec, key) if rec else "") or ""
        self.definition = self.text("Local &definition:", "Local definition of serious violence",
                                    self.old["local_definition"], height=120)
        self.dates = {key: self.date(label, name, self.old[key]) for key, label, name in DATES}
        self.link = self.line("Strategy &link:", "Where the strategy is published",
                              self.old["strategy_link"], placeholder="https://…")

    def changes(self) -> dict[str, Any]:
        new: dict[str, Any] = {"local_definition": self.definition.toPlainText(),
                               "strategy_link": self.link.text()}
        new.update({key: w.date_value() for key, w in self.dates.items()})
        return {k: v for k, v in new.items() if v != self.old[k]}

    def submit(self) -> Callable[[Session, Actor], Any] | None:
        fields, version = self.changes(), self.version
        if not fields:
            self.reject()  # nothing changed: nothing to record
            return None
        return lambda s, a: dy.set_duty(s, a, version, **fields).id
