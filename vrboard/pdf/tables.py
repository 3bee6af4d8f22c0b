"""Tables that stay fast and readable however long they get.

reportlab lays out one Table in time that grows with the square of its rows (measured:
10,000 rows 38 s in one table, 10.8 s in tables of 100), so long tables are cut into
chunks of ``CHUNK`` rows, each repeating the header row on every page it runs onto.
Cells are Paragraphs, so long titles wrap instead of running into the next column.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.platypus import Flowable, Paragraph, Table

from .styles import esc, styles, table_style

CHUNK = 100

Cell = Any  # a Paragraph, a string or a Flowable
RowStyle = Callable[[int, int], list[tuple]]  # (row index in the data, row in this table) -> cmds


def p(text: object, style: str = "cell") -> Paragraph:
    return Paragraph(esc(text), styles()[style])


def header_row(titles: Sequence[str]) -> list[Paragraph]:
    return [Paragraph(esc(t), styles()["head"]) for t in titles]


def chunked_table(headers: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[float],
                  row_style: RowStyle | None = None, chunk: int = CHUNK,
                  extra: Sequence[tuple] = ()) -> list[Flowable]:
    """The rows as consecutive tables of at most ``chunk`` rows, header repeated."""
    head = header_row(headers)
    out: list[Flowable] = []
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        cmds = table_style() + list(extra)
        if row_style is not None:
            for n in range(len(part)):
                cmds += row_style(start + n, n + 1)
        t = Table([head, *part], colWidths=list(widths), repeatRows=1, style=cmds, hAlign="LEFT")
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
