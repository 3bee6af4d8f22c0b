"""Small, real PDF papers for the demo board and the benchmarks, drawn with reportlab when
the demo is built (no files are shipped). Each page says which paper it is and which page,
so a reader of the pack (or a test extracting its text) can tell them apart."""
from __future__ import annotations

import io
import textwrap

PARAGRAPHS = (
    "This report summarises progress since the board last met, the evidence gathered and the "
    "risks the workstream lead asks the board to note.",
    "Partners contributed data for the quarter; figures are provisional until the annual "
    "Strategic Needs Assessment is refreshed.",
    "The board is asked to note the report and agree the recommendations set out below.",
)


def make_paper(title: str, pages: int = 2, marking: str = "OFFICIAL", author: str = "",
               landscape: bool = False) -> bytes:
    """A PDF of ``pages`` A4 pages titled ``title``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as turn
    from reportlab.pdfgen.canvas import Canvas

    from .pdf.fonts import REGULAR, register_fonts

    register_fonts()
    size = turn(A4) if landscape else A4
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=size, invariant=1, initialFontName=REGULAR)
    c.setTitle(title)
    c.setAuthor(author or "vrboard demo")
    w, h = size
    for n in range(1, pages + 1):
        c.setFont(REGULAR, 9)
        c.drawCentredString(w / 2, h - 30, marking)
        c.drawCentredString(w / 2, 22, marking)
        c.setFont(REGULAR, 16 if n == 1 else 12)
        c.drawString(60, h - 80, title if n == 1 else f"{title} (continued)")
        c.setFont(REGULAR, 10)
        y = h - 110
        if n == 1 and author:
            c.drawString(60, y, f"Report of: {author}")
            y -= 24
        for para in PARAGRAPHS:
            for line in textwrap.wrap(para, 90):
                c.drawString(60, y, line)
                y -= 14
            y -= 8
        c.setFont(REGULAR, 8)
        c.drawRightString(w - 60, 40, f"Paper page {n} of {pages}")
        c.showPage()
    c.save()
    return buf.getvalue()
