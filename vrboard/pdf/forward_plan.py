"""The forward plan as a PDF: each meeting still to come, the date its pack is due, and the
business planned for it (on the agenda already, or planned before the agenda is built)."""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .result import PackResult

if TYPE_CHECKING:
    from ..services.forward_plan import PlanMeeting


def build_forward_plan(meetings: Sequence[PlanMeeting], board: str, out_path: str | os.PathLike[str],
                       *, marking: str = "OFFICIAL", today: dt.date | None = None) -> PackResult:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph

    from .page import Furniture
    from .render import check_target, write_pdf
    from .styles import esc, styles
    from .tables import chunked_table, p

    out = check_target(out_path)
    today = today or dt.date.today()

    def story() -> list:
        st = styles()
        body: list = [Paragraph(esc(board), st["cover_label"]),
                      Paragraph("Forward plan of board meetings", st["h1"]),
                      Paragraph(f"Meetings from {today:%d/%m/%Y} and the business planned for "
                                "them. Procedural items (apologies, declarations, any other "
                                "business) are left out.", st["note"])]
        if not meetings:
            body.append(Paragraph("No meetings are scheduled yet.", st["body"]))
        for m in meetings:
            where = f", {esc(m.venue)}" if m.venue else ""
            body.append(Paragraph(f"{m.starts_at:%A %d/%m/%Y %H:%M}: {esc(m.title)}", st["h2"]))
            body.append(Paragraph(f"Pack due by {m.pack_due:%a %d/%m/%Y}{where}.", st["small"]))
            if not m.rows:
                body.append(Paragraph("Nothing planned yet.", st["body"]))
                continue
            rows = [[p(r.title), p(r.presenter), p(f"{r.minutes} min"),
                     p(" ".join(x for x in (r.workstream, r.action) if x)), p(r.state),
                     p(r.notes)] for r in m.rows]
            body += chunked_table(["Item", "Presenter", "Time", "Links", "State", "Notes"], rows,
                                  [58 * mm, 32 * mm, 13 * mm, 20 * mm, 25 * mm, 32 * mm])
        return body

    pages = write_pdf(out, story, furniture=Furniture(marking, board, f"{today:%d/%m/%Y}",
                                                      "Forward plan"),
                      title=f"{board}: forward plan", author=board,
                      subject=f"Forward plan of board meetings from {today:%d/%m/%Y}",
                      keywords="forward plan, meetings", progress=None, steps_done=0, steps_total=1)
    return PackResult(out, pages, True)
