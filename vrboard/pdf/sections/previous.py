"""Minutes of the previous meeting, for approval, showing whether they are signed."""
from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from ...services.pack_rows import PackData
from ..flowables import Entry, Heading
from ..styles import esc, styles
from .attendance import attendance_table, declarations_table
from .minute_items import minute_items


def previous_minutes(data: PackData) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Heading(Entry("previous", "Minutes of the previous meeting"))]
    prev = data.previous
    if prev is None:
        text = ("The minutes of the previous meeting are not included in the public version."
                if data.previous_withheld else "This is the board's first meeting: there are no "
                "previous minutes to approve.")
        out.append(Paragraph(text, st["body"]))
        return out
    out.append(Paragraph(f"Meeting of {prev.meeting.starts_at:%d/%m/%Y} at {prev.meeting.time}"
                         f"{', ' + esc(prev.meeting.venue) if prev.meeting.venue else ''}.",
                         st["body"]))
    state = prev.signed
    if state.signed:
        out.append(Paragraph(f"<b>Signed.</b> {esc(state.describe())}", st["body"]))
    else:
        out.append(Paragraph(
            "<b>Not yet signed.</b> The board is asked to approve these minutes as a correct "
            "record and the chair to sign them.", st["body"]))
    out.append(Paragraph("Attendance", st["h3"]))
    out += attendance_table(prev.attendance)
    out += [Spacer(1, 4), Paragraph(f"Quorum: {esc(prev.quorum)}.", st["body"])]
    out.append(Paragraph("Declarations of interest", st["h3"]))
    out += declarations_table(prev.declarations)
    out += minute_items(prev)
    return out
