"""Permissions hold on import: owners change only their own actions, and only what owners may."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from tests.excel.conftest import (
    action,
    col,
    counts,
    edit,
    export,
    import_file,
    owned_by,
    plan_of,
    row_of,
    snapshot,
)
from vrboard.errors import PermissionDenied
from vrboard.model import AuditEntry, Channel, ProgressUpdate
from vrboard.store import Database


def test_an_owner_imports_their_own_return(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "tom.xlsx"
    export(demo_db, "rkaplan", src, owner="tfletcher")
    (a, *_rest) = owned_by(demo_db, "tfletcher")
    r = row_of(src, a.reference)
    pct = 61 if a.percent_complete != 61 else 62
    returned = edit(src, tmp_path / "tom-back.xlsx", {f"{col('percent_complete')}{r}": pct,
                                                      f"{col('progress')}{r}": "Venue booked."})
    _, result = import_file(demo_db, "tfletcher", returned)
    assert result.applied == [r]
    assert action(demo_db, a.reference).percent_complete == pct
    with demo_db.session() as s:
        e = s.scalars(select(AuditEntry).where(AuditEntry.field == "percent_complete")
                      .order_by(AuditEntry.id.desc())).first()
        assert e is not None and e.actor_name == "Tom Fletcher" and e.channel is Channel.IMPORT
        u = s.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id.desc())).first()
        assert u is not None and u.author_name == "Tom Fletcher" and u.text == "Venue booked."


def test_an_owner_cannot_change_another_owners_action(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "all.xlsx"
    export(demo_db, "rkaplan", src)
    (maria,) = owned_by(demo_db, "msantos")[:1]
    (tom,) = owned_by(demo_db, "tfletcher")[:1]
    rm, rt = row_of(src, maria.reference), row_of(src, tom.reference)
    returned = edit(src, tmp_path / "back.xlsx", {
        f"{col('rag')}{rm}": "Red" if maria.rag.value != "red" else "Green",
        f"{col('percent_complete')}{rt}": 7 if tom.percent_complete != 7 else 8,
    })
    before, audit = snapshot(demo_db), counts(demo_db)
    plan = plan_of(demo_db, "tfletcher", returned)
    (err,) = plan.errors
    assert (err.sheet, err.cell) == ("Actions", f"{col('rag')}{rm}")
    assert "belongs to Maria Santos" in err.message
    assert plan.row(rt).kind == "changed"
    with pytest.raises(Exception, match=f"Actions!{col('rag')}{rm}"):
        import_file(demo_db, "tfletcher", returned)
    assert snapshot(demo_db) == before and counts(demo_db) == audit
    _, result = import_file(demo_db, "tfletcher", returned, skip_invalid=True)
    assert result.applied == [rt] and [r for r, _ in result.skipped] == [rm]
    assert action(demo_db, maria.reference).rag is maria.rag


def test_owners_may_not_change_what_only_the_secretariat_may(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "tom.xlsx"
    export(demo_db, "tfletcher", src, owner="tfletcher")
    (a,) = owned_by(demo_db, "tfletcher")[:1]
    r = row_of(src, a.reference)
    returned = edit(src, tmp_path / "back.xlsx", {f"{col('revised_due_date')}{r}": "01/06/2028"})
    plan = plan_of(demo_db, "tfletcher", returned)
    (err,) = plan.errors
    assert err.cell == f"{col('revised_due_date')}{r}" and "secretariat" in err.message
    # The secretariat importing the same return may make that change.
    assert plan_of(demo_db, "rkaplan", returned).row(r).kind == "changed"


def test_a_return_updates_only_the_actions_it_was_sent_with(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "tom.xlsx"
    export(demo_db, "rkaplan", src, owner="tfletcher")
    (maria,) = owned_by(demo_db, "msantos")[:1]
    wb = openpyxl.load_workbook(src)
    ws = wb["Actions"]
    extra = ws.max_row + 1
    ws.cell(extra, 1).value = maria.reference
    ws.cell(extra, ord(col("rag")) - 64).value = "Red" if maria.rag.value != "red" else "Green"
    wb.save(tmp_path / "back.xlsx")
    plan = plan_of(demo_db, "rkaplan", tmp_path / "back.xlsx")
    (err,) = plan.errors
    assert err.cell == f"A{extra}" and "sent to Tom Fletcher" in err.message


def test_a_viewer_may_not_import(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "t.xlsx"
    export(demo_db, "rkaplan", src, workstream="WS1")
    with pytest.raises(PermissionDenied, match="import"):
        plan_of(demo_db, "hmarsh", src)
