"""The tracker an owner receives: sheets, table, checks, colours, protection, hidden data."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from tests.conftest import actor
from tests.excel.conftest import col, export, owned_by
from vrboard.errors import NotFound, PermissionDenied
from vrboard.excel import export_per_owner
from vrboard.excel.export import COLUMNS
from vrboard.model import ExportBatch, Workstream
from vrboard.services import actions as act
from vrboard.store import Database


def test_workbook_a_council_officer_is_glad_to_receive(demo_db: Database, tracker_path: Path) -> None:
    r = export(demo_db, "rkaplan", tracker_path, owner="tfletcher")
    tom = owned_by(demo_db, "tfletcher", open_only=False)
    assert r.rows == len(tom) and r.path == tracker_path and r.batch_id
    wb = openpyxl.load_workbook(tracker_path)
    assert wb.sheetnames == ["Instructions", "Actions", "_vrboard", "_lists"]
    assert [wb[n].sheet_state for n in wb.sheetnames] == ["visible", "visible", "veryHidden", "veryHidden"]

    text = "\n".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value)
    for expected in ("Tom Fletcher", "Ruth Kaplan", "rkaplan@example.gov.uk", "New progress update",
                     "Complete, awaiting sign-off", "OFFICIAL", r.batch_id,
                     dt.date.today().strftime("%d/%m/%Y")):
        assert expected in text, expected

    ws = wb["Actions"]
    assert ws["A1"].value.startswith(f"Please return this file by {r.return_by:%A %d/%m/%Y} to Ruth Kaplan")
    assert [c.value for c in ws[2]] == [h for _, h, *_ in COLUMNS]
    assert ws.freeze_panes == "C3"
    assert list(ws.tables) == ["Actions"]
    assert ws.tables["Actions"].ref == f"A2:P{len(tom) + 2}"
    assert ws.tables["Actions"].autoFilter is not None
    assert ws.column_dimensions["B"].width > 30 and ws.column_dimensions["A"].width < 15
    assert ws["B3"].alignment.wrap_text
    due = col("due_date")
    assert ws[f"{due}3"].number_format == "dd/mm/yyyy"
    assert isinstance(ws[f"{due}3"].value, dt.datetime)

    # Protection: the sheet is protected; editable columns are unlocked, the rest locked.
    assert ws.protection.sheet and ws.protection.autoFilter is False  # filtering stays allowed
    assert ws.protection.sort is not False  # sorting locked cells is not offered (Excel cannot)
    open_row = next(i for i, a in enumerate(tom, start=3) if a.status.is_open)
    for letter, (_f, _h, _w, editable, _k) in zip("ABCDEFGHIJKLMNOP", COLUMNS, strict=True):
        cell = ws[f"{letter}{open_row}"]
        # Blank cells are not written; they take the column's format (as Excel and LibreOffice do).
        styled = cell if cell.has_style else ws.column_dimensions[letter]
        assert styled.protection.locked is not editable, letter
        assert ws.column_dimensions[letter].protection.locked is not editable, letter

    dv = {str(d.sqref): d for d in ws.data_validations.dataValidation}
    n = len(tom) + 2

    def rng(field: str) -> str:
        return f"{col(field)}3:{col(field)}{n}"

    assert dv[rng("status")].type == "list" and dv[rng("status")].formula1 == "StatusChoices"
    assert dv[rng("rag")].type == "list" and dv[rng("rag")].formula1 == '"Red,Amber,Green"'
    pct = dv[rng("percent_complete")]
    assert (pct.type, pct.operator or "between", pct.formula1, pct.formula2) == (
        "whole", "between", "0", "100")
    assert dv[rng("revised_due_date")].type == "date"
    assert "_lists!$A$1:$A$3" in wb.defined_names["StatusChoices"].attr_text
    assert [c.value for c in wb["_lists"]["A"]] == ["Not started", "In progress",
                                                    "Complete, awaiting sign-off"]

    cf = {str(rng.sqref): list(rules) for rng, rules in ws.conditional_formatting._cf_rules.items()}
    rag_rules = cf[rng("rag")]
    assert sorted(r.formula[0] for r in rag_rules) == ['"Amber"', '"Green"', '"Red"']
    for field in ("due_date", "revised_due_date"):
        assert "TODAY()" in cf[rng(field)][0].formula[0]

    # Printing: A4 landscape, one page wide, the editable block, latest update and due date.
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None,
                                                                                      1)  # 1 is the default
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_area == f"'Actions'!$A$1:${due}${n}"


def test_hidden_conflict_data_carries_ids_versions_and_values(demo_db: Database, tracker_path: Path) -> None:
    r = export(demo_db, "rkaplan", tracker_path, workstream="WS1")
    book = CalamineWorkbook.from_path(str(tracker_path))
    rows = book.get_sheet_by_name("_vrboard").to_python()
    assert rows[0][:3] == ["vrboard tracker", "1", r.batch_id]
    refs = [row[0] for row in book.get_sheet_by_name("Actions").to_python()[2:]]
    data = [row[0].split("\t") for row in rows[2:]]
    assert [d[1] for d in data] == refs
    with demo_db.session() as s:
        batch = s.get(ExportBatch, r.batch_id)
        assert batch is not None and batch.row_count == len(refs)
        ws1 = s.scalars(select(Workstream).where(Workstream.code == "WS1")).one()
        from vrboard.model import Action

        first = s.scalars(select(Action).where(Action.reference == refs[0])).one()
        assert first.workstream_id == ws1.id
        assert data[0][0] == str(first.id) and data[0][2] == str(first.version)
        assert data[0][3:6] == [first.status.value, first.rag.value, str(first.percent_complete)]


def test_text_that_looks_like_a_formula_is_written_as_text(demo_db: Database, tracker_path: Path) -> None:
    with demo_db.transaction() as s:
        ws = s.scalars(select(Workstream).where(Workstream.code == "WS2")).one()
        act.create_action(s, actor(demo_db, "rkaplan"), workstream_id=ws.id,
                          title="=HYPERLINK(\"http://evil.example\",\"click\")",
                          description="+44 20 7946 0000 is the number", lead_organisation="@council",
                          plan_codes=["KCAP"])
    export(demo_db, "rkaplan", tracker_path, workstream="WS2")
    ws = openpyxl.load_workbook(tracker_path)["Actions"]
    row = next(r for r in ws.iter_rows(min_row=3) if str(r[1].value).startswith("=HYPERLINK"))
    desc, lead = (ord(col(f)) - 65 for f in ("description", "lead_organisation"))
    for cell in (row[1], row[desc], row[lead]):
        assert cell.data_type == "s", cell.coordinate  # a string, not a formula
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    assert row[lead].value == "@council"
    cal = CalamineWorkbook.from_path(str(tracker_path)).get_sheet_by_name("Actions").to_python()
    assert any(r[1].startswith("=HYPERLINK") for r in cal)


def test_filters_by_workstream_owner_and_plan(demo_db: Database, tmp_path: Path) -> None:
    all_rows = export(demo_db, "rkaplan", tmp_path / "all.xlsx").rows
    ws = export(demo_db, "rkaplan", tmp_path / "ws.xlsx", workstream="ws3").rows
    pl = export(demo_db, "rkaplan", tmp_path / "pl.xlsx", plan="VAWG").rows
    both = export(demo_db, "rkaplan", tmp_path / "b.xlsx", plan="VAWG", owner="Maria Santos").rows
    assert all_rows == 61 and 0 < ws < all_rows and 0 < pl < all_rows and both <= pl
    refs = [r[0] for r in CalamineWorkbook.from_path(str(tmp_path / "pl.xlsx"))
            .get_sheet_by_name("Actions").to_python()[2:]]
    assert all(r.startswith(("VG-", "KC-", "SL-", "BS-")) for r in refs)
    with pytest.raises(NotFound, match="WS1, WS2"):
        export(demo_db, "rkaplan", tmp_path / "x.xlsx", workstream="WS99")
    with pytest.raises(NotFound, match="Nobody"):
        export(demo_db, "rkaplan", tmp_path / "x.xlsx", owner="Nobody Atall")
    assert not (tmp_path / "x.xlsx").exists()


def test_one_workbook_per_owner(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.transaction() as s:
        results = export_per_owner(s, actor(demo_db, "rkaplan"), tmp_path / "owners")
    names = sorted(p.path.name for p in results)
    assert "VRB actions - Tom Fletcher.xlsx" in names
    assert sum(r.rows for r in results) == 61
    assert len({r.batch_id for r in results}) == len(results)
    tom = next(r for r in results if "Tom Fletcher" in r.path.name)
    rows = CalamineWorkbook.from_path(str(tom.path)).get_sheet_by_name("Actions").to_python()[2:]
    assert {r[ord(col("owner")) - 65] for r in rows} == {"Tom Fletcher"}
    assert not list((tmp_path / "owners").glob(".*.part"))


def test_signed_off_and_dropped_actions_are_read_only(demo_db: Database, tracker_path: Path) -> None:
    export(demo_db, "rkaplan", tracker_path)
    ws = openpyxl.load_workbook(tracker_path)["Actions"]
    status = ord(col("status")) - 65
    closed = [r for r in ws.iter_rows(min_row=3) if r[status].value in ("Signed off", "Dropped")]
    assert {r[status].value for r in closed} == {"Signed off", "Dropped"}
    assert all(c.protection.locked for r in closed for c in r[2:7] if c.value is not None)


def test_a_viewer_may_not_export(demo_db: Database, tracker_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        export(demo_db, "hmarsh", tracker_path)
    assert not tracker_path.exists()


def test_export_refuses_a_bad_destination(demo_db: Database, tmp_path: Path) -> None:
    from vrboard.errors import ValidationError

    with pytest.raises(ValidationError, match=r"\.xlsx"):
        export(demo_db, "rkaplan", tmp_path / "tracker.csv")
    with pytest.raises(ValidationError, match="does not exist"):
        export(demo_db, "rkaplan", tmp_path / "no" / "such" / "t.xlsx")


def test_what_an_owner_may_change_is_on_a_1366_pixel_screen(demo_db: Database, tracker_path: Path) -> None:
    export(demo_db, "rkaplan", tracker_path, owner="tfletcher")
    ws = openpyxl.load_workbook(tracker_path)["Actions"]
    headers = [c.value for c in ws[2]]
    assert headers[:7] == ["Reference", "Action", "Status", "RAG", "% complete", "New progress update",
                           "Revised due date"]
    editable = [i for i, (_f, _h, _w, e, _k) in enumerate(COLUMNS) if e]
    assert editable == [2, 3, 4, 5, 6]  # one block, straight after Reference and Action

    def pixels(width: float) -> int:  # Excel at 100% zoom, Calibri 11: 7-pixel digits, 5 pixels padding
        return int(width * 7 + 0.5) + 5

    block = sum(pixels(ws.column_dimensions[chr(65 + i)].width) for i in range(max(editable) + 1))
    # The row numbers (about 30 px), the vertical scroll bar (17 px) and the window's frame (20 px).
    assert block + 30 + 17 + 20 <= 1366, block
