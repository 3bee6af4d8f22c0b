"""Page furniture and the two-pass-free page numbering.

``PackCanvas`` keeps every finished page in memory and writes them all at ``save()``,
when the total is known: then it draws the classification marking (centred, top and
bottom), the board name and meeting date, "Page X of Y", the contents page numbers and
the outline bookmarks. Bookmarks must be made while the real page is current, so the
flowables only *record* them (``defer``) and the canvas replays them page by page.
One layout pass, however long the action log.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from .fonts import BOLD, REGULAR
from .styles import FURNITURE_SIZE, HEADER_BG, MUTED, RULE

PAGE = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN_X
FRAME_HEIGHT = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM
# The action log may go landscape to keep its columns wide at a readable size.
WIDE = landscape(A4)
WIDE_FRAME_WIDTH = WIDE[0] - 2 * MARGIN_X
WIDE_FRAME_HEIGHT = WIDE[1] - MARGIN_TOP - MARGIN_BOTTOM
# Where a paper's page is placed (scaled to fit, centred), clear of the page furniture.
PAPER_BOX = (MARGIN_X, 21 * mm, PAGE[0] - MARGIN_X, PAGE[1] - 20 * mm)

Deferred = Callable[[Canvas, int, int], None]


def at_frame_top(avail_height: float) -> bool:
    """Whether a flowable offered ``avail_height`` is at the top of a page's frame."""
    return any(abs(avail_height - h) < 0.5 for h in (FRAME_HEIGHT, WIDE_FRAME_HEIGHT))


@dataclass(frozen=True)
class Furniture:
    """What every page carries."""

    marking: str       # OFFICIAL or OFFICIAL-SENSITIVE
    board: str
    meeting_date: str  # dd/mm/yyyy
    document: str      # "Board pack", "Minutes" (with "(public)" where so)
    header: str = ""   # the top right, when not "<document>: meeting of <date>" (a report)
    draft: bool = False  # "DRAFT" on every page


class PackCanvas(Canvas):
    """Holds pages until save(), then numbers them and draws their furniture."""

    def __init__(self, *args: Any, furniture: Furniture, **kwargs: Any) -> None:
        kwargs.setdefault("initialFontName", REGULAR)
        super().__init__(*args, **kwargs)
        # Viewers show the document's title (its metadata), not the file name, in the title bar.
        self.setViewerPreference("DisplayDocTitle", "true")
        self.furniture = furniture
        self.pages: list[dict[str, Any]] = []
        self.deferred: list[Deferred] = []
        self.heading_pages: dict[str, int] = {}
        self.slots: dict[int, tuple[int, int]] = {}  # page -> (paper id, page of the paper)
        self.page_count = 0

    @property
    def current_page(self) -> int:
        return len(self.pages) + 1

    def defer(self, fn: Deferred) -> None:
        """Run ``fn(canvas, page, total)`` on the current page once the total is known."""
        self.deferred.append(fn)

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self.pages.append(dict(self.__dict__))
        self.deferred = []
        self._startPage()

    def save(self) -> None:
        if self._code:  # an unfinished last page
            self.showPage()
        pages = self.pages
        total = len(pages)
        for number, state in enumerate(pages, start=1):
            self.__dict__.update(state)
            for fn in state["deferred"]:
                fn(self, number, total)
            draw_furniture(self, self.furniture, number, total)
            Canvas.showPage(self)
        self.pages = []
        self.page_count = total  # after the replay, which restored each page's attributes
        Canvas.save(self)


def draw_furniture(c: Canvas, f: Furniture, page: int, total: int) -> None:
    w, h = c._pagesize  # portrait, or landscape for the action log
    c.saveState()
    c.setFillColor(HEADER_BG if f.marking == "OFFICIAL" else colors.HexColor("#9b1c1c"))
    c.setFont(BOLD, 10)
    c.drawCentredString(w / 2, h - 10 * mm, f.marking)
    c.drawCentredString(w / 2, 7 * mm, f.marking)
    c.setFillColor(MUTED)
    c.setFont(REGULAR, FURNITURE_SIZE)
    c.drawString(MARGIN_X, h - 16 * mm, f.board)
    c.drawRightString(w - MARGIN_X, h - 16 * mm, f.header or f"{f.document}: meeting of {f.meeting_date}")
    c.drawString(MARGIN_X, 13 * mm, f.document + (": DRAFT" if f.draft else ""))
    c.drawRightString(w - MARGIN_X, 13 * mm, f"Page {page} of {total}")
    if f.draft:  # on every page of a draft, beside the marking
        c.setFillColor(colors.HexColor("#9b1c1c"))
        c.setFont(BOLD, 10)
        c.drawString(MARGIN_X, h - 10 * mm, "DRAFT")
        c.drawRightString(w - MARGIN_X, h - 10 * mm, "DRAFT")
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    c.line(MARGIN_X, h - 18 * mm, w - MARGIN_X, h - 18 * mm)
    c.line(MARGIN_X, 16.5 * mm, w - MARGIN_X, 16.5 * mm)
    c.restoreState()


class PackDoc(BaseDocTemplate):
    """A4 portrait, one frame; metadata and language set on the canvas."""

    def __init__(self, filename: Any, *, furniture: Furniture, title: str, author: str,
                 subject: str, keywords: str = "") -> None:
        super().__init__(
            filename, pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title, author=author,
            subject=subject, keywords=keywords, creator="vrboard", producer="vrboard (reportlab)",
            lang="en-GB", initialFontName=REGULAR, invariant=0,
        )
        self.furniture = furniture
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT,
                      id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        wide = Frame(MARGIN_X, MARGIN_BOTTOM, WIDE_FRAME_WIDTH, WIDE_FRAME_HEIGHT,
                     id="wide", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=PAGE),
                               PageTemplate(id="wide", frames=[wide], pagesize=WIDE)])
        self.page_count = 0
        self.slots: dict[int, tuple[int, int]] = {}

    def build_story(self, story: list, on_progress: Callable[[int, int], None] | None = None) -> int:
        """Lay the story out in one pass; returns the number of pages."""
        from reportlab import rl_config

        # Compressed page streams stay binary: ASCII85 on top (reportlab's default) makes them
        # a quarter larger and, without reportlab's C accelerator, costs ~4 ms a page.
        rl_config.useA85 = 0
        holder: dict[str, PackCanvas] = {}

        def maker(*args: Any, **kwargs: Any) -> PackCanvas:
            holder["c"] = PackCanvas(*args, furniture=self.furniture, **kwargs)
            return holder["c"]

        if on_progress is not None:
            size = {"n": 1}

            def cb(kind: str, value: int) -> None:
                if kind == "SIZE_EST":
                    size["n"] = max(1, value)
                elif kind == "PROGRESS":
                    on_progress(value, size["n"])

            self.setProgressCallBack(cb)
        self.build(story, canvasmaker=maker)
        self.page_count = holder["c"].page_count
        self.slots = holder["c"].slots
        return self.page_count
