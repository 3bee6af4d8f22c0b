"""The annual report under the Serious Violence Duty for one financial year: cover, contents,
the Duty, progress by workstream, reviews and recommendations, community engagement, the
performance framework against targets with trends, and the disproportionality findings. The
pack's page furniture, styles and tables; the public version follows the public pack's rules
(services/annual_report.py)."""
from __future__ import annotations

import datetime as dt
import os
from types import SimpleNamespace

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table
from sqlalchemy.orm import Session

from ..services.annual_report import AnnualReport, annual_report_data
from ..services.pack_rows import IndicatorRow
from .charts import _fmt
from .flowables import Entry, Heading
from .page import FRAME_WIDTH, Furniture
from .result import PackResult
from .styles import FONT_CMD, HEADER_BG, esc, styles
from .tables import chunked_table, key_value_table, p

SECTIONS = ("serious violence duty", "progress by workstream", "reviews and recommendations",
            "community engagement", "performance framework", "disproportionality")
WS_WIDTHS = [14 * mm, 0, 17 * mm, 22 * mm, 14 * mm, 17 * mm, 22 * mm]
WS_WIDTHS[1] = FRAME_WIDTH - sum(WS_WIDTHS)
GROUP_WIDTHS = [18 * mm, 0, 24 * mm, 40 * mm, 20 * mm, 20 * mm]
GROUP_WIDTHS[1] = FRAME_WIDTH - sum(GROUP_WIDTHS)


def _cover(r: AnnualReport, marking: str, version: str) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Spacer(1, 18 * mm)]
    if r.council:
        out.append(Paragraph(esc(r.council), st["cover_label"]))
    out += [Paragraph(esc(r.board), st["cover_board"]),
            Paragraph(f"Annual report {esc(r.year)}", st["cover_title"]),
            key_value_table([("Year", f"{r.start:%d/%m/%Y} to {r.end:%d/%m/%Y}"),
                             ("Figures as at", f"{r.as_at:%d/%m/%Y}"), ("Version", version),
                             ("Under", "The Serious Violence Duty (Police, Crime, Sentencing and "
                                       "Courts Act 2022)")],
                            [35 * mm, FRAME_WIDTH - 35 * mm], large=True), Spacer(1, 14 * mm),
            Table([[Paragraph(f"Security classification: {esc(marking)}", st["marking"])]],
                  colWidths=[FRAME_WIDTH], style=[FONT_CMD, ("BOX", (0, 0), (-1, -1), 1.5, HEADER_BG),
                                                  ("TOPPADDING", (0, 0), (-1, -1), 8),
                                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 10)])]
    if r.public:
        out.append(Paragraph("This is the public version: actions raised in Part 2 are left out of "
                             "every count, and an exempt review is named by its kind only.", st["note"]))
    return out + [PageBreak()]


def _duty(r: AnnualReport) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Heading(Entry("duty", "The Serious Violence Duty")),
                           Paragraph("Local definition of serious violence", st["h3"]),
                           Paragraph(esc(r.local_definition or "Not yet recorded by the partnership."),
                                     st["body"])]
    rows = [[p(i.what, "cellb"), p(i.state), p(i.detail)] for i in r.duty]
    return out + chunked_table(["Requirement", "State", "Detail"], rows,
                               [55 * mm, 25 * mm, FRAME_WIDTH - 80 * mm])


def _workstreams(r: AnnualReport) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Heading(Entry("workstreams", "Progress by workstream"))]
    done = sum(w.completed for w in r.workstreams)
    out.append(Paragraph(f"{sum(w.actions for w in r.workstreams)} actions (not dropped); {done} "
                         f"completed in {esc(r.year)}; {sum(w.overdue for w in r.workstreams)} open "
                         f"and overdue at {r.as_at:%d/%m/%Y}."
                         + (f" {r.withheld_actions} action(s) raised in Part 2 are not counted."
                            if r.withheld_actions else ""), st["body"]))
    rows = [[p(w.code, "cellb"), p(w.name), p(w.actions), p(w.completed), p(w.open), p(w.overdue),
             p(f"{w.average_percent:.0f}%")] for w in r.workstreams]
    return out + chunked_table(["Code", "Workstream", "Actions", "Completed in year", "Open",
                                "Overdue", "Average % complete"], rows, WS_WIDTHS)


def _reviews(r: AnnualReport) -> list[Flowable]:
    from .sections.reviews import _review

    st = styles()
    out: list[Flowable] = [Heading(Entry("reviews", "Reviews and recommendations"))]
    if not r.reviews:
        return out + [Paragraph("No reviews have been commissioned.", st["note"])]
    for n, row in enumerate(r.reviews, start=1):
        out += _review(n, row)
    return out


def _community(r: AnnualReport) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Heading(Entry("community", "Community engagement"))]
    c = r.community
    if c is None:
        return out + [Paragraph("No community conversations, Community Champions workshops, youth "
                                "panel sessions or training of community members were recorded "
                                "in this year.", st["note"])]
    out.append(key_value_table([("Sessions held", str(c.sessions)), ("People reached", str(c.people_reached)),
                                ("Community members trained", str(c.members_trained))],
                               [60 * mm, FRAME_WIDTH - 60 * mm]))
    return out + [Paragraph(esc(n), st["note"]) for n in c.notes]


def _performance(r: AnnualReport) -> list[Flowable]:
    from .sections.indicators import performance

    rows = tuple(IndicatorRow(i.code, i.name, i.unit, i.higher_is_better, i.target, i.series)
                 for i in r.indicators)
    out = performance(SimpleNamespace(indicators=rows))  # type: ignore[arg-type]
    st = styles()
    out.insert(1, Paragraph(f"Each indicator against its target, with every value up to the end of "
                            f"{esc(r.year)} for the trend.", st["note"]))
    return out


def _disproportionality(r: AnnualReport) -> list[Flowable]:
    from .sections.lenses import lens_table

    st = styles()
    out: list[Flowable] = [Heading(Entry("disproportionality", "Disproportionality findings")),
                           Paragraph("Values recorded by group for the year, and each group's share "
                                     "of the period's overall value.", st["note"])]
    rows = [[p(i.code, "cellb"), p(i.name), p(period), p(g.group), p(_fmt(g.value)),
             p("" if g.share is None else f"{g.share:.0%}")]
            for i in r.indicators for period, groups in i.groups for g in groups]
    if rows:
        out += chunked_table(["Code", "Indicator", "Period", "Group", "Value", "Share"], rows,
                             GROUP_WIDTHS)
    else:
        out.append(Paragraph(f"No indicator values by group were recorded for {esc(r.year)}.", st["note"]))
    out.append(Heading(Entry("lenses", "Actions by domain and group addressed", 1), "h2"))
    return out + lens_table(r.lenses)


def build_annual_report(session: Session, year: str, out_path: str | os.PathLike[str], *,
                        public: bool = False, today: dt.date | None = None) -> PackResult:
    from .render import check_target, entries_of, write_pdf
    from .sections.contents import contents

    out = check_target(out_path)
    r = annual_report_data(session, year, public=public, today=today)
    exempt = not public and any(x.exempt for x in r.reviews)
    marking = "OFFICIAL-SENSITIVE" if exempt else "OFFICIAL"
    version = "Public version" if public else ("Includes exempt information" if exempt else "Full version")
    makers = [_duty, _workstreams, _reviews, _community, _performance, _disproportionality]

    def story() -> list:
        body: list = []
        for make in makers:
            if body:
                body.append(PageBreak())
            body += make(r)
        return _cover(r, marking, version) + contents(entries_of(body)) + body

    name = "Annual report" + (" (public)" if public else "")
    furniture = Furniture(marking, r.board, f"{r.as_at:%d/%m/%Y}", name,
                          header=f"{name} {r.year}: figures as at {r.as_at:%d/%m/%Y}")
    pages = write_pdf(out, story, furniture=furniture,
                      title=f"{r.board}: annual report {r.year}" + (" (public)" if public else ""),
                      author=r.board, subject=f"Annual report {r.year} under the Serious Violence Duty; "
                      f"{version.lower()}; classification {marking}",
                      keywords=f"annual report, {r.year}, Serious Violence Duty, {marking}",
                      progress=None, steps_done=len(SECTIONS), steps_total=len(SECTIONS) + 2)
    return PackResult(out, pages, public)
