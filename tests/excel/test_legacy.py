"""Trackers not made by vrboard: synonyms, a title block, and saved column mappings."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from tests.conftest import actor
from tests.excel.conftest import action, import_file, owned_by, plan_of
from vrboard.errors import NotFound, ValidationError
from vrboard.excel import list_mappings, load_mapping, read_mapping_file, save_mapping
from vrboard.model import RAG, ActionStatus, AuditEntry, Channel
from vrboard.store import Database


def _legacy(path: Path, headers: list[str], rows: list[list[object]], *, sheet: str = "Action log",
            cover: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if cover:
        ws.title = "Cover"
        ws["A1"] = "Community safety action plan - please read"
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    ws["A1"] = "Safer Communities Partnership - action tracker"
    ws["A2"] = "Last updated by the partnership manager"
    ws.append([])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    for r in range(5, 5 + len(rows)):
        for c in range(1, len(headers) + 1):
            cell = ws.cell(r, c)
            if isinstance(cell.value, float) and cell.value <= 1:
                cell.number_format = "0%"
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    wb.save(path)
    return path


def test_a_legacy_tracker_imports_through_synonyms(demo_db: Database, tmp_path: Path) -> None:
    a, b = owned_by(demo_db, "msantos")[:2]
    new_rag = RAG.RED if a.rag is not RAG.RED else RAG.GREEN
    path = _legacy(tmp_path / "legacy.xlsx",
                   ["Action Ref", "Action", "Strand", "Lead Officer", "Deadline", "RAG Rating", "% Done",
                    "Update this month", "Notes"],
                   [[a.reference, a.title, "", "Maria Santos", a.due_date, new_rag.label.upper(),
                     a.percent_complete / 100, "", "n/a"],
                    [b.reference, b.title, "", "Maria Santos", b.due_date, b.rag.label,
                     0.25 if b.percent_complete != 25 else 0.3, "Refuge places commissioned.", ""],
                    ["", "Map youth provision in the north of the borough", "WS2", "Maria Santos",
                     dt.date(2027, 3, 31), "Amber", 0.1, "Scoping started.", ""]])
    plan = plan_of(demo_db, "rkaplan", path)
    assert plan.sheet == "Action log" and not plan.from_vrboard
    assert plan.unknown_columns == ["'Notes' (column I)"]
    assert any("not exported by vrboard" in w for w in plan.warnings)
    ra, rb, rn = plan.rows
    assert (ra.row, ra.kind, [c.field for c in ra.changes]) == (5, "changed", ["rag"])
    assert rb.kind == "changed" and [c.field for c in rb.changes] == ["percent_complete"]
    assert rb.progress_text == "Refuge places commissioned."
    assert rn.kind == "new" and rn.new_fields["title"].startswith("Map youth provision")
    _, result = import_file(demo_db, "rkaplan", path)
    assert len(result.created) == 1 and result.created[0].startswith(("WS2-", "ACT-"))
    new = action(demo_db, result.created[0])
    assert new.owner is not None and new.owner.name == "Maria Santos"
    assert new.due_date == dt.date(2027, 3, 31) and new.percent_complete == 10
    assert action(demo_db, a.reference).rag is new_rag
    # Re-importing the legacy tracker changes nothing: the progress text is already recorded,
    # and the row without a reference now matches the new action by its exact title.
    plan = plan_of(demo_db, "rkaplan", path)
    assert [r.kind for r in plan.rows] == ["unchanged"] * 3
    assert plan.row(7).reference == result.created[0]
    assert any("matched an action by its exact title" in w for w in plan.warnings)


def test_a_legacy_tracker_with_odd_headers_needs_a_saved_mapping(demo_db: Database, tmp_path: Path) -> None:
    (a,) = owned_by(demo_db, "tfletcher")[:1]
    headers = ["Item #", "What", "Who's doing it", "When by", "How's it going", "Done so far",
               "Comments so far"]
    path = _legacy(tmp_path / "odd.xlsx", headers,
                   [[a.reference, a.title, "Tom", a.due_date, "Not on track", "70%", "Delayed by venue."]],
                   sheet="Q3 log", cover=True)
    with pytest.raises(ValidationError, match="--mapping"):
        plan_of(demo_db, "rkaplan", path)

    mapping_file = tmp_path / "q3.json"
    mapping_file.write_text(json.dumps({
        "Item #": "reference", "What": "Action", "Who's doing it": "ignore", "When by": "Due date",
        "How's it going": "rag", "Done so far": "% complete", "Comments so far": "progress",
        "_sheet": "Q3 log"}), encoding="utf-8")
    mapping = read_mapping_file(mapping_file)
    assert mapping["When by"] == "due_date" and mapping["Done so far"] == "percent_complete"
    with demo_db.transaction() as s:
        save_mapping(s, actor(demo_db, "rkaplan"), "Partnership Q3", mapping)
    with demo_db.session() as s:
        assert list_mappings(s) == [("Partnership Q3", mapping)]
        assert load_mapping(s, "partnership q3") == mapping
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "column_mapping")).one()
        assert entry.field == "created" and entry.actor_name == "Ruth Kaplan"
        with pytest.raises(NotFound, match="Partnership Q3"):
            load_mapping(s, "nope")

    _, result = import_file(demo_db, "rkaplan", path, mapping_name="Partnership Q3")
    assert result.applied == [5] and result.progress_added == 1
    after = action(demo_db, a.reference)
    assert after.rag is RAG.RED and after.percent_complete == 70
    assert after.status is a.status


def test_saving_a_mapping_again_replaces_it_and_is_audited(demo_db: Database) -> None:
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        save_mapping(s, sec, "Old tracker", {"Ref": "reference", "State": "status"})
    with demo_db.transaction() as s:
        save_mapping(s, sec, "old tracker", {"Ref": "reference", "State": "status", "Colour": "rag"})
    with demo_db.session() as s:
        assert [n for n, _ in list_mappings(s)] == ["Old tracker"]
        changes = s.scalars(select(AuditEntry).where(AuditEntry.entity == "column_mapping")).all()
        assert [e.field for e in changes] == ["created", "mapping_json"]
        assert all(e.channel is Channel.APP for e in changes)


@pytest.mark.parametrize("mapping,problem", [
    ({}, "non-empty"),
    ({"Ref": "colour"}, "no such field"),
    ({"Notes": "ignore"}, "reference or the action's title"),
    ({"_tab": "x", "Ref": "reference"}, "unknown option"),
])
def test_bad_mappings_are_refused(demo_db: Database, mapping: dict, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem), demo_db.transaction() as s:
        save_mapping(s, actor(demo_db, "rkaplan"), "Bad", mapping)


def test_a_new_action_row_needs_what_vrboard_needs(demo_db: Database, tmp_path: Path) -> None:
    path = _legacy(tmp_path / "new.xlsx", ["Reference", "Action", "Workstream", "Status", "Plans"], [
        ["", "Something with no workstream", "", "In progress", ""],
        ["", "Something in a workstream that does not exist", "WS42", "", ""],
        ["XX-1", "A good new action", "WS4", "Not started", "KCAP, VAWG"],
        ["", "A plan that does not exist", "WS4", "", "NOPE"],
    ])
    plan = plan_of(demo_db, "rkaplan", path)
    kinds = [r.kind for r in plan.rows]
    assert kinds == ["error", "error", "new", "error"]
    assert plan.rows[0].errors[0].message.startswith("A new action needs a workstream")
    assert plan.rows[1].errors[0].cell == "C6" and "WS42" in plan.rows[1].errors[0].message
    assert plan.rows[3].errors[0].cell == "E8" and "NOPE" in plan.rows[3].errors[0].message
    assert plan.rows[2].new_fields["plan_codes"] == ["KCAP", "VAWG"]
    # An owner may not create actions.
    plan = plan_of(demo_db, "tfletcher", path)
    assert plan.rows[2].kind == "error" and "create and edit any action" in plan.rows[2].errors[0].message
    _, result = import_file(demo_db, "rkaplan", path, skip_invalid=True)
    assert result.created == ["XX-1"]
    assert action(demo_db, "XX-1").status is ActionStatus.NOT_STARTED


def test_formulas_by_cached_value_and_the_1904_date_system(demo_db: Database, tmp_path: Path) -> None:
    import xlsxwriter

    (a,) = owned_by(demo_db, "tfletcher")[:1]
    pct = 45 if a.percent_complete != 45 else 46
    path = tmp_path / "mac.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"date_1904": True})
    ws = wb.add_worksheet("Tracker")
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, ["Reference", "Action", "Workstream", "% complete", "Due date", "Revised due date"])
    ws.write_string(1, 0, a.reference)
    ws.write_formula(1, 3, f"={pct - 5}+5", None, pct)          # a formula: its cached value is read
    ws.write_datetime(1, 5, dt.datetime(2028, 2, 29), date)     # a real date cell, 1904 system
    ws.write_row(2, 0, ["", "Plan the summer programme", "WS7"])
    ws.write_number(2, 4, 45351)                                # a bare serial number, 1904 system
    wb.close()
    plan = plan_of(demo_db, "rkaplan", path)
    row = plan.row(2)
    assert {c.field: c.new for c in row.changes} == {"percent_complete": pct,
                                                    "revised_due_date": dt.date(2028, 2, 29)}
    assert plan.row(3).new_fields["due_date"] == dt.date(2028, 3, 1)
