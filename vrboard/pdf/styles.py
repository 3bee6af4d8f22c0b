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

BODY_SIZE = 11     # body text, notes and key lines
TABLE_SIZE = 9     # every table cell, and the smallest text outside a chart
CHART_SIZE = 8     # the smallest chart label
FURNITURE_SIZE = 9  # running header and footer


def esc(text: object) -> str:
    """Plain text made safe for a reportlab Paragraph, line breaks kept."""
    return escape(str(text)).replace("\n", "<br/>")


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    # Sizes (issue 14): body text 11 pt, tables 9 pt, nothing below 9 pt outside the charts
    # (whose labels are 8 pt or more): clear-print guidance is 12 pt, council reports 11-12 pt.
    base = ParagraphStyle("body", fontName=REGULAR, bulletFontName=REGULAR, fontSize=BODY_SIZE,
                          leading=14.5, textColor=INK, spaceAfter=5)
    s = {"body": base}

    def add(name: str, **kw: object) -> None:
        s[name] = ParagraphStyle(name, parent=base, **kw)

    cell = {"fontSize": TABLE_SIZE, "leading": 11.2, "spaceAfter": 0}
    add("h1", fontName=BOLD, fontSize=18, leading=22, spaceBefore=0, spaceAfter=9,
        textColor=HEADER_BG)
    add("h2", fontName=BOLD, fontSize=14, leading=17.5, spaceBefore=11, spaceAfter=6,
        textColor=HEADER_BG)
    add("h3", fontName=BOLD, fontSize=12, leading=15, spaceBefore=7, spaceAfter=4)
    add("small", fontSize=BODY_SIZE, leading=14, textColor=MUTED)
    add("note", fontSize=BODY_SIZE, leading=14, textColor=MUTED)
    add("cell", **cell)
    add("cellb", fontName=BOLD, **cell)
    add("head", fontName=BOLD, textColor=colors.white, **cell)
    add("cellr", alignment=TA_RIGHT, **cell)
    add("cellc", fontName=BOLD, alignment=TA_CENTER, **cell)
    add("bullet", leftIndent=14, bulletIndent=2, spaceAfter=3)
    add("toc0", fontName=BOLD, fontSize=12, leading=18)
    add("toc1", fontSize=BODY_SIZE, leading=16, leftIndent=14)
    add("cover_board", fontName=BOLD, fontSize=26, leading=32, textColor=HEADER_BG, spaceAfter=6)
    add("cover_title", fontName=BOLD, fontSize=18, leading=23, spaceAfter=16)
    add("cover_label", fontName=BOLD, fontSize=BODY_SIZE, leading=14, textColor=MUTED)
    add("cover_value", fontSize=12, leading=15.5)
    add("marking", fontName=BOLD, fontSize=14, leading=18, alignment=TA_CENTER)
    return s


def table_style(header: bool = True, zebra: bool = True) -> list[tuple]:
    """The house table style: dark header row, light rules, optional zebra rows."""
    cmds: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), TABLE_SIZE),
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
