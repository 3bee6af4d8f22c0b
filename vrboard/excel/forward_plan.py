"""The forward plan as an Excel table: one row per item planned for a meeting still to come."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .xlsx import ExportResult, Formats, abandon, finish, new_workbook, simple_table

if TYPE_CHECKING:
    from ..services.forward_plan import PlanMeeting


def export_forward_plan(meetings: Sequence[PlanMeeting], out_path: Path | str,
                        marking: str = "OFFICIAL") -> ExportResult:
    path = Path(out_path)

    def rows() -> Iterator[list[object]]:
        for m in meetings:
            if not m.rows:
                yield [m.starts_at.date(), m.starts_at.strftime("%H:%M"), m.title, m.pack_due,
                       "Nothing planned yet", "", None, "", "", "", ""]
            for r in m.rows:
                yield [m.starts_at.date(), m.starts_at.strftime("%H:%M"), m.title, m.pack_due,
                       r.title, r.presenter, r.minutes, r.workstream, r.action, r.state, r.notes]

    wb = new_workbook(path)
    try:
        n = simple_table(wb, Formats(wb), "Forward plan", [
            ("Meeting date", 13, "date"), ("Time", 7, "text"), ("Meeting", 30, "wrap"),
            ("Pack due", 12, "date"), ("Item", 44, "wrap"), ("Presenter", 24, "wrap"),
            ("Minutes", 9, "number"), ("Workstream", 12, "text"), ("Action", 11, "text"),
            ("State", 22, "text"), ("Notes", 36, "wrap")], rows(), marking)
    except BaseException:
        abandon(wb)
        raise
    finish(wb, path)
    return ExportResult(path, n)
