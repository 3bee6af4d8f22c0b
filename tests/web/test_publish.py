"""``vrboard publish``: the public website. Nothing exempt reaches any file written (the
marker planted in every exempt field, searched for in every file, PDFs' text included);
only approved minutes; bad folders refused in one line with nothing written."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.need_to_know import HELD_UNSIGNED, SECRETS, leaked
from vrboard.cli import main
from vrboard.model import Paper
from vrboard.services import access
from vrboard.store import Database


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        reader = PdfReader(str(path))
        meta = " ".join(str(v) for v in (reader.metadata or {}).values())
        return meta + "\n".join(page.extract_text() or "" for page in reader.pages)
    return path.read_bytes().decode("utf-8", errors="replace")


def test_the_marker_in_every_exempt_field_never_reaches_the_website(site: Path, planted_db: Database) -> None:
    files = _files(site)
    assert len(files) > 20
    found = {str(f.relative_to(site)): leaked(_text(f)) for f in files}
    assert {f: s for f, s in found.items() if s} == {}
    for f in files:  # the raw bytes too (names, file names, anything not text-extracted)
        raw = f.read_bytes().lower()
        assert not [s for s in SECRETS if s.lower().encode() in raw], f
        assert not any(s.lower() in str(f).lower() for s in SECRETS), f
    with planted_db.session() as s:
        exempt = set(s.scalars(select(Paper.sha256).where(Paper.id.in_(access.exempt_papers()))))
    written = {hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    assert exempt and not exempt & written


def test_the_site_holds_agendas_papers_packs_and_only_approved_minutes(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in index and "<script" not in index
    meetings = sorted((site / "meetings").iterdir())
    assert len(meetings) == 3  # the OFFICIAL-SENSITIVE meeting is left out
    for m in meetings:
        assert (m / "board-pack-public.pdf").stat().st_size > 1000
        page = (m / "index.html").read_text(encoding="utf-8")
        assert "Exempt under paragraph" in page and "Part 2: exempt items" in page
        assert list((m / "papers").iterdir()), m
        assert (m / "actions.html").is_file() and (m / "rag.svg").is_file()
        for paper in (m / "papers").iterdir():
            assert f'href="papers/{paper.name}"' in page
    # meeting 1 was signed, and meeting 2 in the fixture; meeting 3 is still to come
    assert [(m / "minutes.html").is_file() for m in meetings] == [True, True, False]
    minutes = (meetings[0] / "minutes.html").read_text(encoding="utf-8")
    assert "Approved as a correct record" in minutes and "<h2>Decisions</h2>" in minutes
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and 'lang="en-GB"' in text and text.count("<h1>") == 1
        assert "<th scope=" in text or "accessibility" in page.name


def test_unapproved_minutes_are_not_published(demo_db: Database, tmp_path: Path) -> None:
    from vrboard.web import publish_site

    with demo_db.session() as s:
        result = publish_site(s, tmp_path / "site", packs=False)
    assert result.meetings == 3
    unsigned = next((tmp_path / "site" / "meetings").glob(f"*-{HELD_UNSIGNED}"))
    assert not (unsigned / "minutes.html").exists()
    assert "published once the board has approved them" in (unsigned / "index.html").read_text("utf-8")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("case", ["file", "no-parent", "other-files"])
def test_a_bad_folder_is_refused_in_one_line(case: str, demo_db: Database, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "site"
    if case == "file":
        target.write_text("not a folder")
    elif case == "no-parent":
        target = tmp_path / "missing" / "site"
    else:
        target.mkdir()
        (target / "notes.txt").write_text("mine")
    db_path = str(tmp_path / "board.sqlite3")  # the demo_db fixture's file
    code = main(["--db", db_path, "publish", "--out", str(target), "--no-packs"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and err.startswith("vrboard: "), err
    assert "Traceback" not in err
    assert {"file": "is a file", "no-parent": "does not exist", "other-files": "other files"}[case] in err
    assert _leftovers(tmp_path) == []
    if case == "other-files":
        assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_publishing_again_replaces_the_site(demo_db: Database, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "site"
    db_path = str(tmp_path / "board.sqlite3")
    assert main(["--db", db_path, "publish", "--out", str(target), "--no-packs"]) == 0
    (target / "stale.html").write_text("old")
    assert main(["--db", db_path, "publish", "--out", str(target), "--no-packs"]) == 0
    assert "Published 3 meetings" in capsys.readouterr().out
    assert not (target / "stale.html").exists() and (target / "index.html").is_file()
    assert _leftovers(tmp_path) == []


def test_a_failure_halfway_leaves_nothing(demo_db: Database, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from vrboard.web import pages, publish_site

    def broken(*_args: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("vrboard.web.site.actions_page", broken)
    assert pages.actions_page is not broken
    with demo_db.session() as s, pytest.raises(OSError):
        publish_site(s, tmp_path / "site", packs=False)
    assert not (tmp_path / "site").exists() and _leftovers(tmp_path) == []
