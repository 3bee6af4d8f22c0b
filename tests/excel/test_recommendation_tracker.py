"""A recommendation tracker goes out and comes back like an action tracker: the round trip through
the review services (audited), conflicts per field by version, a refused rule naming its cell with
nothing written, the dry run, and text typed into read-only columns reported."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from tests.conftest import actor
from tests.excel.conftest import edit
from vrboard.cli import main
from vrboard.errors import ValidationError
from vrboard.excel.recimport import apply_recommendations, read_recommendation_plan
from vrboard.excel.rectracker import COL, SHEET, export_recommendations
from vrboard.model import AuditEntry, Channel, Recommendation, RecommendationState, Response
from vrboard.services import reviews as rv
from vrboard.store import Database


def col(field: str) -> str:
    return chr(65 + COL[field])


def export(db: Database, path: Path, who: str = "rkaplan", **kw: Any) -> Any:
    with db.transaction() as s:
        return export_recommendations(s, actor(db, who), path, **kw)


def plan_of(db: Database, path: Path, who: str = "rkaplan") -> Any:
    with db.session() as s:
        plan = read_recommendation_plan(s, actor(db, who), path)
        s.rollback()
        return plan


def import_file(db: Database, path: Path, who: str = "rkaplan", **kw: Any) -> Any:
    with db.transaction() as s:
        a = actor(db, who)
        plan = read_recommendation_plan(s, a, path)
        return plan, apply_recommendations(s, a, plan, **kw)


def recs(db: Database) -> dict[int, dict[str, Any]]:
    with db.session() as s:
        return {r.id: {f: getattr(r, f) for f in ("response", "response_reason", "state", "evidence_note",
                                                   "due_date", "number", "text")}
                for r in s.scalars(select(Recommendation))}


def row_of(path: Path, review: str, number: str) -> int:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        for i, row in enumerate(wb[SHEET].iter_rows(values_only=True), start=1):
            if row and row[0] == review and row[1] == number:
                return i
    finally:
        wb.close()
    raise AssertionError(f"{review} {number} not in {path}")


def pick(db: Database, response: Response | None = None, linked: bool | None = None) -> tuple[int, str, str]:
    """(id, review title, number) of the first recommendation with that response (and links)."""
    with db.session() as s:
        for r in s.scalars(select(Recommendation).order_by(Recommendation.id)):
            if response is not None and r.response is not response:
                continue
            if linked is not None and bool(r.actions) != linked:
                continue
            return r.id, r.review.title, r.number
    raise AssertionError("no such recommendation in the demo")


def test_round_trip_applies_the_edited_cells_through_the_services_audited(demo_db: Database,
                                                                          tmp_path: Path) -> None:
    src = tmp_path / "recs.xlsx"
    result = export(demo_db, src)
    assert result.rows == len(recs(demo_db))   # the secretariat sees the exempt case review too
    awaiting = pick(demo_db, Response.AWAITING, linked=False)
    accepted = pick(demo_db, Response.ACCEPTED)
    ra, rb = row_of(src, *awaiting[1:]), row_of(src, *accepted[1:])
    returned = edit(src, tmp_path / "returned.xlsx", {
        f"{col('response')}{ra}": "not accepted",                      # typed, in lower case
        f"{col('response_reason')}{ra}": "Already covered by the missing-persons protocol.",
        f"{col('due_date')}{rb}": "31/03/2028",                        # a date typed as text
    }, sheet=SHEET)
    before = recs(demo_db)
    plan = plan_of(demo_db, returned)
    assert plan.counts["changed"] == 2 and not plan.errors and not plan.warnings, plan.render()
    assert plan.from_vrboard and plan.batch_id == result.batch_id
    assert {(c.field, c.cell) for c in plan.row(ra).changes} == {
        ("response", f"{col('response')}{ra}"), ("response_reason", f"{col('response_reason')}{ra}")}
    assert recs(demo_db) == before   # planning wrote nothing

    plan, done = import_file(demo_db, returned)
    assert sorted(done.applied) == sorted([ra, rb]) and not done.skipped
    after = recs(demo_db)
    diff = {(i, f): (before[i][f], after[i][f]) for i in before for f in before[i]
            if before[i][f] != after[i][f]}
    assert diff == {
        (awaiting[0], "response"): (Response.AWAITING, Response.NOT_ACCEPTED),
        (awaiting[0], "response_reason"): ("", "Already covered by the missing-persons protocol."),
        (accepted[0], "due_date"): (before[accepted[0]]["due_date"], dt.date(2028, 3, 31)),
    }
    with demo_db.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.channel == Channel.IMPORT)).all()
        assert {(e.entity_id, e.field, e.source) for e in entries} >= {
            (awaiting[0], "response", f"returned.xlsx row {ra}"),
            (awaiting[0], "response_reason", f"returned.xlsx row {ra}"),
            (accepted[0], "due_date", f"returned.xlsx row {rb}")}
    # The same file again changes nothing.
    assert plan_of(demo_db, returned).counts["changed"] == 0


def test_a_stale_copy_is_a_conflict_per_field(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "recs.xlsx"
    export(demo_db, src)
    rid, review, number = pick(demo_db, Response.ACCEPTED)
    r = row_of(src, review, number)
    with demo_db.transaction() as s:   # someone changes it in vrboard after the export
        rv.update_recommendation(s, actor(demo_db, "rkaplan"), rid, due_date=dt.date(2029, 6, 30))
    returned = edit(src, tmp_path / "returned.xlsx", {
        f"{col('due_date')}{r}": "31/12/2029",
        f"{col('evidence_note')}{r}": "Audit of 40 cases, March."}, sheet=SHEET)
    plan = plan_of(demo_db, returned)
    row = plan.row(r)
    assert row.kind == "conflict", plan.render()
    assert [(c.field, c.cell) for c in row.conflicts] == [("due_date", f"{col('due_date')}{r}")]
    assert "changed in vrboard since the export to 30/06/2029; the file says 31/12/2029" in plan.render()
    # the evidence note was not changed in vrboard: no conflict on it
    assert [c.field for c in row.changes] == ["evidence_note"]
    before = recs(demo_db)
    _plan, done = import_file(demo_db, returned)
    assert done.skipped and done.skipped[0][0] == r and not done.applied
    assert recs(demo_db) == before
    _plan, done = import_file(demo_db, returned, accept_conflicts=True)
    assert recs(demo_db)[rid]["due_date"] == dt.date(2029, 12, 31)
    assert recs(demo_db)[rid]["evidence_note"] == "Audit of 40 cases, March."


def test_a_refused_rule_names_the_cell_and_writes_nothing(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "recs.xlsx"
    export(demo_db, src)
    _id, review, number = pick(demo_db, Response.AWAITING, linked=False)
    _id2, review2, number2 = pick(demo_db, Response.ACCEPTED)
    ra, rb = row_of(src, review, number), row_of(src, review2, number2)
    returned = edit(src, tmp_path / "returned.xlsx", {
        f"{col('response')}{ra}": "Not accepted",             # no reason given
        f"{col('due_date')}{rb}": "31/03/2028",               # valid on its own
    }, sheet=SHEET)
    before, audit = recs(demo_db), _audit_count(demo_db)
    plan = plan_of(demo_db, returned)
    assert plan.has_errors and plan.row(ra).kind == "error"
    (err,) = plan.row(ra).errors
    # the cell to fill in: the reason the response needs
    assert err.cell == f"{col('response_reason')}{ra}" and "needs the reason" in err.message
    assert str(err).startswith(f"{SHEET}!{col('response_reason')}{ra}: Response reason: Recommendation")
    with pytest.raises(ValidationError) as caught:
        import_file(demo_db, returned)
    assert "returned.xlsx: 1 problem found; nothing was imported" in str(caught.value)
    assert f"{SHEET}!{col('response_reason')}{ra}" in str(caught.value)
    assert recs(demo_db) == before and _audit_count(demo_db) == audit


def test_only_the_secretariat_and_chair_change_recommendations(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "recs.xlsx"
    export(demo_db, src)
    _id, review, number = pick(demo_db, Response.ACCEPTED)
    r = row_of(src, review, number)
    returned = edit(src, tmp_path / "returned.xlsx", {f"{col('due_date')}{r}": "31/03/2028"}, sheet=SHEET)
    plan = plan_of(demo_db, returned, who="tfletcher")   # an owner
    (err,) = plan.row(r).errors
    assert err.cell == f"{col('due_date')}{r}"


def test_dry_run_prints_the_preview_and_changes_nothing(demo_db: Database, tmp_path: Path, capsys) -> None:
    src = tmp_path / "recs.xlsx"
    url = demo_db.url
    assert main(["--db", url, "--as", "rkaplan", "export-recommendations", str(src)]) == 0
    assert "Wrote" in capsys.readouterr().out
    _id, review, number = pick(demo_db, Response.AWAITING, linked=False)
    r = row_of(src, review, number)
    returned = edit(src, tmp_path / "returned.xlsx", {f"{col('response')}{r}": "Accepted"}, sheet=SHEET)
    before, audit = recs(demo_db), _audit_count(demo_db)
    assert main(["--db", url, "--as", "rkaplan", "import-recommendations", str(returned), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert f"Row {r} Recommendation {number} {review}: changed" in printed
    assert f"{col('response')}{r} Response: Awaiting the board's response -> Accepted" in printed
    assert "Dry run: nothing was written." in printed
    assert recs(demo_db) == before and _audit_count(demo_db) == audit
    assert main(["--db", url, "--as", "rkaplan", "import-recommendations", str(returned)]) == 0
    assert "1 row applied" in capsys.readouterr().out
    assert recs(demo_db)[_id]["response"] is Response.ACCEPTED


def test_read_only_edits_are_reported_and_not_imported(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "recs.xlsx"
    export(demo_db, src)
    rid, review, number = pick(demo_db, Response.ACCEPTED)
    r = row_of(src, review, number)
    returned = edit(src, tmp_path / "returned.xlsx", {
        f"{col('text')}{r}": "Something else entirely", f"{col('actions')}{r}": "WS9-999"}, sheet=SHEET)
    before = recs(demo_db)
    plan = plan_of(demo_db, returned)
    notes = plan.row(r).notes
    assert [n.split()[0] for n in notes] == [f"{col('text')}{r}", f"{col('actions')}{r}"]
    assert all("is read-only and was changed in the file; not imported" in n for n in notes)
    assert f"{SHEET}!{col('text')}{r} Recommendation is read-only" in plan.render()
    _plan, done = import_file(demo_db, returned)
    assert not done.applied and recs(demo_db) == before


def test_the_workbook_is_protected_with_lists_and_a_hidden_stamp(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "recs.xlsx"
    export(demo_db, src)
    wb = openpyxl.load_workbook(src)
    ws = wb[SHEET]
    assert ws.protection.sheet and wb["_vrboard"].sheet_state == "veryHidden"
    assert ws[f"{col('response')}3"].protection.locked is False
    assert ws[f"{col('text')}3"].protection.locked is True
    lists = {str(d.sqref).split(":")[0][0]: d.formula1 for d in ws.data_validations.dataValidation}
    assert "Partly accepted" in lists[col("response")] and "Evidenced" in lists[col("state")]


def test_each_tracker_is_refused_by_the_other_import(demo_db: Database, tmp_path: Path) -> None:
    from tests.excel.conftest import export as export_actions
    from tests.excel.conftest import plan_of as action_plan

    recs_file, actions_file = tmp_path / "recs.xlsx", tmp_path / "actions.xlsx"
    export(demo_db, recs_file)
    export_actions(demo_db, "rkaplan", actions_file)
    with pytest.raises(ValidationError, match="is a recommendation tracker: import it with"):
        action_plan(demo_db, "rkaplan", recs_file)
    with pytest.raises(ValidationError, match="is an action tracker: import it with"):
        plan_of(demo_db, actions_file)


def _audit_count(db: Database) -> int:
    with db.session() as s:
        return len(s.scalars(select(AuditEntry.id)).all())


def test_state_rules_apply(demo_db: Database, tmp_path: Path) -> None:
    """Evidenced without an evidence note is refused at the Evidence note cell (or the state's rule)."""
    src = tmp_path / "recs.xlsx"
    export(demo_db, src)
    _id, review, number = pick(demo_db, Response.AWAITING, linked=False)
    r = row_of(src, review, number)
    returned = edit(src, tmp_path / "returned.xlsx", {f"{col('state')}{r}": "Evidenced"}, sheet=SHEET)
    (err,) = plan_of(demo_db, returned).row(r).errors
    assert err.cell == f"{col('state')}{r}" and "only a recommendation the board accepted" in err.message
    assert RecommendationState.EVIDENCED  # the label the file used
