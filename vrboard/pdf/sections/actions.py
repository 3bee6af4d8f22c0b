"""The action log: open actions by workstream, then those awaiting the chair's sign-off,
then those completed (signed off) since the last meeting. It is laid out on landscape pages,
which keep its eight columns wide at a readable size."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from ...services.common import uk_date
from ...services.pack_rows import ActionRow, PackData
from ..flowables import Entry, Heading
from ..page import WIDE_FRAME_WIDTH
from ..styles import RAG_FILL, RAG_TEXT, esc, styles
from ..tables import chunked_table, p

MAX_UPDATE = 600  # characters of the latest update shown in a cell; the app has the rest

OPEN_HEAD = ["Ref.", "Action", "Owner", "Due", "Status", "RAG", "%", "Latest update"]
OPEN_WIDTHS = [20 * mm, 0, 34 * mm, 23 * mm, 23 * mm, 11 * mm, 13 * mm, 80 * mm]
OPEN_WIDTHS[1] = WIDE_FRAME_WIDTH - sum(OPEN_WIDTHS)
DONE_HEAD = ["Ref.", "Action", "WS", "Owner", "Completed", "Latest update"]
DONE_WIDTHS = [20 * mm, 0, 14 * mm, 34 * mm, 25 * mm, 85 * mm]
DONE_WIDTHS[1] = WIDE_FRAME_WIDTH - sum(DONE_WIDTHS)
SIGNED_HEAD = ["Ref.", "Action", "WS", "Owner", "Completed", "Signed off"]


def _due(a: ActionRow) -> str:
    if a.due is None:
        return "No date"
    text = esc(uk_date(a.due))
    if a.overdue:
        text += "<br/><font color='#b42318'><b>OVERDUE</b></font>"
    if a.inconsistent:
        text += "<br/><font color='#52606d'>reported green</font>"
    return text


def _update(a: ActionRow) -> str:
    if not a.latest_update:
        return "No update yet"
    text = a.latest_update
    if len(text) > MAX_UPDATE:
        text = text[:MAX_UPDATE].rstrip() + "… (full text in vrboard)"
    return f"{uk_date(a.latest_update_on)}: {text}"


def _rag(a: ActionRow) -> Paragraph:
    """The RAG letter in a colour that reads on its fill: never colour alone."""
    colour = "#" + RAG_TEXT[a.rag].hexval()[2:]
    return Paragraph(f"<font color='{colour}'>{a.rag.letter}</font>", styles()["cellc"])


def open_table(rows: tuple[ActionRow, ...], heading: str = "") -> list[Flowable]:
    st = styles()
    data = [[p(a.reference, "cellb"), p(a.title), p(a.owner or "Not assigned"),
             Paragraph(_due(a), st["cell"]), p(a.status), _rag(a),
             p(f"{a.percent}%", "cellr"), p(_update(a))] for a in rows]

    def rag_cell(i: int, r: int) -> list[tuple]:
        rag = rows[i].rag
        return [("BACKGROUND", (5, r), (5, r), RAG_FILL[rag]), ("TEXTCOLOR", (5, r), (5, r), RAG_TEXT[rag])]

    return chunked_table(OPEN_HEAD, data, OPEN_WIDTHS, rag_cell, heading=heading)


def _done_rows(rows: tuple[ActionRow, ...], last: str) -> list[list]:
    return [[p(a.reference, "cellb"), p(a.title), p(a.workstream), p(a.owner or "Not assigned"),
             p(uk_date(a.completed_on) or "Not recorded"),
             p(a.signed_off if last == "signed" else _update(a))] for a in rows]


def action_log(data: PackData) -> list[Flowable]:
    st = styles()
    total_open = sum(len(w.actions) for w in data.open_by_workstream)
    since = f"since the last meeting on {data.since:%d/%m/%Y}" if data.since else "to date"
    out: list[Flowable] = [Heading(Entry("actions", "Action log"))]
    overdue = sum(1 for w in data.open_by_workstream for a in w.actions if a.overdue)
    out.append(Paragraph(
        f"{total_open} open actions, {overdue} of them overdue (as at {data.today:%d/%m/%Y}); "
        f"{len(data.awaiting)} awaiting the chair's sign-off; {len(data.completed)} completed and "
        f"signed off {since}. RAG: R red, A amber, G green.", st["body"]))
    for w in data.open_by_workstream:
        out.append(Heading(Entry(f"actions-{w.code}", f"{w.code} {w.name}", 1), "h2"))
        if not w.actions:
            out.append(Paragraph("No open actions.", st["note"]))
            continue
        out += open_table(w.actions, f"{w.code} {w.name}")
    out.append(Heading(Entry("awaiting", "Awaiting the chair's sign-off", 1), "h2"))
    if data.awaiting:
        out += chunked_table(DONE_HEAD, _done_rows(data.awaiting, "update"), DONE_WIDTHS,
                             heading="Awaiting the chair's sign-off")
    else:
        out.append(Paragraph("No actions are awaiting sign-off.", st["note"]))
    done = f"Completed and signed off {since}"
    out.append(Heading(Entry("completed", done, 1), "h2"))
    if data.completed:
        out += chunked_table(SIGNED_HEAD, _done_rows(data.completed, "signed"), DONE_WIDTHS,
                             heading=done)
    else:
        out.append(Paragraph(f"No actions were signed off {since}.", st["note"]))
    if data.lenses:
        from .lenses import lens_table

        out.append(Heading(Entry("lenses", "By domain and group addressed", 1), "h2"))
        out.append(Paragraph("Every action not dropped, counted by its domain of work and by the "
                             "groups it is tagged as addressing (disproportionality).", st["note"]))
        out += lens_table(data.lenses)
    return out
