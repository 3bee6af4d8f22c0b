"""Workstream highlight reports: lead, progress, RAG counts with a chart, what moved since
the last meeting and what is at risk."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from ...model import RAG
from ...services.common import uk_date
from ...services.pack_rows import Highlight, PackData
from ..charts import rag_chart
from ..flowables import Entry, Heading
from ..page import FRAME_WIDTH
from ..styles import FONT_CMD, esc, styles
from ..tables import key_value_table

CHART_W = 190


def _facts(h: Highlight) -> Table:
    rag = ", ".join(f"{h.by_rag.get(r, 0)} {r.label.lower()}" for r in RAG)
    rows = [
        ("Lead", h.lead or "Not assigned"),
        ("Progress", f"{h.mean_percent:.0f}% average across its actions"),
        ("Open actions", f"{h.open} ({rag})"),
        ("Overdue", str(h.overdue)),
        ("Awaiting sign-off", str(h.awaiting)),
        ("Completed and signed off since the last meeting", str(h.completed_since)),
    ]
    return key_value_table(rows, [46 * mm, FRAME_WIDTH - CHART_W - 48 * mm - 6])


def highlight(h: Highlight, since: str) -> list[Flowable]:
    st = styles()
    top = Table([[_facts(h), rag_chart(h.by_rag, CHART_W)]],
                colWidths=[FRAME_WIDTH - CHART_W - 4, CHART_W + 4],
                style=[FONT_CMD, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                       ("RIGHTPADDING", (0, 0), (-1, -1), 0)], hAlign="LEFT")
    out: list[Flowable] = [Heading(Entry(f"ws-{h.code}", f"{h.code} {h.name}", 1), "h2"), top]
    moved: list[Flowable] = [Paragraph(f"What moved {since}", st["h3"])]
    if h.moved:
        moved += [Paragraph(f"<b>{esc(m.reference)}</b> ({uk_date(m.on)}): {esc(m.text)}",
                            st["bullet"], bulletText="•") for m in h.moved]
        if h.moved_total > len(h.moved):
            moved.append(Paragraph(f"… and {h.moved_total - len(h.moved)} earlier change(s); "
                                   "the action log has every action's latest position.", st["note"]))
    else:
        moved.append(Paragraph(f"Nothing was reported {since}.", st["note"]))
    out.append(KeepTogether(moved[:3]))
    out += moved[3:]
    risk: list[Flowable] = [Paragraph("What is at risk", st["h3"])]
    if h.at_risk:
        for a in h.at_risk:
            why = []
            if a.rag is RAG.RED:
                why.append("red")
            if a.overdue:
                why.append(f"overdue since {uk_date(a.due)}")
            if a.inconsistent:
                why.append("still reported green")
            risk.append(Paragraph(f"<b>{esc(a.reference)}</b> {esc(a.title)} "
                                  f"({esc(a.owner or 'no owner')}; {esc(', '.join(why))})",
                                  st["bullet"], bulletText="•"))
        if h.at_risk_total > len(h.at_risk):
            risk.append(Paragraph(f"… and {h.at_risk_total - len(h.at_risk)} more in the action log.",
                                  st["note"]))
    else:
        risk.append(Paragraph("No open action is red or overdue.", st["note"]))
    out.append(KeepTogether(risk[:2]))
    out += risk[2:]
    return out


def highlights(data: PackData) -> list[Flowable]:
    since = f"since the last meeting ({data.since:%d/%m/%Y})" if data.since else "to date"
    out: list[Flowable] = [Heading(Entry("highlights", "Workstream highlight reports"))]
    out.append(Paragraph("One report per workstream. Counts are of open actions; the chart shows "
                         "them by RAG status.", styles()["note"]))
    for h in data.highlights:
        out += highlight(h, since)
    return out
