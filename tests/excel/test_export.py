"""The tracker an owner receives: sheets, table, checks, colours, protection, hidden data."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from tests.conftest import actor
from tests.excel.conftest import export, owned_by
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
    assert [c.value for c in ws[1]] == [h for _, h, *_ in COLUMNS]
    assert ws.freeze_panes == "B2"
    assert list(ws.tables) == ["Actions"]
    assert ws.tables["Actions"].ref == f"A1:N{len(tom) + 1}"
    assert ws.tables["Actions"].autoFilter is not None
    assert ws.column_dimensions["B"].width > 30 and ws.column_dimensions["A"].width < 15
    assert ws["B2"].alignment.wrap_text
    assert ws["H2"].number_format == "dd/mm/yyyy"
    assert isinstance(ws["H2"].value, dt.datetime)

    # Protection: the sheet is protected; editable columns are unlocked, the rest locked.
    assert ws.protection.sheet and ws.protection.autoFilter is False  # filtering stays allowed
    open_row = next(i for i, a in enumerate(tom, start=2) if a.status.is_open)
    for col, (_f, _h, _w, editable, _k) in zip("ABCDEFGHIJKLMN", COLUMNS, strict=True):
        cell = ws[f"{col}{open_row}"]
        # Blank cells are not written; they take the column's format (as Excel and LibreOffice do).
        styled = cell if cell.has_style else ws.column_dimensions[col]
        assert styled.protection.locked is not editable, col
        assert ws.column_dimensions[col].protection.locked is not editable, col

    dv = {str(d.sqref): d for d in ws.data_validations.dataValidation}
    n = len(tom) + 1
    assert dv[f"J2:J{n}"].type == "list" and dv[f"J2:J{n}"].formula1 == "StatusChoices"
    assert dv[f"K2:K{n}"].type == "list" and dv[f"K2:K{n}"].formula1 == '"Red,Amber,Green"'
    pct = dv[f"L2:L{n}"]
    assert (pct.type, pct.operator or "between", pct.formula1, pct.formula2) == (
        "whole", "between", "0", "100")
    assert dv[f"I2:I{n}"].type == "date"
    assert "_lists!$A$1:$A$4" in wb.defined_names["StatusChoices"].attr_text

    cf = {str(rng.sqref): list(rules) for rng, rules in ws.conditional_formatting._cf_rules.items()}
    rag_rules = cf[f"K2:K{n}"]
    assert sorted(r.formula[0] for r in rag_rules) == ['"Amber"', '"Green"', '"Red"']
    overdue = cf[f"H2:I{n}"][0]
    assert "TODAY()" in overdue.formula[0]


def test_hidden_conflict_data_carries_ids_versions_and_values(demo_db: Database, tracker_path: Path) -> None:
    r = export(demo_db, "rkaplan", tracker_path, workstream="WS1")
    book = CalamineWorkbook.from_path(str(tracker_path))
    rows = book.get_sheet_by_name("_vrboard").to_python()
    assert rows[0][:3] == ["vrboard tracker", "1", r.batch_id]
    refs = [row[0] for row in book.get_sheet_by_name("Actions").to_python()[1:]]
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
    row = next(r for r in ws.iter_rows(min_row=2) if str(r[1].value).startswith("=HYPERLINK"))
    for cell in (row[1], row[2], row[6]):
        assert cell.data_type == "s", cell.coordinate  # a string, not a formula
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    assert row[6].value == "@council"
    cal = CalamineWorkbook.from_path(str(tracker_path)).get_sheet_by_name("Actions").to_python()
    assert any(r[1].startswith("=HYPERLINK") for r in cal)


def test_filters_by_workstream_owner_and_plan(demo_db: Database, tmp_path: Path) -> None:
    all_rows = export(demo_db, "rkaplan", tmp_path / "all.xlsx").rows
    ws = export(demo_db, "rkaplan", tmp_path / "ws.xlsx", workstream="ws3").rows
    pl = export(demo_db, "rkaplan", tmp_path / "pl.xlsx", plan="VAWG").rows
    both = export(demo_db, "rkaplan", tmp_path / "b.xlsx", plan="VAWG", owner="Maria Santos").rows
    assert all_rows == 61 and 0 < ws < all_rows and 0 < pl < all_rows and both <= pl
    refs = [r[0] for r in CalamineWorkbook.from_path(str(tmp_path / "pl.xlsx"))
            .get_sheet_by_name("Actions").to_python()[1:]]
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
    rows = CalamineWorkbook.from_path(str(tom.path)).get_sheet_by_name("Actions").to_python()[1:]
    assert {r[5] for r in rows} == {"Tom Fletcher"}
    assert not list((tmp_path / "owners").glob(".*.part"))


def test_signed_off_actions_are_read_only(demo_db: Database, tracker_path: Path) -> None:
    export(demo_db, "rkaplan", tracker_path)
    ws = openpyxl.load_workbook(tracker_path)["Actions"]
    signed = [r for r in ws.iter_rows(min_row=2) if r[9].value == "Signed off"]
    assert signed
    assert all(c.protection.locked for r in signed for c in r[8:14] if c.value is not None)


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
