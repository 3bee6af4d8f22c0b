"""Actions by domain and by group addressed (the lenses of issue 15): one compact table, in
the pack's action log and in the annual report."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from ...services.lenses import LensRow
from ..page import FRAME_WIDTH
from ..styles import styles
from ..tables import chunked_table, p

WIDTHS = [30 * mm, 0, 16 * mm, 14 * mm, 17 * mm, 19 * mm, 14 * mm]
WIDTHS[1] = FRAME_WIDTH - sum(WIDTHS)
HEAD = ["Lens", "Domain or group", "Actions", "Open", "Overdue", "Complete", "Red"]


def lens_table(rows: tuple[LensRow, ...], *, skip_empty_tags: bool = True) -> list[Flowable]:
    """Domains first (all of them, and the actions with none), then each tag in use."""
    st = styles()
    shown = [r for r in rows if r.lens == "Domain" or r.actions or not skip_empty_tags]
    if not shown:
        return [Paragraph("No actions.", st["note"])]
    body = [[p(r.lens if n == 0 or shown[n - 1].lens != r.lens else "", "cellb"), p(r.name),
             p(r.actions), p(r.open), p(r.overdue), p(r.complete), p(r.red)]
            for n, r in enumerate(shown)]
    out: list[Flowable] = chunked_table(HEAD, body, WIDTHS)
    if not any(r.lens != "Domain" for r in shown):
        out.append(Paragraph("No action is tagged with the groups it addresses yet.", st["note"]))
    return out
