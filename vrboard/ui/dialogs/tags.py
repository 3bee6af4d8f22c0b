"""The groups an action or an indicator addresses: every tag, ticked when it applies, under
its group ("Age band", "Ethnicity"). Saving tags the newly ticked and untags the cleared in one
transaction (services/lenses.py decides; only the secretariat and the chair may)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from ...model import Action, Indicator
from ...services import lenses as ln
from ...services.context import Actor
from ..context import AppContext
from ..widgets.check_list import CheckList
from .form import FormDialog, wrapped_label


class TagsDialog(FormDialog):
    """``kind`` "action" or "indicator"."""

    what = "change the tags"

    def __init__(self, ctx: AppContext, kind: str, ident: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Groups it addresses", parent, width=480)
        self.kind, self.topic = kind, "action" if kind == "action" else "indicator"
        cls = Action if kind == "action" else Indicator
        with ctx.read() as s:
            row = s.get(cls, ident)
            assert row is not None
            self.ident, self.version = row.id, row.version
            name = f"{row.reference}  {row.title}" if kind == "action" else f"{row.code}  {row.name}"
            self.before = [t.id for t in row.tags]
            choices = [(t.tag_group, t.name, t.id) for t in ln.list_tags(s, ctx.actor)]
        self.form.addRow("Action:" if kind == "action" else "Indicator:", wrapped_label(name))
        self.tags = CheckList("Tags", height=260)
        self.tags.set_choices(choices, self.before)
        self.form.addRow("&Tags:", self.tags)

    def submit(self) -> Callable[[Session, Actor], Any] | None:
        after = self.tags.checked()
        adds = [t for t in after if t not in self.before]
        drops = [t for t in self.before if t not in after]
        if not adds and not drops:
            self.reject()
            return None
        tag, untag = ((ln.tag_action, ln.untag_action) if self.kind == "action"
                      else (ln.tag_indicator, ln.untag_indicator))
        ident, version = self.ident, self.version

        def run(s: Session, a: Actor) -> int:
            if adds:
                tag(s, a, ident, *adds, version=version)
            if drops:
                untag(s, a, ident, *drops, version=None if adds else version)
            return ident
        return run
