"""Hostile and broken files are refused cleanly, fast and within bounded memory, before any
spreadsheet library parses them, with a plain message naming the file."""
from __future__ import annotations

import resource
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import actor
from tests.excel import builders as b
from vrboard.errors import ValidationError
from vrboard.excel import read_plan
from vrboard.store import Database

Make = Callable[[Path], Path]


def _write(data: bytes) -> Make:
    def make(p: Path) -> Path:
        p.write_bytes(data)
        return p
    return make


def _truncated(p: Path) -> Path:
    b.xlsx(p, b.sheet_xml(b.TRACKER_ROWS * 1))
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p


def _many_parts(p: Path) -> Path:
    b.xlsx(p, extra={f"xl/media/x{i}.xml": "<x/>" for i in range(6000)})
    return p


CASES: list[tuple[str, Make, str]] = [
    ("empty", _write(b""), "empty"),
    ("csv", _write(b"Reference,Status\nKC-001,Done\n"), "plain text"),
    ("html", _write(b"<html><body><table><tr><td>KC-001</td></tr></table></body></html>"), "web page"),
    ("pdf", _write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "PDF"),
    ("binary", _write(bytes(range(256)) * 4), "not a workbook"),
    ("truncated zip", _truncated, "damaged or incomplete"),
    ("encrypted", lambda p: b.ole(p, "EncryptedPackage"), "password"),
    (".xls renamed", lambda p: b.ole(p, "Workbook"), "Excel 97-2003"),
    ("zip bomb", lambda p: b.bomb(p, 40), "zip bomb"),
    ("lying zip bomb", b.lying_bomb, "damaged"),  # zipfile stops at the declared size; CRC fails
    ("billion laughs", lambda p: b.xlsx(p, b.sheet_xml(
        '<row r="1">' + b.inline("A1", "&lol9;") + "</row>", prolog=b.LAUGHS)), "DOCTYPE"),
    ("external entity", lambda p: b.xlsx(p, extra={
        "xl/sharedStrings.xml": '<?xml version="1.0"?>' + b.XXE + '<sst><si><t>&xxe;</t></si></sst>'}),
     "DOCTYPE"),
    ("doctype in workbook part", lambda p: b.xlsx(p, wb_prolog='<!DOCTYPE workbook>'), "DOCTYPE"),
    ("far-flung cell", lambda p: b.xlsx(p, b.sheet_xml(
        b.TRACKER_ROWS + '<row r="1048576">' + b.number("XFD1048576", 1) + "</row>")), "stray cells"),
    ("far row", lambda p: b.xlsx(p, b.sheet_xml(
        b.TRACKER_ROWS + '<row r="900000"><c t="inlineStr"><is><t>x</t></is></c></row>')), "stray cells"),
    ("wide row", lambda p: b.xlsx(p, b.sheet_xml('<row r="1">' + b.number("ZZZ1", 1) + "</row>")),
     "stray cells"),
    ("too many parts", _many_parts, "parts"),
    ("binary workbook", lambda p: _zip(p, {"xl/workbook.bin": "x", "[Content_Types].xml": "x"}), ".xlsb"),
    ("word document", lambda p: _zip(p, {"word/document.xml": "<w/>", "[Content_Types].xml": "x"}), "Word"),
    ("zip of other things", lambda p: _zip(p, {"readme.txt": "hello"}), "not an Excel"),
    ("ods with doctype", lambda p: b.ods_raw(p, b.ODS_HEAD.format(prolog=b.LAUGHS, rows="")), "DOCTYPE"),
    ("ods repeated a billion times", lambda p: b.ods_raw(p, b.ODS_HEAD.format(prolog="", rows=(
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" '
        'office:value="1" table:number-columns-repeated="16384"/></table:table-row>'))), "does not read"),
]


def _zip(p: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(p, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return p


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("name,make,reason", CASES, ids=[c[0] for c in CASES])
def test_hostile_file_is_refused(board_db: Database, tmp_path: Path, name: str, make: Make,
                                 reason: str) -> None:
    path = make(tmp_path / "returned.xlsx")
    sec = actor(board_db, "sec")
    peak = _peak_mb()
    start = time.perf_counter()
    with pytest.raises(ValidationError) as err, board_db.session() as s:
        read_plan(s, sec, path)
    elapsed = time.perf_counter() - start
    msg = str(err.value)
    assert msg.startswith("returned.xlsx: ") and reason in msg and "Nothing was imported" in msg, msg
    assert "Traceback" not in msg
    assert elapsed < 3, f"{name} took {elapsed:.1f} s"
    assert _peak_mb() - peak < 150, f"{name} grew memory by {_peak_mb() - peak:.0f} MB"


def test_a_missing_file(board_db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="was not found"), board_db.session() as s:
        read_plan(s, actor(board_db, "sec"), tmp_path / "nope.xlsx")


def test_a_declared_dimension_far_beyond_the_data_is_harmless(board_db: Database, tmp_path: Path) -> None:
    """Only the real data is read, whatever size the sheet declares."""
    path = b.xlsx(tmp_path / "t.xlsx", b.sheet_xml(b.TRACKER_ROWS, dim="A1:XFD1048576"))
    with board_db.session() as s:
        plan = read_plan(s, actor(board_db, "sec"), path)
    assert [r.row for r in plan.rows] == [2]


def test_empty_styled_cells_far_away_are_not_data(board_db: Database, tmp_path: Path) -> None:
    """Formatting a whole row or column leaves empty cells far out: not refused."""
    rows = b.TRACKER_ROWS + '<row r="3"><c r="XFD3" s="0"/></row>'
    path = b.xlsx(tmp_path / "t.xlsx", b.sheet_xml(rows))
    with board_db.session() as s:
        plan = read_plan(s, actor(board_db, "sec"), path)
    assert len(plan.rows) == 1


def test_calamine_never_sees_entities(tmp_path: Path) -> None:
    """The safety check runs first: python-calamine on its own would not expand entities either
    (it stops at the unknown entity), but a DOCTYPE is refused before it gets that far."""
    from vrboard.excel.safety import UnsafeFile, check_file

    path = b.xlsx(tmp_path / "lol.xlsx", b.sheet_xml(
        '<row r="1">' + b.inline("A1", "&lol9;") + "</row>", prolog=b.LAUGHS))
    with pytest.raises(UnsafeFile):
        check_file(path)


def test_a_sheet_hidden_under_another_name_is_still_checked(board_db: Database, tmp_path: Path) -> None:
    """The relationships may point a worksheet at any part name; it is measured all the same."""
    rels = b.WB_RELS.replace("worksheets/sheet1.xml", "media/data.bin")
    far = b.sheet_xml(b.TRACKER_ROWS + '<row r="1048576">' + b.number("XFD1048576", 1) + "</row>")
    path = tmp_path / "sneaky.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b.CT)
        z.writestr("_rels/.rels", b.RELS)
        z.writestr("xl/workbook.xml", b.WB.format(prolog="", wbpr=""))
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/media/data.bin", far)
    with pytest.raises(ValidationError, match="stray cells"), board_db.session() as s:
        read_plan(s, actor(board_db, "sec"), path)


def test_what_calamine_itself_does_with_a_billion_laughs(tmp_path: Path) -> None:
    """Checked, as the safety notes claim: python-calamine does not expand custom entities; it
    stops at the first one, fast. vrboard refuses such files before calamine sees them anyway."""
    import python_calamine

    path = b.xlsx(tmp_path / "lol.xlsx", b.sheet_xml(
        '<row r="1">' + b.inline("A1", "&lol9;") + "</row>", prolog=b.LAUGHS))
    start = time.perf_counter()
    with pytest.raises(python_calamine.XmlError, match="entity"):
        python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert time.perf_counter() - start < 1
