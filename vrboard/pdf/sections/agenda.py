"""The agenda: numbered items, presenters, timings, Part 1 and Part 2 with the exempt paragraph."""
from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from ...services.minute_record import exclusion_resolution
from ...services.pack_rows import ItemRow, MeetingInfo
from ..flowables import Entry, Heading, PageRef
from ..page import FRAME_WIDTH
from ..styles import esc, styles
from ..tables import chunked_table, p
from .papers import item_end_key, item_key

WIDTHS = [12 * mm, 0, 45 * mm, 16 * mm, 16 * mm]
WIDTHS[1] = FRAME_WIDTH - sum(WIDTHS)


def agenda(meeting: MeetingInfo, items: tuple[ItemRow, ...], public: bool) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Heading(Entry("agenda", "Agenda"))]
    out.append(Paragraph(f"{esc(meeting.title)}, {meeting.starts_at:%d/%m/%Y} at {meeting.time}"
                         f"{', ' + esc(meeting.venue) if meeting.venue else ''}.", st["body"]))
    clock = meeting.starts_at
    for part in (1, 2):
        rows_in = [i for i in items if i.part == part]
        if not rows_in:
            continue
        if part == 1:
            out.append(Paragraph("Part 1: items open to the public", st["h3"]))
        else:
            out.append(Paragraph("Part 2: items from which the press and public are likely to be "
                                 "excluded", st["h3"]))
            out.append(Paragraph(esc(exclusion_resolution(
                (i.exempt_paragraph for i in rows_in), recommended=True)), st["note"]))
        rows = []
        for i in rows_in:
            title = [esc(i.title)]
            if i.exempt_paragraph:
                title.append(f"<font color='#52606d'>{esc(i.exempt_text)}</font>")
            if i.papers:
                title.append(f"<font color='#52606d'>Papers: {esc('; '.join(i.papers))}</font>")
            if i.withheld:
                title.append("<font color='#52606d'>Not for publication: no further detail in the public "
                             "version.</font>")
            start = "" if i.withheld else f"{clock:%H:%M}"
            cell: list[Flowable] = [Paragraph("<br/>".join(title), st["cell"])]
            if not i.withheld and i.papers:
                cell.append(PageRef(item_key(i.number), item_end_key(i.number)))
            rows.append([p(i.number, "cellb"), cell,
                         p(i.presenter), p(start), p(f"{i.minutes} min" if not i.withheld else "")])
            clock += dt.timedelta(minutes=i.minutes)
        out += chunked_table(["No.", "Item", "Presenter", "Starts", "Time"], rows, WIDTHS,
                             heading="Agenda")
    if public and any(i.part == 2 for i in items):
        out.append(Paragraph("Part 2 items are listed by number, title and exempt paragraph only.",
                             st["note"]))
    return out
