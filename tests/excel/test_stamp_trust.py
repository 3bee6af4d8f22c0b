"""A returned tracker cannot speak for someone else: the hidden _vrboard sheet is checked
against what vrboard recorded at the export, and only the record is believed."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from tests.excel.conftest import action, col, counts, export, import_file, owned_by, plan_of, row_of, snapshot
from vrboard.errors import ValidationError
from vrboard.model import AuditEntry, Person, ProgressUpdate
from vrboard.services.action_rows import action_detail
from vrboard.services.context import SYSTEM
from vrboard.store import Database


def _tamper(src: Path, dst: Path, hidden: dict[str, object], cells: dict[str, object],
            extra_row: list[object] | None = None, extra_line: str | None = None) -> Path:
    wb = openpyxl.load_workbook(src)
    for ref, value in hidden.items():
        wb["_vrboard"][ref] = value
    ws = wb["Actions"]
    for ref, value in cells.items():
        ws[ref] = value
    if extra_row is not None:
        ws.append(extra_row)
    if extra_line is not None:
        wb["_vrboard"].append([extra_line])
    wb.save(dst)
    return dst


def _toms_tracker(db: Database, tmp_path: Path) -> tuple[Path, str, int]:
    src = tmp_path / "tom.xlsx"
    export(db, "rkaplan", src, owner="tfletcher")
    a = owned_by(db, "tfletcher")[0]
    return src, a.reference, row_of(src, a.reference)


def _person_id(db: Database, login: str) -> int:
    with db.session() as s:
        return s.scalars(select(Person.id).where(Person.login == login)).one()


def _progress(db: Database, text: str) -> list[ProgressUpdate]:
    with db.session() as s:
        return list(s.scalars(select(ProgressUpdate).where(ProgressUpdate.text == text)))


def test_an_honest_return_is_the_owners_imported_by_the_secretariat(demo_db: Database,
                                                                    tmp_path: Path) -> None:
    src, ref, r = _toms_tracker(demo_db, tmp_path)
    back = _tamper(src, tmp_path / "back.xlsx", {}, {f"{col('progress')}{r}": "Venue booked."})
    plan, result = import_file(demo_db, "rkaplan", back)
    assert plan.stamp_problems == [] and plan.owner_name == "Tom Fletcher"
    assert result.progress_added == 1
    (u,) = _progress(demo_db, "Venue booked.")
    assert (u.author_name, u.author_id, u.recorded_by_name) == (
        "Tom Fletcher", _person_id(demo_db, "tfletcher"), "Ruth Kaplan")
    with demo_db.session() as s:
        line = action_detail(s, action(demo_db, ref).id, SYSTEM).updates[0]
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "progress_update")
                          .order_by(AuditEntry.id.desc())).first()
    assert line.source == (f"Spreadsheet: from Tom Fletcher's tracker back.xlsx, row {r}, "
                           "imported by Ruth Kaplan")
    assert entry.actor_name == "Ruth Kaplan" and entry.source == f"Tom Fletcher's tracker back.xlsx row {r}"


def test_a_blanked_owner_is_reported_and_the_export_record_holds(demo_db: Database, tmp_path: Path) -> None:
    src, ref, r = _toms_tracker(demo_db, tmp_path)
    maria = owned_by(demo_db, "msantos")[0]
    row: list[object] = [None] * 14
    row[0], row[1], row[ord(col("progress")) - 65] = maria.reference, maria.title, "Done for Maria."
    back = _tamper(src, tmp_path / "back.xlsx", {"E1": None, "F1": None},
                   {f"{col('progress')}{r}": "Venue booked."}, extra_row=row)
    last = openpyxl.load_workbook(back)["Actions"].max_row
    plan = plan_of(demo_db, "rkaplan", back)
    (problem,) = plan.stamp_problems
    assert "names nobody as the person the tracker is for, but it was exported for 'Tom Fletcher'" in problem
    assert problem in plan.warnings and "What the sheet claims is ignored" in problem
    assert plan.owner_name == "Tom Fletcher"
    err = next(e for e in plan.errors if e.cell == f"A{last}")
    assert err.message == (f"{maria.reference} was not in the tracker sent to Tom Fletcher; an owner's "
                           "return may update only the actions it was sent with.")
    before, audit = snapshot(demo_db), counts(demo_db)
    with pytest.raises(ValidationError, match=f"Actions!A{last}"):
        import_file(demo_db, "rkaplan", back)
    assert snapshot(demo_db) == before and counts(demo_db) == audit
    import_file(demo_db, "rkaplan", back, skip_invalid=True)
    assert _progress(demo_db, "Done for Maria.") == []
    (u,) = _progress(demo_db, "Venue booked.")
    assert u.author_name == "Tom Fletcher" and u.recorded_by_name == "Ruth Kaplan"


def test_naming_the_chair_as_owner_changes_nothing_about_who(demo_db: Database, tmp_path: Path) -> None:
    src, ref, r = _toms_tracker(demo_db, tmp_path)
    chair = _person_id(demo_db, "zadeyemi")
    back = _tamper(src, tmp_path / "back.xlsx", {"E1": str(chair), "F1": "Cllr Zoë Adeyemi"},
                   {f"{col('progress')}{r}": "Approved by the chair, honest."})
    plan = plan_of(demo_db, "rkaplan", back)
    (problem,) = plan.stamp_problems
    assert "names 'Cllr Zoë Adeyemi' as the person the tracker is for, but it was exported for " \
           "'Tom Fletcher'" in problem
    assert plan.owner_name == "Tom Fletcher"
    import_file(demo_db, "rkaplan", back)
    (u,) = _progress(demo_db, "Approved by the chair, honest.")
    assert u.author_name == "Tom Fletcher" and u.author_id != chair
    with demo_db.session() as s:
        assert not s.scalars(select(AuditEntry).where(AuditEntry.actor_name == "Cllr Zoë Adeyemi",
                                                      AuditEntry.source.like("%back.xlsx%"))).all()


def test_a_row_and_a_stamp_line_for_someone_elses_action_are_refused(demo_db: Database,
                                                                     tmp_path: Path) -> None:
    src, _ref, _r = _toms_tracker(demo_db, tmp_path)
    maria = owned_by(demo_db, "msantos")[0]
    line = "\t".join((str(maria.id), maria.reference, str(maria.version), maria.status.value,
                      maria.rag.value, str(maria.percent_complete), ""))
    row: list[object] = [None] * 14
    row[0], row[1] = maria.reference, maria.title
    row[ord(col("progress")) - 65] = "Written in Maria's name."
    row[ord(col("rag")) - 65] = "Red" if maria.rag.value != "red" else "Green"
    back = _tamper(src, tmp_path / "back.xlsx", {}, {}, extra_row=row, extra_line=line)
    plan = plan_of(demo_db, "rkaplan", back)
    (problem,) = plan.stamp_problems
    assert "its list of actions and their exported values has been edited" in problem
    (err,) = plan.errors
    assert maria.reference in err.message and "not in the tracker sent to Tom Fletcher" in err.message
    assert plan.row(int(err.cell[1:])).changes == []
    before, audit = snapshot(demo_db), counts(demo_db)
    with pytest.raises(ValidationError):
        import_file(demo_db, "rkaplan", back)
    _, result = import_file(demo_db, "rkaplan", back, skip_invalid=True)
    assert result.applied == [] and snapshot(demo_db) == before and counts(demo_db) == audit
    assert _progress(demo_db, "Written in Maria's name.") == []


def test_an_unknown_export_reference_claims_nothing(demo_db: Database, tmp_path: Path) -> None:
    src, _ref, r = _toms_tracker(demo_db, tmp_path)
    back = _tamper(src, tmp_path / "back.xlsx", {"C1": "00000000-0000-0000-0000-000000000000"},
                   {f"{col('progress')}{r}": "Who knows."})
    plan = plan_of(demo_db, "rkaplan", back)
    assert plan.owner_name == "" and any("is not recorded in this database" in w for w in plan.warnings)
    import_file(demo_db, "rkaplan", back)
    (u,) = _progress(demo_db, "Who knows.")
    assert u.author_name == "Ruth Kaplan" and u.recorded_by_name == ""
