"""OpenDocument spreadsheets (.ods) import like .xlsx."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.excel import builders as b
from tests.excel.conftest import action, import_file, owned_by, plan_of
from vrboard.excel.ods import read_ods
from vrboard.model import RAG
from vrboard.store import Database


def test_an_ods_tracker_imports(demo_db: Database, tmp_path: Path) -> None:
    a, c = owned_by(demo_db, "msantos")[:2]
    new_rag = RAG.AMBER if a.rag is not RAG.AMBER else RAG.GREEN
    path = b.ods(tmp_path / "tracker.ods", [
        ["Maria's actions", None, None, None, None, None],
        [],
        ["Reference", "Action", "RAG", "% complete", "Revised due date", "Progress update"],
        [a.reference, a.title, new_rag.label, a.percent_complete, None, None],
        [c.reference, c.title, c.rag.label, 0.5 if c.percent_complete != 50 else 0.6,
         dt.date(2027, 9, 30), "Two lines\nof progress"],
    ])
    plan = plan_of(demo_db, "rkaplan", path)
    assert plan.sheet == "Tracker"
    ra, rc = plan.rows
    assert ra.row == 4 and [(ch.field, ch.cell) for ch in ra.changes] == [("rag", "C4")]
    assert {ch.field for ch in rc.changes} == {"percent_complete", "revised_due_date"}
    assert rc.progress_text == "Two lines\nof progress"
    _, result = import_file(demo_db, "rkaplan", path)
    assert result.applied == [4, 5]
    assert action(demo_db, a.reference).rag is new_rag
    assert action(demo_db, c.reference).revised_due_date == dt.date(2027, 9, 30)


def test_ods_repeats_are_expanded_only_where_they_hold_data(tmp_path: Path) -> None:
    rows = ('<table:table-row><table:table-cell office:value-type="string"><text:p>Ref</text:p>'
            '</table:table-cell><table:table-cell table:number-columns-repeated="3"/>'
            '<table:table-cell office:value-type="float" office:value="7" table:number-columns-repeated="2"/>'
            '<table:table-cell table:number-columns-repeated="1016"/></table:table-row>'
            '<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
            '<table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="string">'
            '<text:p>a<text:s text:c="2"/>b</text:p></table:table-cell></table:table-row>'
            '<table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row>')
    path = b.ods_raw(tmp_path / "r.ods", b.ODS_HEAD.format(prolog="", rows=rows))
    ((name, data),) = read_ods(path)
    assert name == "T"
    assert data == [["Ref", None, None, None, 7.0, 7.0], [], [], [], ["a  b"], ["a  b"]]
