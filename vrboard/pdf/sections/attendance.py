"""Attendance, apologies and substitutes, and declarations of interest."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from ...services.pack_rows import AttendanceRow, DeclarationRow
from ..flowables import Entry, Heading
from ..page import FRAME_WIDTH
from ..styles import styles
from ..tables import chunked_table, p

ATT_WIDTHS = [55 * mm, 28 * mm, 30 * mm, 0]
ATT_WIDTHS[3] = FRAME_WIDTH - sum(ATT_WIDTHS)
DEC_WIDTHS = [38 * mm, 45 * mm, 28 * mm, 0]
DEC_WIDTHS[3] = FRAME_WIDTH - sum(DEC_WIDTHS)


def attendance_table(rows: tuple[AttendanceRow, ...]) -> list[Flowable]:
    data = []
    for a in rows:
        sub = f"Substitute: {a.substitute}" if a.substitute else ""
        note = "; ".join(x for x in (sub, a.note) if x)
        data.append([p(a.name, "cellb"), p(a.role), p(a.status), p(note)])
    if not data:
        return [Paragraph("No attendance has been recorded.", styles()["note"])]
    return chunked_table(["Name", "Role", "Attendance", "Substitute and notes"], data, ATT_WIDTHS,
                         heading="Attendance")


def declarations_table(rows: tuple[DeclarationRow, ...]) -> list[Flowable]:
    if not rows:
        return [Paragraph("No declarations of interest have been recorded.", styles()["note"])]
    data = [[p(d.name, "cellb"), p(d.item), p(d.interest_type),
             p(d.nature + (f" Dispensation: {d.dispensation}" if d.dispensation else ""))]
            for d in rows]
    return chunked_table(["Member", "Item", "Type of interest", "Nature of the interest"], data,
                         DEC_WIDTHS, heading="Declarations of interest")


def attendance_section(rows: tuple[AttendanceRow, ...], quorum: str,
                       declarations: tuple[DeclarationRow, ...], planned: bool) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Heading(Entry("attendance", "Attendance, apologies and declarations"))]
    if planned:
        out.append(Paragraph("The meeting has not yet taken place: members are listed with any "
                             "apologies and substitutes received so far.", st["note"]))
    out += attendance_table(rows)
    out += [Spacer(1, 4), Paragraph(f"Quorum: {quorum}.", st["body"])]
    out.append(Heading(Entry("declarations", "Declarations of interest", 1, False), "h2"))
    out += declarations_table(declarations)
    if planned:
        out.append(Paragraph("Members are asked to declare any interest in an item on the agenda "
                             "at the start of the meeting.", st["note"]))
    return out
