"""Minutes for signature: attendance, declarations, each item's minute with its decisions
and actions, and the chair's signature block (or who signed and when, once signed)."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ..progress import Progress, report
from ..services.pack_data import minutes_data
from ..services.pack_rows import MinutesData
from .result import PackResult


@dataclass
class DigitalSignature:
    """Asks ``build_minutes`` to leave room for the chair's digital signature under the
    signature block; ``slot`` is then filled with (page index, (x1, y1, x2, y2)) in points."""

    certificate: str
    slot: list[tuple[int, tuple[float, float, float, float]]] = field(default_factory=list)


def _slot_flowable(digital: DigitalSignature, width: float, height: float):  # noqa: ANN202
    from reportlab.platypus import Spacer

    class SignatureSlot(Spacer):
        """Empty room that records where it was drawn (the last layout pass wins)."""

        def drawOn(self, canvas, x, y, _sW=0):  # noqa: ANN001, N802 - reportlab's API
            digital.slot[:] = [(canvas.getPageNumber() - 1, (x, y, x + width, y + height))]
            super().drawOn(canvas, x, y, _sW)

    return SignatureSlot(width, height)


def signature_block(d: MinutesData, digital: DigitalSignature | None = None,
                    original: str = "") -> list:
    """``original``: where the digitally signed original is, on a copy built again later."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

    from .page import FRAME_WIDTH
    from .styles import FONT_CMD, HEADER_BG, RULE, esc, styles

    st = styles()
    head = Paragraph("Signature", st["h2"])
    if d.signed.signed and d.signed.at is not None:
        at = d.signed.at.astimezone()
        rows = [[Paragraph("<b>Signed as a correct record</b>", st["body"])],
                [Paragraph(f"Chair: {esc(d.signed.by)}", st["body"])],
                [Paragraph(f"Signed in vrboard on {at:%d/%m/%Y} at {at:%H:%M}"
                           + (f", at the meeting of {d.signed.approved_at}" if d.signed.approved_at
                              else "") + ".", st["body"])],
                [Paragraph("These minutes are locked: the record of the meeting can no longer be "
                           "changed.", st["note"])]]
        if original:
            rows.insert(3, [Paragraph(esc(original), st["body"])])
        if digital is not None:
            rows.insert(3, [Paragraph(
                f"Digitally signed with the certificate of {esc(digital.certificate)}. Any change "
                "to this file breaks the signature: check it in a PDF reader's signature panel.",
                st["body"])])
        box = Table(rows, colWidths=[FRAME_WIDTH], style=[
            FONT_CMD, ("BOX", (0, 0), (-1, -1), 1.2, HEADER_BG), ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (0, 0), 8), ("BOTTOMPADDING", (0, -1), (-1, -1), 8)])
        if digital is None:
            return [KeepTogether([head, box])]
        return [KeepTogether([head, box, Spacer(1, 2 * mm),
                              _slot_flowable(digital, FRAME_WIDTH, 16 * mm)])]
    line = [FONT_CMD, ("LINEBELOW", (1, 0), (1, 0), 0.8, RULE), ("LINEBELOW", (3, 0), (3, 0), 0.8, RULE),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, 0), (-1, -1), 22)]
    sig = Table([[Paragraph("Chair", st["body"]), "", Paragraph("Date", st["body"]), ""]],
                colWidths=[18 * mm, 90 * mm, 16 * mm, FRAME_WIDTH - 124 * mm], style=line,
                hAlign="LEFT")
    return [KeepTogether([
        head, Paragraph("Draft minutes for approval as a correct record at the next meeting. Not "
                        "yet signed.", st["body"]), Spacer(1, 4), sig])]


def build_minutes(session: Session, meeting_id: int, out_path: str | os.PathLike[str], *,
                  public: bool = False, progress: Progress | None = None,
                  today: dt.date | None = None,
                  digital: DigitalSignature | None = None) -> PackResult:
    """Write the minutes of ``meeting_id`` to ``out_path`` (public version with ``public``).
    With ``digital``, signed minutes leave room for the digital signature (see there).
    A meeting not yet held (or cancelled) has no minutes: RuleViolation, before any file."""
    from reportlab.platypus import Paragraph, Spacer

    from ..errors import RuleViolation
    from ..model import Meeting
    from ..services.common import get
    from ..services.minute_record import minutes_refusal
    from .page import Furniture
    from .render import check_target, write_pdf
    from .sections.attendance import attendance_table, declarations_table
    from .sections.minute_items import minute_items
    from .styles import esc, styles

    refusal = minutes_refusal(get(session, Meeting, meeting_id, "meeting"))
    if refusal:
        raise RuleViolation(refusal)
    out = check_target(out_path)
    report(progress, 0, 5, "Gathering the minutes")
    d = minutes_data(session, meeting_id, public=public, today=today)
    original = ""
    if digital is None and d.signed.signed:
        from ..model import DocumentKind
        from ..services.documents import latest

        doc = latest(session, meeting_id, DocumentKind.SIGNED_MINUTES)
        if doc is not None:
            original = (f"This copy was produced on {dt.date.today():%d/%m/%Y} from the current "
                        f"record and carries no signature; the digitally signed original is "
                        f"issued document {doc.id} of {doc.issued_at.astimezone():%d/%m/%Y}.")
    m = d.meeting
    state = "Signed" if d.signed.signed else "Draft, for approval"

    def story() -> list:
        st = styles()
        report(progress, 1, 5, "Preparing the minutes")
        body: list = [Paragraph(esc(d.board), st["cover_label"]),
                      Paragraph(f"Minutes of the meeting held on {m.starts_at:%A %d/%m/%Y}",
                                st["h1"]),
                      Paragraph((f"Began at {m.time} and closed at {m.end_time}" if m.end_time
                                 else f"Began at {m.time} (the closing time was not recorded)")
                                + (f". Venue: {esc(m.venue)}" if m.venue else "") + ". "
                                f"Chair: {esc(m.chair or 'not recorded')}. Status: {state}."
                                + (" Public version." if public else ""), st["body"]),
                      Paragraph("Attendance", st["h2"])]
        body += attendance_table(d.attendance)
        body += [Spacer(1, 4), Paragraph(f"Quorum: {esc(d.quorum)}.", st["body"])]
        body.append(Paragraph("Declarations of interest", st["h2"]))
        body += declarations_table(d.declarations)
        body.append(Paragraph("Minutes", st["h2"]))
        body += minute_items(d)
        report(progress, 2, 5, "Preparing the signature block")
        body += signature_block(d, digital, original)
        return body

    doc_name = "Minutes (public)" if public else "Minutes"
    pages = write_pdf(
        out, story, furniture=Furniture(d.classification, d.board, m.date, doc_name,
                                        draft=not d.signed.signed),
        title=f"{d.board}: minutes of {m.date}" + (" (public)" if public else ""),
        author=f"{d.secretariat}, {d.board}",
        subject=f"Minutes of the meeting of {m.date}; {state.lower()}; classification "
                f"{d.classification}", keywords=f"minutes, {m.date}, {d.classification}", progress=progress,
        steps_done=3, steps_total=4)
    return PackResult(out, pages, public)
