"""The pages of the public website, rendered from the public (filtered) pack and minutes
data: the index of meetings, and per meeting its agenda and papers, its approved minutes
with the decisions, and the action log's public summary.

These functions only lay out what ``services.pack_data`` returns with ``public=True``: an
exempt item reaches them as its number, title and exempt paragraph, nothing else.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import RAG
from ..services.common import uk_date
from ..services.pack_rows import ActionRow, ItemRow, MinutesData, PackData, PaperRow
from .markup import Shell, esc, page, paras, size_text, static_text, table

KIND_NAMES = {"pdf": "PDF", "word": "Word", "excel": "spreadsheet", "presentation": "slides",
              "text": "text"}


@dataclass(frozen=True)
class FileLink:
    href: str   # relative to the meeting's folder
    size: int
    pages: int | None = None


@dataclass
class MeetingSite:
    """One meeting as published: its folder, the filtered data and the files written."""

    folder: str                      # "meetings/2025-03-12-7"
    pack: PackData
    minutes: MinutesData | None      # only approved (signed) minutes
    pack_file: FileLink | None = None
    papers: dict[int, FileLink] = field(default_factory=dict)  # paper id -> file

    @property
    def title(self) -> str:
        return f"{self.pack.meeting.title}, {self.pack.meeting.date}"


def _crumbs(m: MeetingSite, here: str | None = None) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = [("All meetings", "../../index.html")]
    out.append((m.title, "index.html" if here else None))
    if here:
        out.append((here, None))
    return out


# --- the index ---------------------------------------------------------------------------------

def index_page(shell: Shell, meetings: Sequence[MeetingSite], today: dt.date) -> str:
    upcoming = [m for m in meetings if m.pack.meeting.starts_at.date() >= today]
    past = [m for m in meetings if m.pack.meeting.starts_at.date() < today]
    upcoming.sort(key=lambda m: m.pack.meeting.starts_at)
    body = [f"<h1>{esc(shell.board)}: meetings and public papers</h1>",
            '<p class="lead">The agendas, public papers, board packs, approved minutes and decisions of '
            f"the {esc(shell.board)}, and a public summary of its action log.</p>"]
    for heading, rows in (("Upcoming meetings", upcoming), ("Past meetings", past)):
        body.append(f"<h2>{heading}</h2>")
        if not rows:
            body.append(f"<p>There are no {heading.lower()} to show.</p>")
            continue
        body.append(table(f"{heading}, {'soonest' if rows is upcoming else 'newest'} first",
                          ["Date", "Meeting", "Status", "Minutes", "Board pack"],
                          [_index_row(m) for m in rows]))
    return page(shell, "Meetings", "\n".join(body), [("All meetings", None)], "")


def _index_row(m: MeetingSite) -> list[str]:
    info = m.pack.meeting
    minutes = (f'<a href="{m.folder}/minutes.html">Minutes<span class="visually-hidden">, '
               f"{esc(info.date)}</span></a>" if m.minutes else "Not yet approved")
    pack = (f'<a href="{m.folder}/{m.pack_file.href}">Public pack, {esc(info.date)} '
            f"(PDF, {size_text(m.pack_file.size)})</a>" if m.pack_file else "Not published")
    link = (f'<a href="{m.folder}/index.html">{esc(info.title)}'
            f'<span class="visually-hidden">, {esc(info.date)}</span></a>')
    return [esc(info.date), link, esc(info.status), minutes, pack]


# --- a meeting: details, agenda and papers --------------------------------------------------------

def _paper_links(papers: Sequence[PaperRow], files: dict[int, FileLink]) -> str:
    if not papers:
        return "None"
    out = []
    for p in papers:
        f = files.get(p.id)
        if f is None:
            out.append(f"<li>{esc(p.title)} (not available)</li>")
            continue
        pages = f", {f.pages} page{'s' if f.pages != 1 else ''}" if f.pages else ""
        kind = KIND_NAMES.get(p.kind, p.kind)
        out.append(f'<li><a href="{esc(f.href)}">{esc(p.title)}</a> '
                   f"({kind}, {size_text(f.size)}{pages})</li>")
    return '<ul class="files">' + "".join(out) + "</ul>"


def meeting_page(shell: Shell, m: MeetingSite) -> str:
    d, info = m.pack, m.pack.meeting
    facts = [("Date", info.date), ("Time", info.time), ("Venue", info.venue or "To be confirmed"),
             ("Status", info.status)]
    if info.chair:
        facts.append(("Chair", info.chair))
    body = [f"<h1>{esc(info.title)}: {esc(info.date)}</h1>", '<dl class="facts">']
    body += [f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts]
    body += ["</dl>", "<h2>Documents</h2>", "<ul>"]
    if m.pack_file:
        body.append(f'<li><a href="{esc(m.pack_file.href)}">Public board pack</a> (PDF, '
                    f"{size_text(m.pack_file.size)}, {m.pack_file.pages} pages)</li>")
    body.append('<li><a href="minutes.html">Minutes and decisions</a></li>' if m.minutes else
                "<li>Minutes: published once the board has approved them as a correct record.</li>")
    body += ['<li><a href="actions.html">Action log: public summary</a></li>', "</ul>"]
    body.append("<h2>Agenda</h2>")
    by_item: dict[int, list[PaperRow]] = {}
    for p in d.papers:
        by_item.setdefault(p.item_number, []).append(p)
    part1 = [i for i in d.agenda if not i.withheld]
    part2 = [i for i in d.agenda if i.withheld]
    if not d.agenda:
        body.append("<p>The agenda has not been set yet.</p>")
    if part1:
        body.append(table("Part 1: items open to the public", ["No.", "Item", "Presenter", "Papers"],
                          [[str(i.number), esc(i.title), esc(i.presenter) or "Not named",
                            _paper_links(by_item.get(i.number, ()), m.papers)] for i in part1]))
    if part2:
        body.append("<h3>Part 2: exempt items</h3>")
        body.append("<p>The board is expected to pass a resolution to exclude the press and public for "
                    "these items, which are exempt under Schedule 12A to the Local Government Act "
                    "1972. Their papers are not published.</p>")
        body.append(table("Exempt items: number, title and the paragraph of Schedule 12A",
                          ["No.", "Item", "Exempt under"],
                          [[str(i.number), esc(i.title), esc(_paragraph(i))] for i in part2]))
    return page(shell, f"{info.title}, {info.date}", "\n".join(body), _crumbs(m), "../../")


def _paragraph(i: ItemRow) -> str:
    return i.exempt_text or "Exempt (OFFICIAL-SENSITIVE): not published."


# --- the approved minutes and decisions -----------------------------------------------------------

def minutes_page(shell: Shell, m: MeetingSite) -> str:
    md = m.minutes
    assert md is not None
    info = md.meeting
    body = [f"<h1>Minutes: {esc(info.title)}, {esc(info.date)}</h1>",
            f'<p class="signed">{esc(md.signed.describe())}</p>',
            "<h2>Attendance</h2>",
            table("Members and attendance", ["Name", "Role", "Attendance", "Substitute"],
                  [[esc(a.name), esc(a.role), esc(a.status), esc(a.substitute) or "None"]
                   for a in md.attendance]) if md.attendance else "<p>No attendance was recorded.</p>",
            f"<p>Quorum: {esc(md.quorum)}.</p>", "<h2>Declarations of interest</h2>"]
    if md.declarations:
        body.append(table("Declarations of interest", ["Name", "Item", "Interest", "Nature", "Dispensation"],
                          [[esc(x.name), esc(x.item), esc(x.interest_type) or "Not stated",
                            esc(x.nature), esc(x.dispensation) or "None"] for x in md.declarations]))
    else:
        body.append("<p>None were declared.</p>")
    body.append("<h2>Decisions</h2>")
    decided = [(mi.item, mi.decisions) for mi in md.items if mi.decisions]
    if decided:
        body.append("<ul>")
        for item, decisions in decided:
            body.append(f"<li>Item {item.number}, {esc(item.title)}:<ul>"
                        + "".join(f"<li>{esc(t)}</li>" for t in decisions) + "</ul></li>")
        body.append("</ul>")
    else:
        body.append("<p>No decisions were recorded in the public part of the meeting.</p>")
    body.append("<h2>Minutes by item</h2>")
    for mi in md.items:
        body.append(f"<h3>{mi.item.number}. {esc(mi.item.title)}</h3>")
        if mi.item.withheld:
            body.append(f'<p class="note">{esc(_paragraph(mi.item))} The press and public were '
                        "excluded for this item; its minute is not published.</p>")
            continue
        body.append(paras(mi.discussion) or "<p>No minute was recorded.</p>")
        body += [f'<p class="decision"><strong>Decision:</strong> {esc(t)}</p>' for t in mi.decisions]
        if mi.actions:
            body.append(_actions_table(f"Actions from item {mi.item.number}", mi.actions))
    if md.other_actions:
        body.append("<h3>Other actions raised at the meeting</h3>")
        body.append(_actions_table("Other actions raised", md.other_actions))
    return page(shell, f"Minutes, {info.date}", "\n".join(body), _crumbs(m, "Minutes"), "../../")


def _ref(a: ActionRow) -> str:
    return f'<span class="ref">{esc(a.reference)}</span>'


def _actions_table(caption: str, rows: Sequence[ActionRow]) -> str:
    return table(caption, ["Ref.", "Action", "Owner", "Due"],
                 [[_ref(a), esc(a.title), esc(a.owner) or "Not assigned",
                   esc(uk_date(a.due)) or "No date"] for a in rows])


# --- the action log's public summary --------------------------------------------------------------

def rag_totals(d: PackData) -> list[tuple[str, int]]:
    return [(r.label, sum(h.by_rag.get(r, 0) for h in d.highlights)) for r in (RAG.RED, RAG.AMBER, RAG.GREEN)]


def actions_page(shell: Shell, m: MeetingSite, chart_href: str) -> str:
    d = m.pack
    total_open = sum(h.open for h in d.highlights)
    overdue = sum(h.overdue for h in d.highlights)
    since = f"since the previous meeting on {d.since:%d/%m/%Y}" if d.since else "to date"
    totals = rag_totals(d)
    body = [f"<h1>Action log summary: {esc(d.meeting.date)}</h1>",
            f"<p>As at {d.today:%d/%m/%Y}: {total_open} open actions, {overdue} of them overdue; "
            f"{len(d.awaiting)} awaiting the chair's sign-off; {len(d.completed)} signed off {since}. "
            "Actions raised in the exempt part of a meeting are not included.</p>",
            "<h2>Open actions by RAG status</h2>", '<div class="chart-data">',
            f'<figure><img src="{esc(chart_href)}" width="400" height="146" alt="Bar chart of open actions '
            f'by RAG status: {", ".join(f"{k} {v}" for k, v in totals)}."><figcaption>The same figures are '
            "in the table.</figcaption></figure>",
            table("Open actions by RAG status", ["RAG status", "Open actions"],
                  [[esc(k), str(v)] for k, v in totals], numeric=[1]),
            "</div>", "<h2>By workstream</h2>",
            table("Actions by workstream", ["Workstream", "Open", "Red", "Amber", "Green", "Overdue",
                                            "Awaiting sign-off", "Completed since last meeting"],
                  [[f"{esc(h.code)} {esc(h.name)}", str(h.open), str(h.by_rag.get(RAG.RED, 0)),
                    str(h.by_rag.get(RAG.AMBER, 0)), str(h.by_rag.get(RAG.GREEN, 0)), str(h.overdue),
                    str(h.awaiting), str(h.completed_since)] for h in d.highlights],
                  numeric=range(1, 8))]
    body.append("<h2>Awaiting the chair's sign-off</h2>")
    body.append(_done_table("Awaiting sign-off", d.awaiting) if d.awaiting else "<p>None.</p>")
    body.append(f"<h2>Signed off {esc(since)}</h2>")
    body.append(_done_table("Signed off", d.completed) if d.completed else "<p>None.</p>")
    return page(shell, f"Action log summary, {d.meeting.date}", "\n".join(body),
                _crumbs(m, "Action log summary"), "../../")


def _done_table(caption: str, rows: Sequence[ActionRow]) -> str:
    return table(caption, ["Ref.", "Action", "Workstream", "Completed"],
                 [[_ref(a), esc(a.title), esc(a.workstream),
                   esc(uk_date(a.completed_on)) or "Not recorded"] for a in rows])


# --- the accessibility statement -----------------------------------------------------------------

def accessibility_page(shell: Shell) -> str:
    from string import Template

    body = Template(static_text("accessibility.html")).substitute(
        board=esc(shell.board), secretariat=esc(shell.secretariat))
    return page(shell, "Accessibility statement", body,
                [("All meetings", "index.html"), ("Accessibility statement", None)], "")
