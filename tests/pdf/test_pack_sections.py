"""Each section of the board pack, checked in the text pypdf extracts."""
from __future__ import annotations

import re

from sqlalchemy import select

from vrboard.model import Action, ActionStatus, Indicator, Meeting, Paper, Workstream
from vrboard.services.common import uk_date

from .conftest import PLANNED, Doc, outline_titles, placed


def _page_of(doc: Doc, heading: str) -> int:
    """1-based page of a top-level section, from the outline (checked against the text)."""
    page = next(p for level, t, p in outline_titles(doc.reader) if level == 0 and t == heading)
    assert heading in doc.pages[page - 1]
    return page


def test_cover(docs, demo_file_db) -> None:
    with demo_file_db.session() as s:
        m = s.get(Meeting, PLANNED)
        day, venue = m.starts_at, m.venue
    cover = docs["pack"].pages[0]
    for text in ("Violence Reduction Board", "Board pack", f"{day:%d/%m/%Y}", f"{day:%H:%M}", venue,
                 "Draft", "Includes exempt information (Part 2)",
                 "Security classification: OFFICIAL-SENSITIVE", "Cllr Zoë Adeyemi"):
        assert text in cover, text
    public_cover = docs["pack_public"].pages[0]
    assert "Public version" in public_cover and "Security classification: OFFICIAL" in public_cover


def test_contents_page_numbers_match_the_headings(docs) -> None:
    doc = docs["pack"]
    contents = doc.pages[1]
    assert contents.startswith("Contents")
    for heading in ("Agenda", "Minutes of the previous meeting", "Action log",
                    "Workstream highlight reports", "Performance framework", "Papers"):
        m = re.search(rf"^{re.escape(heading)}\n(\d+)$", contents, re.M)
        assert m, f"{heading} missing from the contents"
        assert int(m.group(1)) == _page_of(doc, heading), heading


def test_agenda_parts_presenters_timings_and_exempt_paragraph(docs, demo_file_db) -> None:
    with demo_file_db.session() as s:
        items = s.get(Meeting, PLANNED).items
        rows = [(i.position, i.title, i.presenter, i.part, i.exempt_paragraph) for i in items]
    doc = docs["pack"]
    agenda = doc.pages[_page_of(doc, "Agenda") - 1]
    assert "Part 1: items open to the public" in agenda
    assert "Part 2: items from which the press and public are likely to be excluded" in agenda
    flat = " ".join(agenda.split())
    for _pos, title, presenter, part, para in rows:
        assert title.split(":")[0] in flat, title
        assert presenter.split()[0] in flat
        if part == 2:
            assert f"Exempt under paragraph {para} of Schedule 12A" in flat
    assert "14:00" in agenda and "5 min" in agenda


def test_attendance_and_declarations(docs) -> None:
    doc = docs["pack2"]  # a held meeting: attendance recorded, one declaration
    at = _page_of(doc, "Attendance, apologies and declarations")
    page = " ".join((doc.pages[at - 1] + doc.pages[at]).split())  # it may run onto a 2nd page
    for name in ("Cllr Zoë Adeyemi", "Cllr Łukasz Nowak", "Nguyễn Thị Mai"):
        assert name in page
    assert "Apologies" in page and "Substitute: Aisha Bello" in page and "Absent" in page
    assert "Quorum:" in page
    assert "Daniel Brooks" in page and "Non-registrable" in page
    planned = docs["pack"].text
    assert "Not yet recorded" in planned
    assert "Quorum: 4 needed (voting members or their substitutes)." in planned


def test_previous_minutes_show_whether_signed(docs) -> None:
    signed = " ".join(docs["pack2"].text.split())  # previous = meeting 1, signed
    assert "Signed. Approved as a correct record" in signed and "signed by Cllr Zoë Adeyemi" in signed
    unsigned = docs["pack"].text  # previous = meeting 2, not signed
    assert "Not yet signed." in unsigned
    assert "The board NOTED the report on youth panel: recruitment update." in " ".join(unsigned.split())


def test_action_log(docs, demo_file_db) -> None:
    with demo_file_db.session() as s:
        actions = s.scalars(select(Action)).all()
        open_refs = [a.reference for a in actions if a.status.is_open]
        awaiting = [a.reference for a in actions if a.status is ActionStatus.AWAITING_SIGN_OFF]
        signed = [a.reference for a in actions if a.status is ActionStatus.SIGNED_OFF]
        overdue = [(a.reference, uk_date(a.effective_due)) for a in actions if a.is_overdue(
            __import__("datetime").date.today())]
        dropped = [a.reference for a in actions if a.status is ActionStatus.DROPPED]
    doc = docs["pack"]
    start, end = _page_of(doc, "Action log"), _page_of(doc, "Workstream highlight reports")
    log = " ".join("\n".join(doc.pages[start - 1:end - 1]).split())
    for ref in open_refs + awaiting + signed:
        assert ref in log, ref
    for ref in dropped:
        assert ref not in log.split("Awaiting the chair's sign-off")[0]
    assert log.count("OVERDUE") == len(overdue)
    for ref, due in overdue:
        assert re.search(rf"{ref} [^%]*?{due} OVERDUE", log), ref  # within its own row
    assert re.search(r"\b[RAG]\s+\d{1,3}%", log), "RAG letter beside the percent"
    assert "Awaiting the chair's sign-off" in log and "Completed and signed off since the last meeting" in log
    assert "reported green" in log  # overdue but green is called out, not hidden


def test_highlight_reports(docs, demo_file_db) -> None:
    with demo_file_db.session() as s:
        ws = [(w.code, w.name, w.lead.name) for w in s.scalars(select(Workstream))]
    doc = docs["pack"]
    start, end = _page_of(doc, "Workstream highlight reports"), _page_of(doc, "Performance framework")
    text = " ".join("\n".join(doc.pages[start - 1:end - 1]).split())
    for code, name, lead in ws:
        assert f"{code} {name}" in text and lead in text
    assert text.count("What moved since the last meeting") == len(ws)
    assert text.count("What is at risk") == len(ws)
    assert "average across its actions" in text


def test_performance_framework(docs, demo_file_db) -> None:
    with demo_file_db.session() as s:
        inds = [(i.code, i.target, i.values[-1].value, i.values[-1].period)
                for i in s.scalars(select(Indicator))]
    doc = docs["pack"]
    text = " ".join("\n".join(doc.pages[_page_of(doc, "Performance framework") - 1:]).split())
    for code, target, latest, period in inds:
        assert code in text
        assert f"{latest:,.0f} ({period})" in text
        assert f"target {target:,.0f}" in text  # the chart's target line is labelled
    assert "Improving" in text


def test_papers(docs, demo_file_db) -> None:
    with demo_file_db.session() as s:
        titles = [p.title for p in s.scalars(select(Paper)) if p.item.meeting_id == PLANNED]
    doc = docs["pack"]
    text = " ".join(doc.pages[_page_of(doc, "Papers") - 1].split())
    for t in titles:
        assert t in text


def test_every_page_numbered_and_marked(docs) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from vrboard.pdf.fonts import BOLD, register_fonts

    register_fonts()
    for doc in docs.values():
        total = len(doc.pages)
        marking = "OFFICIAL" if "public" in doc.path.name else "OFFICIAL-SENSITIVE"
        half = stringWidth(marking, BOLD, 10) / 2
        for n, page in enumerate(doc.reader.pages, start=1):
            runs = placed(page)
            texts = [t for t, _, _ in runs]
            assert f"Page {n} of {total}" in texts, (doc.path.name, n)
            assert "Violence Reduction Board" in texts
            assert any(t.endswith(": meeting of " + doc.pages[0].split("meeting of ")[-1][:10])
                       for t in texts), (doc.path.name, n)
            width, height = page.mediabox.width, page.mediabox.height
            # The pack's own marking (bold 10 pt, centred); a merged paper's own marking, drawn
            # inside its placed page, is set in another font and size.
            marks = [(x, y) for t, x, y in runs if t == marking and not 40 < y < height - 40
                     and abs(x + half - width / 2) < 1]
            assert len(marks) == 2, (doc.path.name, n, marks)
            (x1, top), (x2, bottom) = sorted(marks, key=lambda m: -m[1])
            assert top > height - 40 and bottom < 40
            for x in (x1, x2):
                assert abs(x + half - width / 2) < 1, "marking centred"


def test_outline_has_every_section_and_workstream(docs) -> None:
    doc = docs["pack"]
    entries = outline_titles(doc.reader)
    top = [t for level, t, _ in entries if level == 0]
    assert top == ["Agenda", "Attendance, apologies and declarations", "Minutes of the previous meeting",
                   "Action log", "Workstream highlight reports", "Performance framework",
                   "Reviews and recommendations", "Community, youth panel and needs assessment",
                   "Papers"]
    children = [t for level, t, _ in entries if level == 1]
    for code in (f"WS{n}" for n in range(1, 9)):
        assert sum(1 for t in children if t.startswith(code + " ")) == 2, code  # log and highlights
    for _level, title, page in entries:
        assert " ".join(title.split()[:3]) in " ".join(doc.pages[page - 1].split()), title


def test_metadata(docs) -> None:
    meta = docs["pack"].reader.metadata
    assert meta.title.startswith("Violence Reduction Board: board pack for ")
    assert meta.author == "Ruth Kaplan, Violence Reduction Board"
    assert "Board pack for the meeting of" in meta.subject
    assert docs["pack"].reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert docs["minutes1"].reader.metadata.title.startswith("Violence Reduction Board: minutes of")
