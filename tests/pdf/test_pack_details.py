"""Issue 14's pack details: headings that continue say so, the cover's contact officer and
publication date, the quorum line, completed actions counted alike, and the minutes' numbers,
times, exclusion resolution and refusal for a meeting not yet held."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.conftest import actor
from vrboard.cli import main
from vrboard.errors import RuleViolation, ValidationError
from vrboard.model import Meeting, MeetingStatus
from vrboard.services import meetings as mtg
from vrboard.services.minute_record import exclusion_resolution, minute_numbers
from vrboard.services.pack_data import pack_data
from vrboard.services.standing import set_terms, terms

from .conftest import HELD_SIGNED, HELD_UNSIGNED, PLANNED, Doc, read
from .test_type_size import PAPER_PAGE


def _flat(doc: Doc) -> str:
    return " ".join(doc.text.split())


def test_tables_that_run_on_repeat_their_heading_marked_continued(docs) -> None:
    doc = docs["pack"]
    continued = [(n, line.strip()) for n, page in enumerate(doc.pages) for line in page.splitlines()
                 if line.strip().endswith("(continued)") and not PAPER_PAGE.search(page)]
    assert continued, "no table ran onto another page in the demo pack"
    for n, line in continued:
        heading = line.removesuffix(" (continued)")
        # the heading stands at the top of the page, above the repeated header row
        assert doc.pages[n].index(line) < doc.pages[n].index(
            "Ref." if "Ref." in doc.pages[n] else heading)
        # and the same heading (without "continued") is on an earlier page
        assert any(heading in p for p in doc.pages[:n]), heading


def test_cover_names_the_contact_officer_and_the_publication_date(docs, demo_file_db) -> None:
    cover = " ".join(docs["pack"].pages[0].split())
    with demo_file_db.session() as s:
        name, email, phone = terms(s).contact
        due = mtg.c.get(s, Meeting, PLANNED, "meeting")
        from vrboard.services.cycle import pack_due

        day = pack_due(due, s)
    assert f"Contact officer {name}, {email}, {phone}" in cover
    assert f"Published Not yet published: due by {day:%A %d/%m/%Y}" in cover


def test_issuing_puts_the_date_of_issue_on_the_cover(demo_db) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from vrboard.services.documents import issue_pack

    with demo_db.transaction() as s:
        doc = issue_pack(s, actor(demo_db, "rkaplan"), PLANNED, public=True)
        data = doc.content
    cover = " ".join((PdfReader(BytesIO(data)).pages[0].extract_text() or "").split())
    assert f"Published {dt.date.today():%A %d/%m/%Y}" in cover
    assert "DRAFT" not in cover  # issuing makes the pack final


def test_contact_officer_is_kept_in_the_terms_of_reference(demo_db) -> None:
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        t = terms(s)
        set_terms(s, sec, quorum=t.quorum, notice_clear_days=t.notice_clear_days,
                  standing=t.standing, contact=("Ann Other", "ann.other@example.gov.uk", ""))
    with demo_db.session() as s:
        assert terms(s).contact == ("Ann Other", "ann.other@example.gov.uk", "")
    for bad in (("", "x@example.gov.uk", ""), ("Ann", "not an address", "")):
        with demo_db.transaction() as s, pytest.raises(ValidationError):
            set_terms(s, sec, quorum=t.quorum, notice_clear_days=t.notice_clear_days,
                      standing=t.standing, contact=bad)
    with demo_db.transaction() as s:  # empty: the secretariat is named instead
        set_terms(s, sec, quorum=t.quorum, notice_clear_days=t.notice_clear_days,
                  standing=t.standing, contact=("", "", ""))
        from vrboard.services.minute_record import contact_officer

        assert contact_officer(s).startswith("Ruth Kaplan (board secretariat)")


def test_quorum_reads_needed_then_present(docs) -> None:
    text = _flat(docs["pack"])
    assert re.search(r"Quorum: 4 needed; \d+ present \((NOT )?quorate\)\.", text)
    assert "Quorum: 4 needed (voting members or their substitutes)." in text  # not yet held
    assert " of 4 needed present" not in text


def test_completed_counts_agree_between_highlights_and_action_log(demo_file_db) -> None:
    with demo_file_db.session() as s:
        d = pack_data(s, PLANNED)
    assert sum(h.completed_since for h in d.highlights) == len(d.completed)
    for h in d.highlights:
        assert h.completed_since == sum(1 for a in d.completed if a.workstream == h.code)


def test_minutes_are_numbered_through_the_year(demo_file_db, docs) -> None:
    with demo_file_db.session() as s:
        first, second = (s.get(Meeting, i) for i in (HELD_SIGNED, HELD_UNSIGNED))
        one, two = minute_numbers(s, first), minute_numbers(s, second)
        planned = minute_numbers(s, s.get(Meeting, PLANNED))
        titles = [i.title for i in second.items]
        same_year = first.starts_at.year == second.starts_at.year
    yy = f"{second.starts_at.year % 100:02d}"
    start = len(one) + 1 if same_year else 1
    assert two == [f"{n}/{yy}" for n in range(start, start + len(two))]
    assert set(planned) == {""}
    text = _flat(docs["minutes2"])
    for number, title in zip(two, titles, strict=True):
        assert f"{number} {title} (agenda item" in text, number


def test_minutes_record_start_end_and_the_exclusion_resolution(docs, demo_file_db) -> None:
    with demo_file_db.session() as s:
        m = s.get(Meeting, HELD_UNSIGNED)
        start, end = m.starts_at, m.ends_at
        paragraphs = [i.exempt_paragraph for i in m.items if i.part == 2]
    assert end is not None
    text = _flat(docs["minutes2"])
    assert f"Began at {start:%H:%M} and closed at {end:%H:%M}" in text
    assert f"The meeting closed at {end:%H:%M}." in text
    resolution = exclusion_resolution(paragraphs)
    assert resolution.startswith("RESOLVED: That under section 100A(4) of the Local Government Act "
                                 "1972 the press and public be excluded")
    assert f"paragraph {paragraphs[0]} of Part 1 of Schedule 12A" in resolution
    # recorded before the first Part 2 minute
    assert resolution in text and text.index(resolution) < text.index("Homicide and serious violence")
    # the public minutes carry it too
    assert resolution in _flat(docs["minutes1_public"]).replace(
        f"paragraph {7 if paragraphs[0] == 1 else 1}", f"paragraph {paragraphs[0]}")


def test_exclusion_resolution_names_every_paragraph() -> None:
    text = exclusion_resolution([7, 1, None, 1])
    assert "paragraphs 1 and 7 of Part 1 of Schedule 12A to the Act" in text
    assert exclusion_resolution([3], recommended=True).startswith(
        "The board is recommended to resolve that under section 100A(4)")


def test_no_minutes_for_a_meeting_not_yet_held(demo_db, tmp_path, capsys) -> None:
    from vrboard.pdf import build_minutes

    out = tmp_path / "out"
    out.mkdir()
    with demo_db.session() as s, pytest.raises(RuleViolation, match="has not been held yet"):
        build_minutes(s, PLANNED, out / "m.pdf")
    assert not list(out.iterdir())
    assert main(["--as", "rkaplan", "--db", demo_db.url, "minutes", "--meeting", str(PLANNED),
                 "--out", str(out / "m.pdf")]) == 1
    err = capsys.readouterr().err
    assert "has not been held yet, so there are no minutes to produce" in err
    assert "Traceback" not in err and not list(out.iterdir())
    with demo_db.transaction() as s:
        mtg.update_meeting(s, actor(demo_db, "rkaplan"), PLANNED, None,
                           {"status": MeetingStatus.CANCELLED})
    with demo_db.session() as s, pytest.raises(RuleViolation, match="was cancelled"):
        build_minutes(s, PLANNED, tmp_path / "m.pdf")


def test_the_end_time_must_follow_the_start_on_the_same_day(demo_db) -> None:
    sec = actor(demo_db, "rkaplan")
    with demo_db.session() as s:
        start = s.get(Meeting, HELD_UNSIGNED).starts_at
    for bad in (start - dt.timedelta(minutes=5), start + dt.timedelta(days=1)):
        with demo_db.transaction() as s, pytest.raises(ValidationError, match="not after it began"):
            mtg.update_meeting(s, sec, HELD_UNSIGNED, None, {"ends_at": bad})
    with demo_db.transaction() as s:
        mtg.update_meeting(s, sec, HELD_UNSIGNED, None, {"ends_at": None})
    with demo_db.session() as s:
        assert s.get(Meeting, HELD_UNSIGNED).ends_at is None


def test_minutes_without_an_end_time_say_so(demo_db, tmp_path) -> None:
    from vrboard.pdf import build_minutes

    with demo_db.transaction() as s:
        mtg.update_meeting(s, actor(demo_db, "rkaplan"), HELD_UNSIGNED, None, {"ends_at": None})
    with demo_db.session() as s:
        text = _flat(read(build_minutes(s, HELD_UNSIGNED, tmp_path / "m.pdf").path))
    assert "(the closing time was not recorded)" in text and "The meeting closed at" not in text
