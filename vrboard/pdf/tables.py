"""Tables that stay fast and readable however long they get.

reportlab lays out one Table in time that grows with the square of its rows (measured:
10,000 rows 38 s in one table, 10.8 s in tables of 100), so long tables are cut into
chunks of ``CHUNK`` rows, each repeating the header row on every page it runs onto.
Cells are Paragraphs, so long titles wrap instead of running into the next column.

A table that runs onto another page also repeats its heading there, marked "(continued)"
(``HeadedTable``), as does a later chunk that happens to start at the top of a page.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table

from .fonts import BOLD
from .styles import HEADER_BG, esc, styles, table_style

CHUNK = 100

Cell = Any  # a Paragraph, a string or a Flowable
RowStyle = Callable[[int, int], list[tuple]]  # (row index in the data, row in this table) -> cmds


CONTINUED_SIZE = 12    # the "(continued)" heading over a table's next part
CONTINUED_ROOM = 20    # points it takes above the table


class HeadedTable(Table):
    """A table that says what it continues: each part after a page break carries
    "<heading> (continued)" above its repeated header row. ``heading`` is the table's heading;
    ``later_chunk`` marks the second and later chunks of one long table (see chunked_table),
    which say so only when they start at the top of a page."""

    heading = ""
    later_chunk = False
    continues = False   # this part runs on from the page before
    _caption = False    # the caption is drawn for the present layout

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        from .page import at_frame_top

        self._caption = bool(self.heading) and (self.continues or (
            self.later_chunk and at_frame_top(avail_height)))
        extra = CONTINUED_ROOM if self._caption else 0
        width, height = super().wrap(avail_width, avail_height - extra)
        return width, height + extra

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        extra = CONTINUED_ROOM if self.heading and self.continues else 0
        parts = super().split(avail_width, avail_height - extra)
        for n, part in enumerate(parts):
            part.heading = self.heading
            part.later_chunk = self.later_chunk and n == 0
            part.continues = self.continues if n == 0 else True
        return parts

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        if self._caption:
            canvas.saveState()
            canvas.setFillColor(HEADER_BG)
            canvas.setFont(BOLD, CONTINUED_SIZE)
            canvas.drawString(x, y + self._height + 6, f"{self.heading} (continued)")
            canvas.restoreState()
        super().drawOn(canvas, x, y, _sW)


def p(text: object, style: str = "cell") -> Paragraph:
    return Paragraph(esc(text), styles()[style])


def header_row(titles: Sequence[str]) -> list[Paragraph]:
    return [Paragraph(esc(t), styles()["head"]) for t in titles]


def chunked_table(headers: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[float],
                  row_style: RowStyle | None = None, chunk: int = CHUNK,
                  extra: Sequence[tuple] = (), heading: str = "") -> list[Flowable]:
    """The rows as consecutive tables of at most ``chunk`` rows, header repeated; on a page it
    runs onto, ``heading`` is repeated too, marked "(continued)"."""
    head = header_row(headers)
    out: list[Flowable] = []
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        cmds = table_style() + list(extra)
        if row_style is not None:
            for n in range(len(part)):
                cmds += row_style(start + n, n + 1)
        t = HeadedTable([head, *part], colWidths=list(widths), repeatRows=1, style=cmds,
                        hAlign="LEFT")
        t.heading, t.later_chunk = heading, start > 0
        out.append(t)
    return out


def key_value_table(pairs: Sequence[tuple[str, Cell]], widths: Sequence[float],
                    large: bool = False) -> Table:
    """Label / value rows without a header (cover, highlight facts)."""
    label, value = ("cover_label", "cover_value") if large else ("cellb", "cell")
    data = [[p(k, label), v if isinstance(v, Flowable) else p(v, value)] for k, v in pairs]
    cmds = table_style(header=False, zebra=False)
    if large:
        cmds += [("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
    return Table(data, colWidths=list(widths), style=cmds, hAlign="LEFT")
