"""Reviews and recommendations (workstreams 2 and 3): per review, the recommendations
accepted, implemented and overdue, then each recommendation with the board's response, its
state and the actions carrying it out."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from ...services.pack_reviews import ReviewRow
from ...services.pack_rows import PackData
from ..flowables import Entry, Heading
from ..page import FRAME_WIDTH
from ..styles import styles
from ..tables import chunked_table, key_value_table, p

WIDTHS = [10 * mm, 0, 36 * mm, 26 * mm, 21 * mm, 34 * mm]
WIDTHS[1] = FRAME_WIDTH - sum(WIDTHS)


def _review(n: int, r: ReviewRow) -> list[Flowable]:
    st = styles()
    head = Heading(Entry(f"review-{n}", r.title, 1), "h2")
    if r.withheld:
        return [KeepTogether([head, Paragraph(
            f"{r.kind} ({r.workstream}). {r.status}; its recommendations are in the full pack.",
            st["note"])])]
    facts = [("Kind", r.kind + (" (OFFICIAL-SENSITIVE)" if r.exempt else "")),
             ("Workstream", r.workstream), ("Status", r.status),
             ("Commissioned", r.commissioned or "Not recorded"),
             ("Reporting date", r.reporting or "Not set"),
             ("Report", r.report or "Not yet attached"),
             ("Recommendations", f"{r.recommendations}: {r.accepted} accepted (in whole or in part), "
                                 f"{r.implemented} implemented, {r.overdue} overdue")]
    out: list[Flowable] = [KeepTogether([head, key_value_table(facts, [34 * mm, FRAME_WIDTH - 34 * mm])])]
    if not r.rows:
        out.append(Paragraph("No recommendations yet: the review has not reported.", st["note"]))
        return out
    rows = [[p(x.number, "cellb"), p(x.text), p(x.response), p(x.state),
             p(x.due + (" OVERDUE" if x.overdue else "") if x.due else "None"),
             p(x.actions or "None")] for x in r.rows]
    out += chunked_table(["No.", "Recommendation", "Board's response", "State", "Due",
                          "Actions carrying it out"], rows, WIDTHS)
    return out


def reviews_section(data: PackData) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Heading(Entry("reviews", "Reviews and recommendations"))]
    if not data.reviews:
        out.append(Paragraph("No reviews have been commissioned.", st["note"]))
        return out
    out.append(Paragraph("Reviews of services (workstream 2) and the Homicide and Serious Violence "
                         "Case Review (workstream 3). A recommendation is overdue when the board "
                         "accepted it, it is still open and its due date has passed.", st["note"]))
    for n, r in enumerate(data.reviews, start=1):
        out += _review(n, r)
    return out
