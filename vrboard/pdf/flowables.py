"""Flowables that talk to ``PackCanvas``: headings that bookmark themselves and the
contents lines whose page numbers are filled in when the canvas saves."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from .fonts import BOLD, REGULAR
from .styles import BODY_SIZE, INK, MUTED, TABLE_SIZE, esc, styles


@dataclass(frozen=True)
class Entry:
    """One heading: its bookmark key, its text and its outline level (0 or 1)."""

    key: str
    title: str
    level: int = 0
    in_contents: bool = True


class Heading(Paragraph):
    """A heading paragraph that records an outline entry and its page number.

    It moves to the next page when less than ``min_space`` points would be left under it,
    so a heading is never stranded at the foot of a page. (reportlab's keepWithNext would
    do the same by measuring the whole following table once more: far slower for a long
    action log.)
    """

    def __init__(self, entry: Entry, style: str | None = None, min_space: float = 110) -> None:
        super().__init__(esc(entry.title), styles()[style or ("h1" if entry.level == 0 else "h2")])
        self.entry = entry
        self.min_space = min_space

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width, height = super().wrap(avail_width, avail_height)
        if avail_height < height + self.min_space:
            return width, avail_height + 1  # does not fit here: the frame moves it on
        return width, height

    def split(self, avail_width: float, avail_height: float) -> list:
        return []  # a heading is never split across pages

    def draw(self) -> None:
        canv: Any = self.canv
        e = self.entry
        top = canv.absolutePosition(0, self.height)[1]
        canv.heading_pages[e.key] = canv.current_page

        def mark(c: Canvas, _page: int, _total: int) -> None:
            c.bookmarkPage(e.key, fit="XYZ", top=top + 6)
            c.addOutlineEntry(e.title, e.key, level=e.level)

        canv.defer(mark)
        super().draw()


class ContentsLine(Flowable):
    """One contents entry, wrapped over as many lines as its title needs; the page number
    and the link are drawn at save time, when every heading's page is known."""

    NUMBER_ROOM = 36  # points kept free on the right for leader dots and the page number

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry
        self.indent = 16 * entry.level
        self.font = BOLD if entry.level == 0 else REGULAR
        self.size = 12 if entry.level == 0 else BODY_SIZE
        self.leading = 19 if entry.level == 0 else 16
        self.lines: list[str] = [entry.title]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        room = avail_width - self.indent - self.NUMBER_ROOM
        self.lines = simpleSplit(self.entry.title, self.font, self.size, room) or [""]
        self.height = self.leading * len(self.lines)
        return avail_width, self.height

    def draw(self) -> None:
        canv: Any = self.canv
        x0, top = canv.absolutePosition(self.indent, self.height)
        x1, _ = canv.absolutePosition(self.width, 0)
        e, font, size, leading, lines = self.entry, self.font, self.size, self.leading, self.lines

        def fill(c: Canvas, _page: int, _total: int) -> None:
            page = str(c.heading_pages.get(e.key, ""))  # type: ignore[attr-defined]
            c.saveState()
            c.setFillColor(INK)
            c.setFont(font, size)
            y = top - leading + 4
            for line in lines:
                c.drawString(x0, y, line)
                y -= leading
            y += leading
            c.drawRightString(x1, y, page)
            start = x0 + c.stringWidth(lines[-1], font, size) + 6
            end = x1 - c.stringWidth(page, font, size) - 6
            c.setFillColor(MUTED)
            c.setFont(REGULAR, size)
            dot = c.stringWidth(". ", REGULAR, size)
            if end - start > dot:
                c.drawRightString(end, y, ". " * int((end - start) / dot))
            # A name of its own: a page replayed at save time restarts reportlab's counter.
            c.linkRect("", e.key, (x0, y - 3, x1, top - 1), name=f"toc-{e.key}", relative=0,
                       thickness=0)
            c.restoreState()

        canv.defer(fill)


class PageRef(Flowable):
    """"(Pages 23–41)": where an agenda item's papers are in the pack, written in when the
    canvas saves (the pages are laid out after the agenda). Nothing when the item has none."""

    def __init__(self, start_key: str, end_key: str, size: float = TABLE_SIZE) -> None:
        super().__init__()
        self.start_key, self.end_key, self.size = start_key, end_key, size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.size + 2.5
        return avail_width, self.height

    def draw(self) -> None:
        canv: Any = self.canv
        x, y = canv.absolutePosition(0, 2.5)
        start_key, end_key, size = self.start_key, self.end_key, self.size

        def fill(c: Canvas, _page: int, _total: int) -> None:
            pages: dict[str, int] = c.heading_pages  # type: ignore[attr-defined]
            first = pages.get(start_key)
            if first is None:
                return
            last = pages.get(end_key, first)
            c.saveState()
            c.setFillColor(INK)
            c.setFont(BOLD, size)
            c.drawString(x, y, f"(Page {first})" if last == first else f"(Pages {first}–{last})")
            c.restoreState()

        canv.defer(fill)


class PaperSlot(Flowable):
    """Holds one page of a paper: the page stays empty in the layout (furniture only) and the
    paper's page is placed into it after saving (vrboard/pdf/merge.py). Records which page it
    is on, and the page of each of ``keys`` (where a paper starts and ends) for page refs."""

    def __init__(self, paper_id: int, index: int, count: int, caption: str,
                 keys: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.paper_id, self.index, self.count = paper_id, index, count
        self.caption, self.keys = caption, keys

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, 1

    def draw(self) -> None:
        canv: Any = self.canv
        page = canv.current_page
        canv.slots[page] = (self.paper_id, self.index)
        for key in self.keys:
            canv.heading_pages[key] = page
        text = f"{self.caption}: page {self.index + 1} of {self.count}"

        def caption(c: Canvas, _page: int, _total: int) -> None:
            from .page import PAGE

            c.saveState()
            c.setFillColor(MUTED)
            c.setFont(REGULAR, TABLE_SIZE)
            c.drawCentredString(PAGE[0] / 2, 18.3 * 72 / 25.4, text[:150])
            c.restoreState()

        canv.defer(caption)
