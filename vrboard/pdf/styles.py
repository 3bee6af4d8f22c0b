"""Paragraph styles, colours and table styles shared by every section."""
from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from ..model import RAG
from .fonts import BOLD, REGULAR, register_fonts

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#9aa5b1")
HEADER_BG = colors.HexColor("#243b53")
ZEBRA = colors.HexColor("#f0f4f8")
OVERDUE = colors.HexColor("#b42318")
RAG_FILL = {RAG.RED: colors.HexColor("#c62828"), RAG.AMBER: colors.HexColor("#f5a623"),
            RAG.GREEN: colors.HexColor("#2e7d32")}
# Text on the RAG fill: white on red and green, black on amber (contrast above 4.5:1).
RAG_TEXT = {RAG.RED: colors.white, RAG.AMBER: colors.black, RAG.GREEN: colors.white}


# Every table names the embedded font, or reportlab falls back to (unembedded) Helvetica.
FONT_CMD = ("FONTNAME", (0, 0), (-1, -1), REGULAR)


def esc(text: object) -> str:
    """Plain text made safe for a reportlab Paragraph, line breaks kept."""
    return escape(str(text)).replace("\n", "<br/>")


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, bulletFontName=REGULAR, fontSize=9.5, leading=12.5,
                          textColor=INK,
                          spaceAfter=4)
    s = {"body": base}

    def add(name: str, **kw: object) -> None:
        s[name] = ParagraphStyle(name, parent=base, **kw)

    add("h1", fontName=BOLD, fontSize=16, leading=20, spaceBefore=0, spaceAfter=8,
        textColor=HEADER_BG)
    add("h2", fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=5,
        textColor=HEADER_BG)
    add("h3", fontName=BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3)
    add("small", fontSize=8, leading=10, textColor=MUTED)
    add("note", fontSize=9, leading=12, textColor=MUTED)
    add("cell", fontSize=7.5, leading=9.2, spaceAfter=0)
    add("cellb", fontName=BOLD, fontSize=7.5, leading=9.2, spaceAfter=0)
    add("head", fontName=BOLD, fontSize=7.5, leading=9.2, spaceAfter=0, textColor=colors.white)
    add("cellr", fontSize=7.5, leading=9.2, spaceAfter=0, alignment=TA_RIGHT)
    add("cellc", fontName=BOLD, fontSize=7.5, leading=9.2, spaceAfter=0, alignment=TA_CENTER)
    add("bullet", leftIndent=12, bulletIndent=2, spaceAfter=2)
    add("toc0", fontName=BOLD, fontSize=10, leading=16)
    add("toc1", fontSize=9.5, leading=14, leftIndent=14)
    add("cover_board", fontName=BOLD, fontSize=24, leading=30, textColor=HEADER_BG, spaceAfter=6)
    add("cover_title", fontName=BOLD, fontSize=16, leading=21, spaceAfter=18)
    add("cover_label", fontName=BOLD, fontSize=10, leading=14, textColor=MUTED)
    add("cover_value", fontSize=12, leading=16)
    add("marking", fontName=BOLD, fontSize=14, leading=18, alignment=TA_CENTER)
    return s


def table_style(header: bool = True, zebra: bool = True) -> list[tuple]:
    """The house table style: dark header row, light rules, optional zebra rows."""
    cmds: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        cmds += [("BACKGROUND", (0, 0), (-1, 0), HEADER_BG), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                 ("FONTNAME", (0, 0), (-1, 0), BOLD)]
    if zebra:
        cmds.append(("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [colors.white, ZEBRA]))
    return cmds
