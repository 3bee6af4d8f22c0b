"""The list of papers attached to the agenda."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from ...services.pack_rows import PackData
from ..flowables import Entry, Heading
from ..page import FRAME_WIDTH
from ..styles import styles
from ..tables import chunked_table, p

WIDTHS = [14 * mm, 0, 52 * mm, 30 * mm]
WIDTHS[1] = FRAME_WIDTH - sum(WIDTHS)


def papers(data: PackData) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Heading(Entry("papers", "Papers"))]
    if not data.papers:
        out.append(Paragraph("No papers are attached to this agenda.", st["note"]))
        return out
    rows = [[p(r.item_number, "cellb"), p(f"{r.title} (item: {r.item_title})"), p(r.file_name),
             p(r.classification)] for r in data.papers]
    out += chunked_table(["Item", "Paper", "File", "Classification"], rows, WIDTHS)
    if data.public:
        out.append(Paragraph("Papers for exempt items are not published.", st["note"]))
    return out
