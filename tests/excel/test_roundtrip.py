"""Export, edit with openpyxl as an owner would, import: exactly the edited cells change."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import actor
from tests.excel.conftest import (
    action,
    col,
    counts,
    edit,
    export,
    import_file,
    plan_of,
    row_of,
    snapshot,
)
from vrboard.errors import ValidationError
from vrboard.model import RAG, ActionStatus, AuditEntry, Channel, ProgressUpdate, UpdateSource
from vrboard.progress import Cancelled
from vrboard.store import Database


def _open_actions(db: Database, n: int) -> list:
    from vrboard.model import Action

    with db.session() as s:
        acts = s.scalars(select(Action).where(Action.status.in_(
            [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS])).order_by(Action.reference)).all()
    return list(acts[:n])


def test_round_trip_changes_exactly_the_edited_cells(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "tracker.xlsx"
    export(demo_db, "rkaplan", src)
    a, b, c = _open_actions(demo_db, 3)
    ra, rb, rc = (row_of(src, x.reference) for x in (a, b, c))
    new_rag = RAG.GREEN if a.rag is not RAG.GREEN else RAG.RED
    new_pct = 33 if b.percent_complete != 33 else 34
    new_status = (ActionStatus.IN_PROGRESS if c.status is ActionStatus.NOT_STARTED
                  else ActionStatus.NOT_STARTED)
    returned = edit(src, tmp_path / "returned.xlsx", {
        f"{col('rag')}{ra}": new_rag.letter.lower(),            # typed as a letter, in lower case
        f"{col('percent_complete')}{rb}": f"{new_pct}%",                     # typed with a percent sign
        f"{col('revised_due_date')}{rb}": "31/12/2027",                      # a date typed as text, day first
        f"{col('status')}{rc}": new_status.label.upper(),
        f"{col('progress')}{rc}": "Workshop held with 24 residents; notes circulated.",
    })
    before = snapshot(demo_db)
    audit_before, progress_before = counts(demo_db)

    plan = plan_of(demo_db, "rkaplan", returned)
    assert plan.counts["changed"] == 3 and plan.counts["error"] == 0
    assert plan.counts["unchanged"] == 61 - 3
    row_b = plan.row(rb)
    pct, revised = col("percent_complete"), col("revised_due_date")
    assert {(ch.field, ch.cell) for ch in row_b.changes} == {("percent_complete", f"{pct}{rb}"),
                                                           ("revised_due_date", f"{revised}{rb}")}
    assert plan.row(rc).progress_text.startswith("Workshop held")
    assert snapshot(demo_db) == before  # planning wrote nothing

    plan, result = import_file(demo_db, "rkaplan", returned)
    assert sorted(result.applied) == sorted([ra, rb, rc]) and not result.skipped
    after = snapshot(demo_db)
    diff = {(ref, k): (before[ref][k], after[ref][k]) for ref in before for k in before[ref]
            if before[ref][k] != after[ref][k]}
    assert diff == {
        (a.reference, "rag"): (a.rag, new_rag),
        (b.reference, "percent_complete"): (b.percent_complete, new_pct),
        (b.reference, "revised_due_date"): (None, dt.date(2027, 12, 31)),
        (c.reference, "status"): (c.status, new_status),
    }
    with demo_db.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.channel == Channel.IMPORT)).all()
        assert {(e.entity_label, e.field, e.source) for e in entries} >= {
            (a.reference, "rag", f"returned.xlsx row {ra}"),
            (b.reference, "percent_complete", f"returned.xlsx row {rb}"),
            (c.reference, "status", f"returned.xlsx row {rc}"),
        }
        upd = s.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id.desc())).first()
        assert upd is not None and upd.action_id == c.id
        assert (upd.source, upd.source_file, upd.source_row) == (
            UpdateSource.SPREADSHEET, "returned.xlsx", rc)
    audit_after, progress_after = counts(demo_db)
    assert progress_after == progress_before + 1
    assert audit_after - audit_before == result.audit_entries > 0


def test_importing_the_same_file_twice_changes_nothing_the_second_time(demo_db: Database,
                                                                       tmp_path: Path) -> None:
    src = tmp_path / "tracker.xlsx"
    export(demo_db, "rkaplan", src)
    (a,) = _open_actions(demo_db, 1)
    r = row_of(src, a.reference)
    returned = edit(src, tmp_path / "back.xlsx",
                    {f"{col('percent_complete')}{r}": 71 if a.percent_complete != 71 else 72,
                     f"{col('progress')}{r}": "Partners met; plan agreed."})
    import_file(demo_db, "rkaplan", returned)
    state, audit = snapshot(demo_db), counts(demo_db)
    plan, result = import_file(demo_db, "rkaplan", returned)
    assert plan.counts["unchanged"] == 61 and not result.applied
    assert snapshot(demo_db) == state and counts(demo_db) == audit
    # The same text in a later month's tracker is a new update, not a duplicate.
    src2 = tmp_path / "next-month.xlsx"
    export(demo_db, "rkaplan", src2)
    r2 = row_of(src2, a.reference)
    again = edit(src2, tmp_path / "next-back.xlsx", {f"{col('progress')}{r2}": "Partners met; plan agreed."})
    plan, result = import_file(demo_db, "rkaplan", again)
    assert plan.row(r2).kind == "progress" and result.progress_added == 1


def test_a_conflict_is_caught_field_by_field(demo_db: Database, tmp_path: Path) -> None:
    from vrboard.services import actions as act

    src = tmp_path / "tracker.xlsx"
    export(demo_db, "rkaplan", src)
    x, y, z = _open_actions(demo_db, 3)
    rx, ry, rz = (row_of(src, a.reference) for a in (x, y, z))
    others = {RAG.RED: RAG.AMBER, RAG.AMBER: RAG.GREEN, RAG.GREEN: RAG.RED}
    # Meanwhile, in vrboard: x's and y's RAG change; z's percent changes.
    with demo_db.transaction() as s:
        sec = actor(demo_db, "rkaplan")
        act.update_action(s, sec, x.id, None, {"rag": others[x.rag]})
        act.update_action(s, sec, y.id, None, {"rag": others[y.rag]})
        act.update_action(s, sec, z.id, None, {"percent_complete": 5 if z.percent_complete != 5 else 6})
    returned = edit(src, tmp_path / "back.xlsx", {
        f"{col('rag')}{rx}": others[others[x.rag]].label,   # a different RAG from vrboard's: conflict
        f"{col('percent_complete')}{rx}": 44 if x.percent_complete != 44 else 45,
        f"{col('rag')}{ry}": others[y.rag].label,           # the same RAG as vrboard's: nothing to do
        f"{col('rag')}{rz}": others[z.rag].label,           # a field vrboard did not change: applies
    })
    plan = plan_of(demo_db, "rkaplan", returned)
    px, py, pz = plan.row(rx), plan.row(ry), plan.row(rz)
    assert px.kind == "conflict"
    (cf,) = px.conflicts
    assert (cf.field, cf.cell, cf.yours, cf.theirs, cf.exported) == (
        "rag", f"{col('rag')}{rx}", others[x.rag], others[others[x.rag]], x.rag)
    assert py.kind == "unchanged" and pz.kind == "changed"
    assert "CONFLICT" in plan.render()

    _, result = import_file(demo_db, "rkaplan", returned)
    assert rz in result.applied and rx not in result.applied
    assert any(row == rx and "conflict" in why for row, why in result.skipped)
    assert action(demo_db, x.reference).rag is others[x.rag]          # vrboard's value kept
    assert action(demo_db, x.reference).percent_complete == x.percent_complete
    assert action(demo_db, z.reference).rag is others[z.rag]

    # Accepted in the preview: the file's values win, the whole row applies.
    _, result = import_file(demo_db, "rkaplan", returned, accept={rx})
    assert result.applied == [rx]
    assert action(demo_db, x.reference).rag is others[others[x.rag]]


def test_no_conflict_when_the_version_is_unchanged(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "tracker.xlsx"
    export(demo_db, "rkaplan", src)
    (x,) = _open_actions(demo_db, 1)
    r = row_of(src, x.reference)
    returned = edit(src, tmp_path / "back.xlsx",
                    {f"{col('rag')}{r}": "Red" if x.rag is not RAG.RED else "Green"})
    plan = plan_of(demo_db, "rkaplan", returned)
    assert plan.row(r).kind == "changed" and not plan.row(r).conflicts


def test_any_error_refuses_the_whole_file_and_names_the_cells(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "tracker.xlsx"
    export(demo_db, "rkaplan", src)
    good, bad1, bad2, bad3 = _open_actions(demo_db, 4)
    rg, r1, r2, r3 = (row_of(src, a.reference) for a in (good, bad1, bad2, bad3))
    returned = edit(src, tmp_path / "back.xlsx", {
        f"{col('percent_complete')}{rg}": 12 if good.percent_complete != 12 else 13,
        f"{col('percent_complete')}{r1}": 150,
        f"{col('status')}{r2}": "Waiting for Godot",
        f"{col('revised_due_date')}{r3}": "31/02/2027",
    })
    before, audit = snapshot(demo_db), counts(demo_db)
    plan = plan_of(demo_db, "rkaplan", returned)
    cells = {(e.sheet, e.cell, e.field) for e in plan.errors}
    assert cells == {("Actions", f"{col('percent_complete')}{r1}", "percent_complete"),
                     ("Actions", f"{col('status')}{r2}", "status"),
                     ("Actions", f"{col('revised_due_date')}{r3}", "revised_due_date")}
    with pytest.raises(ValidationError) as err:
        import_file(demo_db, "rkaplan", returned)
    msg = str(err.value)
    assert "nothing was imported" in msg and "0 to 100" in msg
    assert f"Actions!{col('percent_complete')}{r1}" in msg
    assert f"Actions!{col('status')}{r2}" in msg and f"Actions!{col('revised_due_date')}{r3}" in msg
    assert snapshot(demo_db) == before and counts(demo_db) == audit

    _, result = import_file(demo_db, "rkaplan", returned, skip_invalid=True)
    assert result.applied == [rg]
    assert sorted(r for r, _ in result.skipped) == sorted([r1, r2, r3])
    assert action(demo_db, good.reference).percent_complete != good.percent_complete
    assert action(demo_db, bad1.reference).percent_complete == bad1.percent_complete


def test_rules_hold_status_transitions_and_signed_off_actions(demo_db: Database, tmp_path: Path) -> None:
    from vrboard.model import Action

    src = tmp_path / "tracker.xlsx"
    export(demo_db, "rkaplan", src)
    with demo_db.session() as s:
        signed = s.scalars(select(Action).where(Action.status == ActionStatus.SIGNED_OFF)).first()
    (open_one,) = _open_actions(demo_db, 1)
    rs, ro = row_of(src, signed.reference), row_of(src, open_one.reference)
    returned = edit(src, tmp_path / "back.xlsx", {
        f"{col('percent_complete')}{rs}": 50,
        # locked in Excel, but a determined owner can unprotect
        f"{col('status')}{ro}": "Signed off",           # only the chair signs off
    })
    plan = plan_of(demo_db, "rkaplan", returned)
    assert plan.row(rs).kind == "error" and "signed off" in plan.row(rs).errors[0].message
    assert plan.row(rs).errors[0].cell == f"{col('percent_complete')}{rs}"
    assert plan.row(ro).kind == "error" and plan.row(ro).errors[0].cell == f"{col('status')}{ro}"
    assert "chair" in plan.row(ro).errors[0].message


def test_completing_an_action_and_adding_progress(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "tracker.xlsx"
    export(demo_db, "rkaplan", src)
    (a,) = _open_actions(demo_db, 1)
    r = row_of(src, a.reference)
    returned = edit(src, tmp_path / "back.xlsx", {f"{col('status')}{r}": "Completed",
                                                  f"{col('progress')}{r}": "All milestones met."})
    _, result = import_file(demo_db, "rkaplan", returned)
    done = action(demo_db, a.reference)
    assert done.status is ActionStatus.AWAITING_SIGN_OFF and done.percent_complete == 100
    assert result.progress_added == 1


def test_unknown_columns_are_reported_not_fatal_and_rows_may_be_sorted(demo_db: Database,
                                                                      tmp_path: Path) -> None:
    import openpyxl

    src = tmp_path / "tracker.xlsx"
    export(demo_db, "rkaplan", src, workstream="WS1")
    wb = openpyxl.load_workbook(src)
    ws = wb["Actions"]
    ws["O2"] = "My notes"
    ws["O3"] = "ring Tom"
    ws[f"{col('percent_complete')}2"] = "Percent\nComplete"   # renamed header, still recognised
    # Sort the data rows in reverse (as an owner would in a copy without the protection).
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_col=14)]
    for i, values in enumerate(reversed(data), start=3):
        for j, value in enumerate(values, start=1):
            ws.cell(i, j).value = value
    first_ref = data[0][0]
    new_row = 2 + len(data)
    rag = ord(col("rag")) - 65
    ws.cell(new_row, rag + 1).value = "Red" if data[0][rag] != "Red" else "Green"
    wb.save(tmp_path / "back.xlsx")
    plan = plan_of(demo_db, "rkaplan", tmp_path / "back.xlsx")
    assert plan.unknown_columns == ["'My notes' (column O)"]
    assert plan.row(new_row).reference == first_ref and plan.row(new_row).kind == "changed"
    assert plan.counts["changed"] == 1 and plan.counts["error"] == 0


def test_cancelling_writes_nothing(demo_db: Database, tmp_path: Path) -> None:
    from vrboard.excel import apply_plan, read_plan

    src = tmp_path / "tracker.xlsx"
    export(demo_db, "rkaplan", src)
    acts = _open_actions(demo_db, 3)
    returned = edit(src, tmp_path / "back.xlsx", {
        f"{col('progress')}{row_of(src, a.reference)}": f"Update {i}" for i, a in enumerate(acts)})
    before, audit = snapshot(demo_db), counts(demo_db)

    def cancel(done: int, total: int, message: str = "") -> None:
        if message == "Import applied":
            raise Cancelled()

    with pytest.raises(Cancelled), demo_db.transaction() as s:
        sec = actor(demo_db, "rkaplan")
        apply_plan(s, sec, read_plan(s, sec, returned), progress=cancel)
    assert snapshot(demo_db) == before and counts(demo_db) == audit


def test_round_trip_on_sqlite_and_postgresql(any_url: str, tmp_path: Path) -> None:
    from tests.conftest import build_demo_into
    from vrboard.store import open_database

    db = open_database(any_url)
    try:
        build_demo_into(db)
        src = tmp_path / "tracker.xlsx"
        export(db, "rkaplan", src)
        a, b = _open_actions(db, 2)
        ra, rb = row_of(src, a.reference), row_of(src, b.reference)
        back = edit(src, tmp_path / "back.xlsx", {f"{col('percent_complete')}{ra}": 150,
                                                  f"{col('progress')}{rb}": "Progress on any database."})
        before, audit = snapshot(db), counts(db)
        with pytest.raises(ValidationError):
            import_file(db, "rkaplan", back)
        assert snapshot(db) == before and counts(db) == audit
        _, result = import_file(db, "rkaplan", back, skip_invalid=True)
        assert result.applied == [rb] and result.progress_added == 1
        _, again = import_file(db, "rkaplan", back, skip_invalid=True)
        assert again.progress_added == 0
    finally:
        db.close()


def test_a_change_saved_between_the_preview_and_the_apply_is_never_overwritten(demo_db: Database,
                                                                                 tmp_path: Path) -> None:
    """The preview (plan) is read in one session; before the user accepts it, the chair saves
    one of its actions. Applying refuses that row, naming it; nothing of theirs is lost."""
    from vrboard.excel import apply_plan, read_plan
    from vrboard.services import actions as act

    src = tmp_path / "tracker.xlsx"
    export(demo_db, "rkaplan", src)
    a, b = _open_actions(demo_db, 2)
    ra, rb = row_of(src, a.reference), row_of(src, b.reference)
    returned = edit(src, tmp_path / "back.xlsx", {f"{col('percent_complete')}{ra}": 41,
                                                  f"{col('percent_complete')}{rb}": 42})
    sec = actor(demo_db, "rkaplan")
    with demo_db.session() as s:
        plan = read_plan(s, sec, returned)
    assert plan.counts["changed"] == 2
    with demo_db.transaction() as s:
        act.update_action(s, actor(demo_db, "zadeyemi"), a.id, a.version, {"rag": RAG.RED})
    before, audit = snapshot(demo_db), counts(demo_db)

    refused = (rf"row {ra} \({a.reference}\) could not be applied: .*changed by someone else.*"
               "Nothing was imported")
    with pytest.raises(ValidationError, match=refused), demo_db.transaction() as s:
        apply_plan(s, sec, plan)
    assert snapshot(demo_db) == before and counts(demo_db) == audit

    with demo_db.transaction() as s:
        result = apply_plan(s, sec, plan, skip_invalid=True)
    assert result.applied == [rb]
    assert [row for row, _why in result.skipped] == [ra] and "changed by someone else" in result.skipped[0][1]
    now_a = action(demo_db, a.reference)
    assert now_a.rag is RAG.RED and now_a.percent_complete == a.percent_complete
    assert action(demo_db, b.reference).percent_complete == 42
