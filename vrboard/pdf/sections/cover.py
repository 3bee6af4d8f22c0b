"""The cover: board, meeting, date and time, venue, classification, draft or final,
and whether the pack is the public version or includes exempt information."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table

from ...services.pack_rows import MeetingInfo
from ..page import FRAME_WIDTH
from ..styles import FONT_CMD, HEADER_BG, esc, styles
from ..tables import key_value_table


def cover(board: str, council: str, document: str, meeting: MeetingInfo, marking: str,
          state: str, version: str, prepared_by: str, produced: str,
          notice: str = "", *, contact: str = "", published: str = "") -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Spacer(1, 18 * mm)]
    if council:
        out.append(Paragraph(esc(council), st["cover_label"]))
    out += [Paragraph(esc(board), st["cover_board"]), Paragraph(esc(document), st["cover_title"])]
    rows = [
        ("Meeting", meeting.title),
        ("Date", meeting.starts_at.strftime("%A %d/%m/%Y")),
        ("Time", meeting.time),
        ("Venue", meeting.venue or "To be confirmed"),
        ("Chair", meeting.chair or "To be confirmed"),
        ("Status", state),
        ("Version", version),
        ("Prepared by", prepared_by),
        ("Contact officer", contact or prepared_by),
        ("Published", published or "Not recorded"),
        ("Produced", produced),
    ]
    out.append(key_value_table(rows, [42 * mm, FRAME_WIDTH - 42 * mm], large=True))
    if notice:  # issued as version N, or regenerated after an issue
        out += [Spacer(1, 4 * mm), Paragraph(f"<b>{esc(notice)}</b>", st["body"])]
    out.append(Spacer(1, 14 * mm))
    box = Table([[Paragraph(f"Security classification: {esc(marking)}", st["marking"])]],
                colWidths=[FRAME_WIDTH], style=[
                    FONT_CMD, ("BOX", (0, 0), (-1, -1), 1.5, HEADER_BG),
                    ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 10)])
    out += [box, Spacer(1, 6 * mm), Paragraph(esc(_handling(marking, version)), st["note"]),
            PageBreak()]
    return out


def _handling(marking: str, version: str) -> str:
    if version.startswith("Public"):
        return ("This is the public version. Items in Part 2 are exempt from publication and are "
                "listed by number, title and exempt paragraph only.")
    if marking != "OFFICIAL":
        return ("This version includes exempt information (Part 2). Handle it in line with its "
                "classification: do not forward it outside the board, and keep Part 2 papers "
                "out of any public pack.")
    return "This version contains no exempt information."
