"""The papers: a list of every paper, then, item by item in agenda order, each PDF paper
behind a divider page, its pages held for the merge (vrboard/pdf/merge.py). Papers that are
not PDFs (and could not be converted) are listed with a note that they are not included."""
from __future__ import annotations

from collections.abc import Mapping

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from ...services.pack_rows import PackData, PaperRow
from ..flowables import Entry, Heading, PageRef, PaperSlot
from ..page import FRAME_WIDTH
from ..paperfile import KIND_NAMES
from ..styles import esc, styles
from ..tables import chunked_table, key_value_table, p

WIDTHS = [11 * mm, 0, 40 * mm, 33 * mm, 22 * mm]
WIDTHS[1] = FRAME_WIDTH - sum(WIDTHS)


def item_key(number: int) -> str:
    return f"item-{number}"


def item_end_key(number: int) -> str:
    return f"item-{number}-end"


def not_included(r: PaperRow, converted: Mapping[int, tuple[bytes, int]]) -> str:
    """Why a paper is not in the pack ("" when it is)."""
    if r.missing:
        return "Not included: its file was not found when the database was upgraded."
    if r.kind == "pdf":
        return "" if r.data is not None and r.pages else "Not included: the file cannot be read."
    if r.id in converted:
        return ""
    return (f"Not included: a {KIND_NAMES.get(r.kind, 'file')}, not a PDF. Open it in vrboard "
            "(Meetings, Agenda, Open paper) or ask the secretariat for a copy.")


def pages_of(r: PaperRow, converted: Mapping[int, tuple[bytes, int]]) -> int:
    if not_included(r, converted):
        return 0
    return converted[r.id][1] if r.id in converted else int(r.pages or 0)


def papers(data: PackData, converted: Mapping[int, tuple[bytes, int]] | None = None) -> list[Flowable]:
    converted = converted or {}
    st = styles()
    out: list[Flowable] = [Heading(Entry("papers", "Papers"))]
    if not data.papers:
        out.append(Paragraph("No papers are attached to this agenda.", st["note"]))
        return out
    out.append(Paragraph(
        "Each paper follows its own divider page, in agenda order. The pages of the papers are "
        "numbered and marked as part of this pack; each carries a line naming the paper.",
        st["note"]))
    rows = []
    for r in data.papers:
        n = pages_of(r, converted)
        rows.append([p(r.item_number, "cellb"), p(f"{r.title} (item: {r.item_title})"),
                     p(r.file_name), p(r.classification),
                     [p(f"{n} page{'s' if n != 1 else ''}" if n else "Not included"),
                      PageRef(f"paper-{r.id}", f"paper-{r.id}-end")] if n else
                     p("Not included")])
    out += chunked_table(["Item", "Paper", "File", "Classification", "Pages"], rows, WIDTHS,
                         heading="Papers")
    if data.public:
        out.append(Paragraph("Papers of exempt (Part 2) items, and papers with a sensitive "
                             "marking, are not published.", st["note"]))
    by_item: dict[int, list[PaperRow]] = {}
    for r in data.papers:
        by_item.setdefault(r.item_number, []).append(r)
    for number, rows_in in by_item.items():
        out += _item(number, rows_in, converted)
    return out


def _item(number: int, rows: list[PaperRow], converted: Mapping[int, tuple[bytes, int]]) -> list[Flowable]:
    st = styles()
    title = f"Item {number}: {rows[0].item_title}"
    out: list[Flowable] = [PageBreak(), Heading(Entry(item_key(number), title, level=1))]
    included = [r for r in rows if pages_of(r, converted)]
    for r in rows:
        if r not in included:
            out.append(Paragraph(f"<b>{esc(r.title)}</b> ({esc(r.file_name)}). "
                                 f"{esc(not_included(r, converted))}", st["body"]))
    for n, r in enumerate(included):
        count = pages_of(r, converted)
        if n:
            out.append(PageBreak())
        out.append(Heading(Entry(f"paper-{r.id}", f"Paper: {r.title}", level=2), style="h2",
                           min_space=0))
        facts = [("Agenda item", f"{number}. {r.item_title}"), ("Paper", r.title),
                 ("File", r.file_name + (" (converted to PDF for this pack)"
                                         if r.id in converted else "")),
                 ("Pages", f"{count}"), ("Classification", r.classification),
                 ("SHA-256 of the file", r.sha256 or "")]
        out.append(key_value_table([(k, p(v)) for k, v in facts], [45 * mm, FRAME_WIDTH - 45 * mm]))
        out.append(Spacer(1, 6))
        out.append(Paragraph("The paper follows on the next page(s):", st["note"]))
        out.append(PageRef(f"paper-{r.id}-start", f"paper-{r.id}-end", size=9))
        last_paper = n == len(included) - 1
        for i in range(count):
            out.append(PageBreak())
            keys = ((f"paper-{r.id}-start",) if i == 0 else ()) + (
                (f"paper-{r.id}-end",) if i == count - 1 else ()) + (
                (item_end_key(number),) if last_paper and i == count - 1 else ())
            out.append(PaperSlot(r.id, i, count, f"Item {number}, {r.title}", keys))
    return out
