"""An import report that hides nothing: text typed into read-only columns is reported by cell
(and Latest update's offered as the new progress update), changes that follow from another are
in the preview, and each row is named by reference and title."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from sqlalchemy import select

from tests.excel.conftest import action, col, export, import_file, owned_by, plan_of, row_of
from vrboard.model import ActionStatus, ProgressUpdate
from vrboard.store import Database


def _tom(db: Database, tmp_path: Path, cells) -> tuple[Path, list, list[int]]:
    src = tmp_path / "tom.xlsx"
    export(db, "rkaplan", src, owner="tfletcher")
    acts = owned_by(db, "tfletcher")
    rows = [row_of(src, a.reference) for a in acts]
    wb = openpyxl.load_workbook(src)
    ws = wb["Actions"]
    for ref, value in cells(acts, rows, ws).items():
        ws[ref] = value
    back = tmp_path / "back.xlsx"
    wb.save(back)
    return back, acts, rows


def test_text_typed_into_latest_update_is_offered_as_the_progress_update(demo_db: Database,
                                                                         tmp_path: Path) -> None:
    latest, desc = col("latest_update"), col("description")

    def cells(acts, rows, ws):
        old = ws[f"{latest}{rows[0]}"].value or ""
        return {f"{latest}{rows[0]}": old + "\nVenue booked for March.",
                f"{latest}{rows[1]}": "Written over the latest update.",
                f"{col('progress')}{rows[1]}": "The real update.",
                f"{desc}{rows[2]}": "My own description"}

    back, acts, rows = _tom(demo_db, tmp_path, cells)
    plan = plan_of(demo_db, "rkaplan", back)
    first, second, third = (plan.row(r) for r in rows[:3])
    assert first.kind == "progress" and first.progress_text == "Venue booked for March."
    assert first.progress_cell == f"{latest}{rows[0]}"
    assert first.notes == [f"{latest}{rows[0]} Latest update is read-only; the text typed there is offered "
                           "as the new progress update: check it before applying."]
    assert second.progress_text == "The real update." and second.notes == [
        f"{latest}{rows[1]} Latest update is read-only and was changed in the file; not imported (the New "
        "progress update on this row is imported instead)."]
    assert third.kind == "unchanged"
    assert third.notes[0].startswith(f"{desc}{rows[2]} Description is read-only")
    assert sum(w.startswith("Actions!") for w in plan.warnings) == 3
    text = plan.render()
    assert f"NOTE {desc}{rows[2]} Description is read-only" in text  # an unchanged row with a note is shown
    _, result = import_file(demo_db, "rkaplan", back)
    assert result.progress_added == 2
    assert action(demo_db, acts[2].reference).description == acts[2].description
    with demo_db.session() as s:
        texts = set(s.scalars(select(ProgressUpdate.text).where(ProgressUpdate.action_id.in_(
            [acts[0].id, acts[1].id]))))
    assert {"Venue booked for March.", "The real update."} <= texts
    assert "Written over the latest update." not in texts


def test_an_untouched_return_has_no_notes(demo_db: Database, tmp_path: Path) -> None:
    back, _acts, _rows = _tom(demo_db, tmp_path, lambda acts, rows, ws: {})
    plan = plan_of(demo_db, "rkaplan", back)
    assert plan.warnings == [] and all(not r.notes for r in plan.rows)
    assert plan.render().endswith("Nothing to change.")


def test_the_preview_shows_what_follows_from_complete(demo_db: Database, tmp_path: Path) -> None:
    back, acts, rows = _tom(demo_db, tmp_path, lambda acts, rows, ws: {
        f"{col('status')}{rows[0]}": "Complete, awaiting sign-off"})
    a = acts[0]
    plan = plan_of(demo_db, "rkaplan", back)
    rp = plan.row(rows[0])
    assert [(c.field, c.new, c.follows) for c in rp.changes] == [
        ("status", ActionStatus.AWAITING_SIGN_OFF, ""), ("percent_complete", 100, "Status"),
        ("completed_on", dt.date.today(), "Status")]
    described = "\n".join(rp.describe())
    assert described.startswith(f"Row {rows[0]} {a.reference} {a.title[:80]}: changed")
    assert f"% complete: {a.percent_complete} -> 100 (follows from Status)" in described
    assert f"Completed on: (blank) -> {dt.date.today():%d/%m/%Y} (follows from Status)" in described
    import_file(demo_db, "rkaplan", back)
    after = action(demo_db, a.reference)
    assert (after.status, after.percent_complete, after.completed_on) == (
        ActionStatus.AWAITING_SIGN_OFF, 100, dt.date.today())
