"""The member table: one row per membership (current first), sorted in the model."""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor

from ...services.meeting_views import ROLE_ORDER, MemberRow
from ..meetings.common import tint, uk_date
from ..tablemodel import Column, RowTableModel

STATE_TINTS = {"Ended": "danger", "Ending soon": "warning", "Starts later": "info"}


def _state_bg(r: MemberRow) -> QColor | None:
    return tint(STATE_TINTS[r.state])[0] if r.state in STATE_TINTS else None


def _state_fg(r: MemberRow) -> QColor | None:
    return tint(STATE_TINTS[r.state])[1] if r.state in STATE_TINTS else None


def _term(r: MemberRow) -> str:
    return uk_date(r.term_end) if r.term_end else "No end date"


COLUMNS: list[Column[MemberRow]] = [
    Column("Name", lambda r: r.name, tooltip=lambda r: r.job_title or r.name),
    Column("Role", lambda r: r.role.label, key=lambda r: ROLE_ORDER[r.role]),
    Column("Organisation", lambda r: r.organisation),
    Column("Voting", lambda r: "Yes" if r.voting else "No"),
    Column("Term start", lambda r: uk_date(r.term_start), key=lambda r: r.term_start),
    Column("Term end", _term, key=lambda r: r.term_end),
    Column("Named substitute", lambda r: r.substitute_name),
    Column("Status", lambda r: r.state, background=_state_bg, foreground=_state_fg,
           tooltip=lambda r: r.notes or r.state),
]


class MemberTableModel(RowTableModel[MemberRow]):
    """Read-only rows of ``MemberRow``; changes go through the member dialogs."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)

    def find(self, membership_id: int) -> int:
        for n, r in enumerate(self._rows):
            if r.membership_id == membership_id:
                return n
        return -1
