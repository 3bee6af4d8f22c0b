"""The actions that answer a theme, an ask or a finding: tick them; saving links the newly ticked
and unlinks the cleared, in one transaction (the rules are services/links.py's)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from ...model import CommunityTheme, NeedsFinding, YouthAsk
from ...services import community as cm
from ...services import needs as nd
from ...services import youth_panel as yp
from ...services.context import Actor
from ..context import AppContext
from ..widgets.check_list import CheckList
from .form import FormDialog, action_options, wrapped_label

Call = Callable[[Session, Actor], Any]


LINKERS: dict[str, tuple[Any, Callable[..., Any], str]] = {
    "theme": (CommunityTheme, cm.link_action, "community_theme"),
    "ask": (YouthAsk, yp.link_action, "youth_ask"),
    "finding": (NeedsFinding, nd.link_action, "needs_finding"),
}


class LinkActionsDialog(FormDialog):
    """Tick the actions that answer a theme, an ask or a finding (``kind``); saving links the
    newly ticked and unlinks the cleared, in one transaction."""

    what = "change the linked actions"

    def __init__(self, ctx: AppContext, kind: str, ident: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Actions answering it", parent, width=720)
        cls, self.link, self.topic = LINKERS[kind]
        with ctx.read() as s:
            row = s.get(cls, ident)
            assert row is not None
            self.ident, self.version = row.id, row.version
            said = getattr(row, "title", None) or getattr(row, "raised", None) or \
                f"{row.number}. {row.text}"
            self.before = [a.reference for a in row.actions]
            options = action_options(s)
        self.form.addRow("You said:" if kind != "finding" else "Finding:", wrapped_label(said))
        self.actions = CheckList("Actions", filter_text="Type to find an action", height=240)
        self.actions.set_choices([("", text, ref) for text, ref in options], self.before)
        self.form.addRow("&Actions:", self.actions)

    def submit(self) -> Call | None:
        after = self.actions.checked()
        adds = [r for r in after if r not in self.before]
        drops = [r for r in self.before if r not in after]
        if not adds and not drops:
            self.reject()
            return None
        link, ident, version = self.link, self.ident, self.version

        def run(s: Session, a: Actor) -> int:
            first = True
            for ref, remove in [*((r, False) for r in adds), *((r, True) for r in drops)]:
                link(s, a, ident, ref, remove=remove, version=version if first else None)
                first = False
            return ident
        return run
