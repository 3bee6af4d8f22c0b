"""The minute of each item: discussion, decisions and the actions it created.

Shared by the minutes document and the board pack's "minutes of the previous meeting".
"""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from ...services.common import uk_date
from ...services.minute_record import exclusion_resolution
from ...services.pack_rows import ActionRow, MinuteItem, MinutesData
from ..page import FRAME_WIDTH
from ..styles import esc, styles
from ..tables import chunked_table, p

ACTION_WIDTHS = [18 * mm, 0, 38 * mm, 22 * mm]
ACTION_WIDTHS[1] = FRAME_WIDTH - 8 * mm - sum(ACTION_WIDTHS)


def actions_arising(rows: tuple[ActionRow, ...], heading: str = "Actions arising") -> list[Flowable]:
    data = [[p(a.reference, "cellb"), p(a.title), p(a.owner or "Not assigned"),
             p(uk_date(a.due) or "No date")] for a in rows]
    tables = chunked_table(["Ref.", "Action", "Owner", "Due"], data, ACTION_WIDTHS,
                           heading=heading)
    for t in tables:
        t.hAlign = "RIGHT"
    return tables


def item_minute(m: MinuteItem, heading_style: str = "h3") -> list[Flowable]:
    st = styles()
    i = m.item
    # "12/26 Action log review (agenda item 4)": minute 12 of 2026 (services/minute_record.py)
    head = Paragraph(f"{m.number} {esc(i.title)} <font size=11>(agenda item {i.number})</font>"
                     if m.number else f"{i.number}. {esc(i.title)}", st[heading_style])
    out: list[Flowable] = []
    if i.withheld:
        out.append(KeepTogether([head, Paragraph(esc(i.exempt_text), st["note"]), Paragraph(
            "This item was considered in private. The minute is exempt from publication.",
            st["note"])]))
        return out
    first: list[Flowable] = [head]
    if i.exempt_paragraph:
        first.append(Paragraph(esc(i.exempt_text), st["note"]))
    if i.presenter:
        first.append(Paragraph(f"Presented by {esc(i.presenter)}.", st["small"]))
    if m.discussion:
        paras = [x for x in m.discussion.split("\n\n") if x.strip()]
        first.append(Paragraph(esc(paras[0]), st["body"]))
        out.append(KeepTogether(first))
        out += [Paragraph(esc(x), st["body"]) for x in paras[1:]]
    else:
        first.append(Paragraph("No minute has been recorded for this item.", st["note"]))
        out.append(KeepTogether(first))
    if m.decisions:
        out.append(Paragraph("<b>Decisions</b>", st["body"]))
        for n, d in enumerate(m.decisions, start=1):
            out.append(Paragraph(esc(d), st["bullet"], bulletText=f"{n}."))
    if m.actions:
        out.append(Paragraph("<b>Actions arising</b>", st["body"]))
        out += actions_arising(m.actions)
    return out


def minute_items(data: MinutesData, heading_style: str = "h3") -> list[Flowable]:
    st = styles()
    out: list[Flowable] = []
    part = 1
    for m in data.items:
        if m.item.part != part:
            part = m.item.part
            if part == 2:  # the resolution is kept whole, on the page of the first Part 2 minute
                out.append(KeepTogether([
                    Paragraph("Part 2: exempt items", st["h2"]),
                    Paragraph("Exclusion of the press and public", st["h3"]),
                    Paragraph(esc(exclusion_resolution(
                        m2.item.exempt_paragraph for m2 in data.items if m2.item.part == 2)),
                        st["body"])]))
            else:
                out.append(Paragraph("Part 1 (resumed): the press and public were readmitted", st["h2"]))
        out += item_minute(m, heading_style)
    if data.other_actions:
        out.append(Paragraph("Other actions agreed at this meeting", st["h3"]))
        out += actions_arising(data.other_actions, "Other actions agreed at this meeting")
    if data.meeting.end_time:
        out.append(Paragraph(f"The meeting closed at {data.meeting.end_time}.", st["body"]))
    return out
