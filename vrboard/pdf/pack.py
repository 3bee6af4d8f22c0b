"""The board pack: cover, contents, agenda, attendance, previous minutes, action log,
highlight reports, performance framework, reviews and recommendations, community (with the
youth panel and the needs assessment) and papers, in that order."""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from sqlalchemy.orm import Session

from ..progress import Progress, report
from ..services.pack_data import pack_data
from ..services.pack_rows import PackData
from .result import PackResult

SECTIONS = ("agenda", "attendance", "previous minutes", "action log", "highlight reports",
            "performance framework", "reviews and recommendations", "community", "papers")


def _sections(d: PackData, converted: dict[int, tuple[bytes, int]]
              ) -> list[tuple[str, Callable[[], list]]]:
    from .sections.actions import action_log
    from .sections.agenda import agenda
    from .sections.attendance import attendance_section
    from .sections.community import community_section
    from .sections.highlights import highlights
    from .sections.indicators import performance
    from .sections.papers import papers
    from .sections.previous import previous_minutes
    from .sections.reviews import reviews_section

    makers = [
        ("agenda", lambda: agenda(d.meeting, d.agenda, d.public)),
        ("attendance", lambda: attendance_section(d.attendance, d.quorum, d.declarations,
                                                  d.meeting.status == "Planned")),
        ("previous minutes", lambda: previous_minutes(d)),
        ("action log", lambda: action_log(d)),
        ("highlight reports", lambda: highlights(d)),
        ("performance framework", lambda: performance(d)),
        ("reviews and recommendations", lambda: reviews_section(d)),
        ("community", lambda: community_section(d)),
        ("papers", lambda: papers(d, converted)),
    ]
    assert tuple(name for name, _ in makers) == SECTIONS
    return makers


def build_board_pack(session: Session, meeting_id: int, out_path: str | os.PathLike[str], *,
                     public: bool = False, progress: Progress | None = None,
                     today: dt.date | None = None, notice: str | None = None,
                     data: PackData | None = None,
                     published: dt.date | None = None) -> PackResult:
    """Write the board pack for ``meeting_id`` to ``out_path``; the public version with
    ``public=True``. Raises Cancelled (from ``progress``) leaving no file behind.
    ``data``: what ``pack_data`` returned for this meeting and version, when the caller
    already gathered it (the website lays out the same data).
    ``notice`` goes on the cover; by default, once a pack was issued, that this one was
    regenerated and which version was issued. ``published``: the date it is issued (the
    cover says so); by default the date of the last issue, or when the pack is due."""
    from reportlab.platypus import CondPageBreak, NextPageTemplate, PageBreak

    from ..model import Meeting
    from ..services.minute_record import contact_officer, publication
    from .merge import place_papers
    from .page import Furniture
    from .render import check_target, entries_of, write_pdf
    from .sections.contents import contents
    from .sections.cover import cover
    from .styles import styles

    out = check_target(out_path)
    # Steps: gathering (0), one per section, laying out, saving; write_pdf reports the last two.
    total = len(SECTIONS) + 2
    report(progress, 0, total + 1, "Gathering the record")
    d = data if data is not None else pack_data(session, meeting_id, public=public, today=today)
    if d.meeting.id != meeting_id or d.public != public:
        raise ValueError("the pack data given is for another meeting or version")
    if notice is None:
        from ..services.documents import regenerated_notice

        notice = regenerated_notice(session, meeting_id, public)
    converted = _convert(d, progress)
    contact = contact_officer(session)
    published_text = publication(session, session.get(Meeting, meeting_id), public, published)
    sections = _sections(d, converted)
    sources = {r.id: r.data for r in d.papers if r.kind == "pdf" and r.data is not None}
    sources.update({pid: pdf for pid, (pdf, _pages) in converted.items()})
    version = "Public version" if public else (
        "Includes exempt information (Part 2)" if d.includes_exempt else "Full version")
    doc_name = "Board pack (public)" if public else "Board pack"
    date = d.meeting.date

    def story() -> list:
        styles()
        body: list = []
        for n, (name, make) in enumerate(sections, start=1):
            report(progress, n, total + 1, f"Preparing the {name}")
            if body:
                # The action log is laid out landscape; the sections after it portrait again.
                if name == "action log":
                    body.append(NextPageTemplate("wide"))
                elif name == "highlight reports":
                    body.append(NextPageTemplate("page"))
                body.append(PageBreak() if name in ("action log", "highlight reports",
                                                    "performance framework",
                                                    "reviews and recommendations", "community")
                            else CondPageBreak(200))
            body += make()
        front = cover(d.board, d.council, "Board pack", d.meeting, d.classification,
                      "Final" if d.meeting.final else "Draft", version, d.secretariat,
                      f"{d.today:%d/%m/%Y}", notice, contact=contact, published=published_text)
        return front + contents(entries_of(body)) + body

    pages = write_pdf(
        out, story, furniture=Furniture(d.classification, d.board, date, doc_name,
                                        draft=not d.meeting.final),
        title=f"{d.board}: board pack for {date}" + (" (public)" if public else ""),
        author=f"{d.secretariat}, {d.board}", subject=f"Board pack for the meeting of {date}; "
        f"{version.lower()}; classification {d.classification}",
        keywords=f"{d.short_name}, board pack, {date}, {d.classification}", progress=progress,
        steps_done=len(sections) + 1, steps_total=total,
        finish=lambda tmp, slots: place_papers(tmp, slots, sources,
                                               {r.id: r.file_name for r in d.papers}))
    return PackResult(out, pages, public)


def _convert(d: PackData, progress: Progress | None) -> dict[int, tuple[bytes, int]]:
    """Office papers converted to PDF through LibreOffice, when it is installed."""
    from .convert import soffice, to_pdf

    todo = [r for r in d.papers if r.kind != "pdf" and r.data is not None]
    if not todo or soffice() is None:
        return {}
    out: dict[int, tuple[bytes, int]] = {}
    for r in todo:
        report(progress, 0, len(SECTIONS) + 3, f"Converting {r.file_name} to PDF")
        got = to_pdf(r.file_name, r.data or b"")
        if got is not None:
            out[r.id] = got
    return out
