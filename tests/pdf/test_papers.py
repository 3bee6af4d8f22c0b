"""Papers: checked when attached, stored in the database, merged into the board pack behind
divider pages with page references and outline entries; the public pack keeps only the
papers it may."""
from __future__ import annotations

import datetime as dt
import io
import re

import pikepdf
import pytest
from sqlalchemy import func, select

from tests.conftest import actor
from vrboard.demo_papers import make_paper
from vrboard.errors import ValidationError
from vrboard.model import AuditEntry, Classification, Paper
from vrboard.pdf import build_board_pack, paperfile
from vrboard.services import meetings as mtg
from vrboard.services import papers as pap

from .conftest import outline_titles, read


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def _no_libreoffice(monkeypatch) -> None:
    """Word papers stay unconverted here (conversion has a test of its own)."""
    monkeypatch.setenv("VRBOARD_NO_LIBREOFFICE", "1")


@pytest.fixture
def meeting(board_db):
    """A planned meeting: item 1 without papers; item 2 with two PDF papers (3 and 2 pages);
    item 3 with a Word paper; item 4 with a sensitive paper on a Part 1 item; item 5 (Part 2,
    added before item 4 but numbered and taken after Part 1) with an exempt paper."""
    sec = actor(board_db, "sec")
    with board_db.transaction() as s:
        m = mtg.create_meeting(s, sec, dt.datetime(2026, 12, 10, 14, 0), venue="Room 1")
        items = [mtg.add_item(s, sec, m.id, title=t, presenter="Lead") for t in
                 ("Welcome and apologies", "Knife crime plan: progress", "Budget workbook")]
        p2 = mtg.add_item(s, sec, m.id, title="Case review", presenter="Head of service", part=2,
                          exempt_paragraph=1, classification=Classification.OFFICIAL_SENSITIVE)
        p5 = mtg.add_item(s, sec, m.id, title="Partnership update", presenter="Lead")
        pap.attach_paper_data(s, sec, items[1].id, "Progress report", "progress.pdf",
                              make_paper("Alpha progress report", 3))
        pap.attach_paper_data(s, sec, items[1].id, "Data annex", "annex.pdf",
                              make_paper("Beta data annex", 2, landscape=True))
        pap.attach_paper_data(s, sec, items[2].id, "Budget", "budget.docx",
                              b"PK\x03\x04" + b"\0" * 200)
        pap.attach_paper_data(s, sec, p2.id, "Case themes", "cases.pdf",
                              make_paper("Gamma case themes", 2, "OFFICIAL-SENSITIVE"),
                              Classification.OFFICIAL_SENSITIVE)
        pap.attach_paper_data(s, sec, p5.id, "Named families", "families.pdf",
                              make_paper("Delta named families", 1, "OFFICIAL-SENSITIVE"),
                              Classification.OFFICIAL_SENSITIVE)
        return m.id


def test_attaching_stores_the_bytes_hash_pages_and_marking(board_db, meeting, tmp_path) -> None:
    data = make_paper("Epsilon", 4)
    f = tmp_path / "epsilon.pdf"
    f.write_bytes(data)
    sec = actor(board_db, "sec")
    with board_db.transaction() as s:
        item = mtg.add_item(s, sec, meeting, title="Another item")
        paper = pap.attach_paper(s, sec, item.id, "Epsilon", f, Classification.OFFICIAL)
        pid = paper.id
    f.unlink()  # the database no longer needs the file
    with board_db.session() as s:
        paper, content = pap.paper_content(s, sec, pid)
        assert content == data
        assert (paper.file_name, paper.kind, paper.pages, paper.size, paper.source_path) == (
            "epsilon.pdf", "pdf", 4, len(data), str(f))
        import hashlib
        assert paper.sha256 == hashlib.sha256(data).hexdigest()
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "paper",
                                                   AuditEntry.entity_id == pid)).all()
        assert audit and any(paper.sha256 in (e.new_value or "") for e in audit)
        assert all("%PDF" not in (e.new_value or "") for e in audit)  # no bytes in the trail


def _encrypted() -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(make_paper("Locked", 1))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
    return out.getvalue()


def _restricted() -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(make_paper("Restricted", 1))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="",
                                                    allow=pikepdf.Permissions(extract=False)))
    return out.getvalue()


BAD = [
    ("locked.pdf", _encrypted, "locked.pdf is protected by a password"),
    ("restricted.pdf", _restricted, "restricted.pdf is encrypted"),
    ("broken.pdf", lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "broken.pdf is damaged"),
    ("truncated.pdf", lambda: make_paper("Cut", 3)[:1500], "truncated.pdf is damaged"),
    ("notes.pdf", lambda: b"PK\x03\x04" + b"\0" * 100,
     "notes.pdf is not a PDF file as its name says: it looks like a ZIP archive"),
    ("report.docx", lambda: make_paper("Disguised", 1),
     "report.docx is not a Word document as its name says: it looks like a PDF file"),
    ("setup.pdf", lambda: b"MZ\x90\x00" + b"\0" * 100, "it looks like a Windows program"),
    ("photo.png", lambda: b"\x89PNG\r\n", "photo.png: vrboard takes papers as"),
    ("empty.pdf", lambda: b"", "empty.pdf is empty"),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_papers_are_refused_naming_the_file_and_the_problem(board_db, meeting, name, make,
                                                                message) -> None:
    sec = actor(board_db, "sec")
    with board_db.session() as s:
        before = s.scalar(select(func.count()).select_from(Paper))
    with pytest.raises(ValidationError, match=re.escape(message)), board_db.transaction() as s:
        item = s.scalars(select(Paper)).first().item
        pap.attach_paper_data(s, sec, item.id, "Bad", name, make())
    with board_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Paper)) == before


def test_oversized_and_not_a_file(board_db, meeting, tmp_path, monkeypatch) -> None:
    sec = actor(board_db, "sec")
    big = tmp_path / "big.pdf"
    big.write_bytes(make_paper("Big", 2))
    monkeypatch.setattr(pap, "MAX_BYTES", 1000)
    with board_db.transaction() as s:
        item_id = s.scalars(select(Paper)).first().agenda_item_id
    with pytest.raises(ValidationError, match=r"big.pdf is 0.0 MB; a paper may be at most 0 MB"), \
            board_db.transaction() as s:
        pap.attach_paper(s, sec, item_id, "Big", big)
    monkeypatch.setattr(paperfile, "MAX_BYTES", 1000)
    with pytest.raises(ValidationError, match="big.pdf is .* a paper may be at most"), \
            board_db.transaction() as s:
        pap.attach_paper_data(s, sec, item_id, "Big", "big.pdf", big.read_bytes())
    with pytest.raises(ValidationError, match="is not a file"), board_db.transaction() as s:
        pap.attach_paper(s, sec, item_id, "Folder", tmp_path)
    with pytest.raises(ValidationError, match="There is no file"), board_db.transaction() as s:
        pap.attach_paper(s, sec, item_id, "Gone", tmp_path / "gone.pdf")


def test_pages_over_the_limit_are_refused(monkeypatch) -> None:
    monkeypatch.setattr(paperfile, "MAX_PAGES", 2)
    with pytest.raises(ValidationError, match="long.pdf has 3 pages; a paper may have at most 2"):
        paperfile.check_paper("long.pdf", make_paper("Long", 3))


def test_pack_merges_papers_with_page_references_and_outline(board_db, meeting, tmp_path) -> None:
    with board_db.session() as s:
        doc = read(build_board_pack(s, meeting, tmp_path / "pack.pdf").path)
    total = len(doc.pages)
    outline = outline_titles(doc.reader)
    entries = {t: (level, page) for level, t, page in outline}
    # the outline: Papers > Item > Paper, for every item with papers
    assert entries["Papers"][0] == 0
    for item in ("Item 2: Knife crime plan: progress", "Item 3: Budget workbook",
                 "Item 5: Case review", "Item 4: Partnership update"):
        assert entries[item][0] == 1, item
    for paper in ("Paper: Progress report", "Paper: Data annex", "Paper: Case themes",
                  "Paper: Named families"):
        assert entries[paper][0] == 2, paper
    # each paper behind its divider page, its pages in order, with the pack's furniture
    start = entries["Paper: Progress report"][1]
    assert "The paper follows on the next page(s)" in doc.pages[start - 1]
    for n in range(3):
        page = _flat(doc.pages[start + n])
        assert "Alpha progress report" in page and f"Paper page {n + 1} of 3" in page
        assert f"Page {start + n + 1} of {total}" in page and "OFFICIAL-SENSITIVE" in page
        assert f"Item 2, Progress report: page {n + 1} of 3" in page
    annex = entries["Paper: Data annex"][1]
    assert annex == start + 4
    assert "Beta data annex" in doc.pages[annex] and "Paper page 2 of 2" in doc.pages[annex + 1]
    # the agenda: "(Pages a–b)" from the item's first page to its last paper page
    agenda = _flat(doc.pages[entries["Agenda"][1] - 1])
    item2 = entries["Item 2: Knife crime plan: progress"][1]
    assert item2 == start
    assert f"(Pages {item2}–{annex + 2})" in agenda
    assert f"(Page {entries['Item 3: Budget workbook'][1]})" in agenda
    # the Word paper is listed, not included
    word = _flat(doc.pages[entries["Item 3: Budget workbook"][1] - 1])
    assert "Budget (budget.docx). Not included: a Word document, not a PDF." in word
    # contents lines point at the same pages
    contents = doc.pages[1]
    assert re.search(rf"Paper: Progress report\n{start}$", contents, re.M)
    with pikepdf.open(doc.path) as pdf:  # the merged file is a sound PDF
        assert len(pdf.pages) == total and not pdf.get_warnings()


def test_public_pack_keeps_only_part1_papers_that_are_not_sensitive(board_db, meeting,
                                                                     tmp_path) -> None:
    with board_db.session() as s:
        full = read(build_board_pack(s, meeting, tmp_path / "full.pdf").path)
        public = read(build_board_pack(s, meeting, tmp_path / "public.pdf", public=True).path)
    for secret in ("Gamma case themes", "Delta named families", "Case themes", "Named families",
                   "OFFICIAL-SENSITIVE"):
        assert secret not in public.text, secret
    assert "Gamma case themes" in full.text and "Delta named families" in full.text
    assert "Alpha progress report" in public.text and "Beta data annex" in public.text
    titles = [t for _lvl, t, _p in outline_titles(public.reader)]
    assert "Paper: Progress report" in titles and "Item 5: Case review" not in titles
    # item 5: divider and 2 pages; item 4: divider and 1 page (the item heads its divider)
    assert len(full.pages) - len(public.pages) == (1 + 2) + (1 + 1)


def test_missing_paper_refused_plainly_and_listed(board_db, meeting) -> None:
    sec = actor(board_db, "sec")
    with board_db.transaction() as s:
        paper = s.scalars(select(Paper).where(Paper.title == "Progress report")).one()
        s.execute(Paper.__table__.update().where(Paper.__table__.c.id == paper.id).values(
            content=None, sha256=None, source_path="C:/Board/progress.pdf"))
        pid = paper.id
    with board_db.session() as s:
        assert [(m.title, m.source_path) for m in pap.missing_papers(s)] == [
            ("Progress report", "C:/Board/progress.pdf")]
        with pytest.raises(ValidationError, match="was not found when the database was upgraded"):
            pap.paper_content(s, sec, pid)


def test_exempt_paper_is_not_handed_to_a_non_member(board_db, meeting) -> None:
    from vrboard.errors import PermissionDenied
    from vrboard.model import AccessRole
    from vrboard.model.base import Channel
    from vrboard.services.context import Actor

    outsider = Actor(-1, "Visitor", AccessRole.VIEWER, Channel.APP, "test")  # not on the board
    with board_db.session() as s:
        pid = s.scalars(select(Paper.id).where(Paper.title == "Case themes")).one()
        with pytest.raises(PermissionDenied):
            pap.paper_content(s, outsider, pid)
        open_pid = s.scalars(select(Paper.id).where(Paper.title == "Progress report")).one()
        assert pap.paper_content(s, outsider, open_pid)[1][:5] == b"%PDF-"


def test_paper_bytes_survive_a_backup_and_restore(board_db, meeting, tmp_path) -> None:
    from vrboard.backup import backup, restore
    from vrboard.store import open_database

    backup(board_db, tmp_path / "b.json.gz")
    target = open_database(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    try:
        restore(target, tmp_path / "b.json.gz")
        q = select(Paper.id, Paper.content, Paper.sha256).order_by(Paper.id)
        with board_db.session() as a, target.session() as b:
            assert a.execute(q).all() == b.execute(q).all()
    finally:
        target.close()


@pytest.mark.slow
def test_libreoffice_converts_an_excel_paper_when_installed(monkeypatch) -> None:
    import xlsxwriter

    from vrboard.pdf.convert import soffice, to_pdf

    monkeypatch.delenv("VRBOARD_NO_LIBREOFFICE")
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("Budget")
    sheet.write_row(0, 0, ["Line", "Zeta budget 2026/27"])
    sheet.write_row(1, 0, ["Youth outreach", 125000])
    book.close()
    got = to_pdf("budget.xlsx", buf.getvalue())
    assert got is not None, "LibreOffice did not convert the workbook"
    pdf, pages = got
    assert pages == 1 and pdf[:5] == b"%PDF-"
    from pypdf import PdfReader

    assert "Zeta budget 2026/27" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_migration_brings_in_path_based_papers_and_reports_missing_ones(board_db, meeting,
                                                                       tmp_path, caplog) -> None:
    """Down to 0001 (papers as paths), then up again: files that exist come in, with their
    hash and pages; a file that is gone is logged and the paper kept, listed as missing."""
    from alembic import command
    from sqlalchemy import text

    from vrboard.store import alembic_config

    here = tmp_path / "papers"
    here.mkdir()
    (here / "progress.pdf").write_bytes(make_paper("Alpha progress report", 3))
    command.downgrade(alembic_config(board_db.engine), "0001")
    with board_db.engine.begin() as conn:
        assert "content" not in {c["name"] for c in
                                 __import__("sqlalchemy").inspect(conn).get_columns("paper")}
        rows = dict(conn.execute(text("SELECT title, id FROM paper")).all())
        conn.execute(text("UPDATE paper SET path = :p WHERE title = 'Progress report'"),
                     {"p": str(here / "progress.pdf")})
        conn.execute(text("UPDATE paper SET path = :p WHERE title = 'Data annex'"),
                     {"p": "C:\\Users\\clerk\\Papers\\annex.pdf"})
        conn.execute(text("DELETE FROM paper WHERE title NOT IN ('Progress report', "
                          "'Data annex')"))
    with caplog.at_level("WARNING", logger="vrboard.migration"):
        command.upgrade(alembic_config(board_db.engine), "head")
    assert "Data annex" in caplog.text and "annex.pdf" in caplog.text
    assert "the file is not there" in caplog.text
    with board_db.session() as s:
        got = s.get(Paper, rows["Progress report"])
        assert (got.file_name, got.pages, got.kind, got.missing) == ("progress.pdf", 3, "pdf", False)
        assert pap.paper_content(s, actor(board_db, "sec"), got.id)[1] == (
            here / "progress.pdf").read_bytes()
        gone = s.get(Paper, rows["Data annex"])
        assert (gone.file_name, gone.missing, gone.content) == ("annex.pdf", True, None)
        assert [m.title for m in pap.missing_papers(s)] == ["Data annex"]
        from vrboard.services.standing import DEFAULT_STANDING, terms

        assert terms(s).standing == DEFAULT_STANDING  # the existing board gets standing items
        assert terms(s).notice_clear_days == 5


def test_attach_paper_command(board_db, meeting, tmp_path, capsys, monkeypatch) -> None:
    from vrboard.cli import main

    good = tmp_path / "Forward plan.pdf"
    good.write_bytes(make_paper("Forward plan", 3))
    monkeypatch.setenv("LOGNAME", "sec")  # the board's secretariat is at the keyboard
    monkeypatch.setenv("USER", "sec")
    base = ["--db", str(board_db.url), "attach-paper", "--meeting", str(meeting)]
    assert main([*base, "--item", "5", str(good)]) == 0
    said = capsys.readouterr().out
    assert "Attached 'Forward plan' (Forward plan.pdf" in said and "3 pages" in said
    assert "OFFICIAL-SENSITIVE) to item 5 'Case review'" in said  # a Part 2 item's default
    bad = tmp_path / "notes.pdf"
    bad.write_bytes(b"MZ\x90\x00")
    assert main([*base, "--item", "2", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("vrboard: notes.pdf is not a PDF file") and "Traceback" not in err
    assert main([*base, "--item", "99", str(good)]) == 1
    assert "has no agenda item 99" in capsys.readouterr().err
    with board_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Paper)) == 6


def test_a_paper_that_cannot_be_merged_stops_the_build_naming_it(board_db, meeting,
                                                                  tmp_path) -> None:
    """A stored paper damaged after it was checked (say, in a restored database): the
    pack names it and writes nothing."""
    from vrboard.errors import VrboardError

    with board_db.transaction() as s:
        s.execute(Paper.__table__.update().where(Paper.__table__.c.title == "Progress report")
                  .values(content=b"%PDF-1.4 broken"))
    out = tmp_path / "pack.pdf"
    with board_db.session() as s, pytest.raises(VrboardError, match="The paper progress.pdf "
                                                "could not be read while building the pack"):
        build_board_pack(s, meeting, out)
    assert not out.exists() and not list(tmp_path.glob("*.merge"))
