"""The performance framework: each indicator's target, latest value and trend chart."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from ...services.pack_rows import IndicatorRow, PackData
from ..charts import _fmt, trend_chart
from ..flowables import Entry, Heading
from ..page import FRAME_WIDTH
from ..styles import FONT_CMD, esc, styles
from ..tables import chunked_table, p

SUMMARY_WIDTHS = [14 * mm, 0, 16 * mm, 32 * mm, 22 * mm, 27 * mm]
SUMMARY_WIDTHS[1] = FRAME_WIDTH - sum(SUMMARY_WIDTHS)


def _latest(i: IndicatorRow) -> str:
    if i.latest is None:
        return "No data"
    period, value = i.latest
    return f"{_fmt(value)} ({period})"


def _card(i: IndicatorRow, width: float) -> list[Flowable]:
    st = styles()
    direction = "higher is better" if i.higher_is_better else "lower is better"
    return [Paragraph(f"<b>{esc(i.code)} {esc(i.name)}</b>", st["body"]),
            Paragraph(f"{esc(i.unit)}; {direction}. {esc(i.trend)}; {esc(i.status.lower())}.",
                      st["note"]),
            trend_chart(i.series, i.target, width=width - 8)]


def performance(data: PackData) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Heading(Entry("performance", "Performance framework"))]
    if not data.indicators:
        out.append(Paragraph("No indicators have been set up.", st["note"]))
        return out
    rows = [[p(i.code, "cellb"), p(f"{i.name} ({i.unit})" if i.unit else i.name),
             p(_fmt(i.target) if i.target is not None else "None"), p(_latest(i)), p(i.trend),
             p(i.status)] for i in data.indicators]
    out += chunked_table(["Code", "Indicator", "Target", "Latest", "Trend", "Status"], rows,
                         SUMMARY_WIDTHS, heading="Performance framework")
    out.append(Paragraph("Trends", st["h3"]))
    half = FRAME_WIDTH / 2
    cards = [_card(i, half) for i in data.indicators]
    for n in range(0, len(cards), 2):
        pair = cards[n:n + 2]
        row = [pair[0], pair[1] if len(pair) > 1 else ""]
        out.append(KeepTogether(Table([row], colWidths=[half, half], hAlign="LEFT", style=[
            FONT_CMD, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8)])))
    return out
