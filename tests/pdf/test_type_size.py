"""Readable type (issue 14), measured from the PDFs: body text 11 pt or more, tables 9 pt or
more, chart labels 8 pt or more; the action log on landscape pages; "Draft" on every page
of a draft; the viewer shows the document title."""
from __future__ import annotations

import re

import pytest

from .conftest import Doc

BODY, TABLE, CHART = 11, 9, 8
# The caption under each page of a paper merged into the pack: the page itself is the paper's.
PAPER_PAGE = re.compile(r"Item \d+, .*: page \d+ of \d+")
# What a trend chart writes at 8 pt: the periods ("Q1" over "25/26") and the axis values.
CHART_LABEL = re.compile(r"Q\d|\d\d/\d\d|[\d,.]+")


def runs(page: object) -> list[tuple[float, str]]:
    """(size in points, text) of each text run on a page: the font size in the text matrix,
    scaled by the text and current transformation matrices."""
    out: list[tuple[float, str]] = []

    def visit(text: str, cm: list, tm: list, _font: object, size: float) -> None:
        if not text.strip():
            return
        c = tm[2] * cm[0] + tm[3] * cm[2]
        d = tm[2] * cm[1] + tm[3] * cm[3]
        out.append((round(float(size) * (c * c + d * d) ** 0.5, 2), text.strip()))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return out


def own_pages(doc: Doc) -> list[list[tuple[float, str]]]:
    """The text runs of each page vrboard laid out (not the pages of merged papers)."""
    return [runs(p) for p, text in zip(doc.reader.pages, doc.pages, strict=True)
            if not PAPER_PAGE.search(text)]


def size_of(pages: list[list[tuple[float, str]]], phrase: str) -> float:
    sizes = [s for page in pages for s, t in page if phrase in t]
    assert sizes, f"{phrase!r} not found"
    return min(sizes)


@pytest.mark.parametrize("name", ["pack", "pack_public", "pack2", "minutes1", "minutes2"])
def test_nothing_is_below_the_minimums(docs: dict[str, Doc], name: str) -> None:
    pages = own_pages(docs[name])
    assert pages
    small = [(s, t) for page in pages for s, t in page if s < TABLE]
    assert all(s >= CHART for s, _t in small), small
    # Below table size only chart labels (the periods and values of a trend chart).
    assert all(CHART_LABEL.fullmatch(t) for _s, t in small), small


def test_body_tables_and_charts_measured_in_the_pack(docs: dict[str, Doc]) -> None:
    pages = own_pages(docs["pack"])
    # Body text: the action log's summary, the quorum line, the agenda's Part 2
    # recommendation, a highlight report's bullets, the cover's handling note.
    for phrase in ("open actions,", "Quorum:", "section 100A(4)", "What moved",
                   "This version includes exempt information"):
        assert size_of(pages, phrase) >= BODY, phrase
    # Tables: column heads, an action's reference and the agenda's sub-lines (papers).
    for phrase in ("Latest update", "BS-001", "Papers:", "Presenter"):
        assert size_of(pages, phrase) >= TABLE, phrase
    # Charts: the RAG chart's labels and a trend chart's periods.
    assert size_of(pages, "Amber") >= TABLE
    assert size_of(pages, "Q1") >= CHART
    # Running header and footer.
    assert size_of(pages, "Page 1 of") >= TABLE


def test_minutes_body_is_eleven_point(docs: dict[str, Doc]) -> None:
    pages = own_pages(docs["minutes2"])
    for phrase in ("Began at", "Quorum:", "RESOLVED: That under section 100A(4)"):
        assert size_of(pages, phrase) >= BODY, phrase


def test_action_log_is_landscape_and_the_rest_portrait(docs: dict[str, Doc]) -> None:
    doc = docs["pack"]
    wide = [n for n, p in enumerate(doc.reader.pages)
            if float(p.mediabox.width) > float(p.mediabox.height)]
    assert wide, "the action log should be on landscape pages"
    assert wide == list(range(wide[0], wide[-1] + 1))  # one run of pages
    assert "Action log" in doc.pages[wide[0]]
    assert "Workstream highlight reports" in doc.pages[wide[-1] + 1]


def test_draft_on_every_page_and_the_title_shown(docs: dict[str, Doc]) -> None:
    for name in ("pack", "minutes2"):  # a draft pack; unsigned minutes
        doc = docs[name]
        assert all("DRAFT" in t for t in doc.pages), name
        prefs = doc.reader.trailer["/Root"]["/ViewerPreferences"]
        assert bool(prefs["/DisplayDocTitle"]) is True
    # Signed minutes are no draft.
    assert not any("DRAFT" in t for t in docs["minutes1"].pages)
