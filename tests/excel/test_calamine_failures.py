"""Cells that make python-calamine panic (Rust) or overflow are reported as the file, sheet
and cell that could not be read: no Rust backtrace and no Python traceback reach the user,
and nothing is written."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import actor
from tests.excel.conftest import counts, snapshot
from vrboard.errors import ValidationError
from vrboard.excel import read_plan
from vrboard.store import Database

ROOT = Path(__file__).resolve().parents[2]


def crafted(path: Path, value: float, num_format: str = "dd/mm/yyyy", cell: str = "H3") -> Path:
    """A tracker whose due-date cell ``cell`` holds ``value`` (xlsxwriter writes any float)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Actions")
    date = wb.add_format({"num_format": num_format})
    ws.write_row(0, 0, ["Reference", "Action", "Description", "Workstream", "Plans", "Owner",
                        "Lead organisation", "Due date", "Status"])
    ws.write_row(1, 0, ["KC-001", "Map the hot spots", "", "WS1", "KCAP", "", "", None, "In progress"])
    ws.write_row(2, 0, ["KC-002", "Train the staff", "", "WS1", "KCAP", "", "", None, "In progress"])
    ws.write(cell, value, date)
    wb.close()
    return path


@pytest.mark.parametrize("value,fmt", [(-1e308, "dd/mm/yyyy"),
                                       (-1e15, "dd/mm/yyyy"), (1e10, "[h]:mm")])
def test_a_cell_that_makes_calamine_fail_is_named(demo_db: Database, tmp_path: Path, value: float,
                                                  fmt: str, capfd: pytest.CaptureFixture[str]) -> None:
    path = crafted(tmp_path / "returned.xlsx", value, fmt)
    with demo_db.session() as s, pytest.raises(ValidationError) as err:
        read_plan(s, actor(demo_db, "rkaplan"), path)
    message = str(err.value)
    assert message.startswith("returned.xlsx: sheet 'Actions' cannot be read: cell H3 holds")
    assert f"{value:g}" in message and "Nothing was imported." in message
    assert "panicked" not in capfd.readouterr().err  # the Rust panic hook's output was kept back


def test_the_command_line_shows_one_plain_line(demo_db: Database, tmp_path: Path) -> None:
    """The probe: 82 lines of Python and Rust traceback (RUST_BACKTRACE=1)."""
    path = crafted(tmp_path / "returned.xlsx", -1e308)
    before, audit = snapshot(demo_db), counts(demo_db)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RUST_BACKTRACE": "1"}
    env.pop("VRBOARD_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "vrboard", "--db", demo_db.url, "--as", "rkaplan",
                           "import-actions", str(path), "--dry-run"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("vrboard: returned.xlsx: sheet 'Actions' cannot be read: cell H3 holds "
                               "-1e+308"), lines[0]
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr
    assert snapshot(demo_db) == before and counts(demo_db) == audit


def test_output_that_calamine_writes_on_success_is_passed_on(tmp_path: Path,
                                                             capfd: pytest.CaptureFixture[str]) -> None:
    from vrboard.excel.calamine_guard import calamine_call

    def noisy() -> int:
        os.write(2, b"a warning of its own\n")
        return 7

    assert calamine_call(noisy, "test") == 7
    assert capfd.readouterr().err == "a warning of its own\n"


def test_a_good_date_cell_still_reads(demo_db: Database, tmp_path: Path) -> None:
    from vrboard.excel.reader import open_workbook

    wb = open_workbook(crafted(tmp_path / "ok.xlsx", 43921.0))
    try:
        assert str(wb.rows("Actions")[2][7]).startswith("2020-03-31")
    finally:
        wb.close()
