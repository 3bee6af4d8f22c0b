"""The contents page: every section and workstream, with page numbers and links."""
from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak, Paragraph

from ..flowables import ContentsLine, Entry
from ..styles import styles


def contents(entries: list[Entry]) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("Contents", styles()["h1"])]
    out += [ContentsLine(e) for e in entries if e.in_contents]
    out.append(PageBreak())
    return out
