"""Community, youth panel and needs assessment (workstreams 1, 7 and 4): the engagement
figures (sessions, people reached, members trained against the target of 30, Champions
workshops), the conversations held, "you said, we did" for the community themes and for the
youth panel, and the strategic needs assessment's findings with the actions answering each."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from ...services.pack_community import CommunityPack, SaidDidRow
from ...services.pack_rows import PackData
from ..flowables import Entry, Heading
from ..page import FRAME_WIDTH
from ..styles import esc, styles
from ..tables import chunked_table, key_value_table, p

TITLE = "Community, youth panel and needs assessment"


def _widths(*fixed: float, flex: int = 1) -> list[float]:
    """``fixed`` widths in mm, with 0 for the column(s) sharing what is left."""
    rest = (FRAME_WIDTH - sum(f * mm for f in fixed)) / max(1, sum(1 for f in fixed if f == 0))
    return [f * mm if f else rest for f in fixed]


def _figures(c: CommunityPack) -> list[Flowable]:
    f = c.figures
    short = f.target - f.trained
    facts = [("Community conversations", f"{f.sessions} sessions, {f.people} people taking part"),
             ("Community members trained", f"{f.trained} of the target of {f.target}"
              + (f" ({short} still to train)" if short > 0 else " (target met)")),
             ("Community Champions workshops",
              f"{f.workshops} held, {f.workshop_people} people (up to 30 each, about four hours)"),
             ("Youth panel", f"{f.youth_sessions} sessions, {f.youth_people} young people"),
             ("Themes from the conversations", f"{f.themes} collated, {f.themes_done} done")]
    return [KeepTogether([Heading(Entry("community-figures", "Community engagement", 1), "h2"),
                          key_value_table(facts, [52 * mm, FRAME_WIDTH - 52 * mm])])]


def _conversations(c: CommunityPack) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Heading(Entry("community-conversations", "Community conversations", 1),
                                   "h2")]
    if not c.conversations:
        out.append(Paragraph("No community conversations have been held yet.", st["note"]))
    else:
        rows = [[p(x.date), p(x.place), p(x.lead), p(str(x.people), "cellr"), p(x.groups)]
                for x in c.conversations]
        out += chunked_table(["Date", "Place or ward", "Lead organisation", "People", "Who took part"],
                             rows, _widths(18, 44, 36, 14, 0))
    if c.workshops:
        out.append(Spacer(1, 5))
        out.append(Paragraph("Community Champions workshops: " + esc("; ".join(c.workshops)) + ".",
                             st["body"]))
    return out


def _said(r: SaidDidRow) -> Paragraph:
    """The theme in bold over its quotes, or what was raised."""
    if not r.quotes:
        return p(r.said)
    quotes = "".join(f"<br/>“{esc(q)}”" for q in r.quotes)
    return Paragraph(f"<b>{esc(r.said)}</b>{quotes}", styles()["cell"])


def _said_did(key: str, title: str, intro: str, rows: tuple[SaidDidRow, ...], where: str,
              none: str) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Heading(Entry(key, title, 1), "h2"), Paragraph(intro, st["note"])]
    if not rows:
        out.append(Paragraph(none, st["note"]))
        return out
    body = [[_said(r), p(r.where), p(r.did or "Not yet"), p(r.state), p(r.actions or "None")]
            for r in rows]
    out += chunked_table(["You said", where, "We did", "State", "Actions"], body,
                         _widths(0, 24, 0, 18, 30))
    return out


def _needs(c: CommunityPack) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Heading(Entry("community-needs", "Strategic needs assessment", 1), "h2")]
    if not c.assessments:
        out.append(Paragraph("No strategic needs assessment has been recorded.", st["note"]))
        return out
    for a in c.assessments:
        out.append(Paragraph(f"<b>{esc(a.title)}</b> ({a.date})", st["body"]))
        if a.summary:
            out.append(Paragraph(esc(a.summary), st["body"]))
        if not a.findings:
            out.append(Paragraph("No findings recorded.", st["note"]))
            continue
        rows = [[p(f.number, "cellb"), p(f.text), p(f.actions or "None")] for f in a.findings]
        out += chunked_table(["No.", "Finding", "Actions answering it"], rows, _widths(10, 0, 52))
    return out


def community_section(data: PackData) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Heading(Entry("community", TITLE))]
    c = data.community
    if c is None or c.empty:
        out.append(Paragraph("No community conversations, youth panel sessions or needs "
                             "assessment have been recorded.", st["note"]))
        return out
    out.append(Paragraph("Community Conversations (workstream 1), the Youth Panel (workstream 7) "
                         "and the Strategic Needs Assessment (workstream 4). Actions are shown by "
                         "reference and status; their detail is in the action log.", st["note"]))
    out += _figures(c) + _conversations(c)
    out += _said_did("community-themes", "You said, we did: community conversations",
                     "The themes collated from the sessions, the one raised most often first, "
                     "with short quotes and what the board did.", c.themes, "Raised at",
                     "No themes have been collated yet.")
    out += _said_did("community-youth", "You said, we did: youth panel",
                     "What the young people raised at each session and the board's reply.",
                     c.youth, "Session", "The youth panel has not met yet.")
    return out + _needs(c)
