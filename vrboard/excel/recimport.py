"""Reading a returned recommendation tracker (``rectracker.py``) and applying it.

The same plan as an action tracker's (``planmodel``: rows unchanged, changed, conflict or error;
every error naming file, sheet, cell and field; text typed into a read-only column reported by
cell) and the same conflict rule: for each editable field, the file's value against the exported
one (did the owner change it?) and vrboard's against the exported one (did vrboard change it
since?); both changed, to different values, is a conflict, never possible when the version is
unchanged. Every change goes through ``services.reviews`` (update_recommendation, respond,
set_state), so their rules and permissions apply: the plan runs each changed row through them
in a savepoint it rolls back (which also shows the changes that follow, such as the reason
cleared when the response goes back to awaiting), and ``apply_recommendations`` runs them again,
all rows in one transaction, audited as channel "import" with source "<file> row <n>".
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError, VrboardError
from ..model import AuditEntry, Channel, Recommendation, RecommendationState, Response
from ..services import reviews as rv
from ..services import tracker
from ..services.common import begin_write
from ..services.context import Actor, Perm, require
from . import headers as h
from . import rectracker as rt
from . import stamp
from . import values as v
from .apply import ApplyResult, refusal
from .planmodel import CellError, ChangePlan, Conflict, FieldChange, RowPlan
from .reader import open_workbook

_HEADERS = {h.normalise(label): f for f, label in rt.LABELS.items()}
_HEADERS.update({h.normalise(x): f for x, f in (
    ("No", "number"), ("Rec", "number"), ("Due", "due_date"), ("Reason", "response_reason"),
    ("Evidence", "evidence_note"), ("Actions", "actions"), ("Text", "text"))})


def _choice(enum_cls: Any, what: str) -> Callable[[object], Any]:
    names = {v.text(m.label).lower(): m for m in enum_cls} | {m.value.replace("_", " "): m for m in enum_cls}
    names |= {"awaiting": Response.AWAITING} if enum_cls is Response else {}

    def parse(raw: object) -> Any:
        t = " ".join(v.text(raw).replace("_", " ").split()).lower()[:200]
        if not t:
            return None
        if t in names:
            return names[t]
        allowed = ", ".join(m.label for m in enum_cls)
        raise v.CellValueError(f"'{v.clip(v.text(raw))}' is not a {what}; choose one of {allowed}.")
    return parse


def read_recommendation_plan(session: Session, actor: Actor, path: Path | str) -> ChangePlan:
    """What importing ``path`` would do; writes nothing. Raises ValidationError (naming the file)
    when it is not a recommendation tracker; every other problem is in the plan's errors."""
    require(actor, Perm.IMPORT)
    path = Path(path)
    wb = open_workbook(path)
    try:
        hidden = wb.find_sheet(stamp.SHEET)
        hidden_rows = wb.rows(hidden) if hidden else []
        if hidden_rows and hidden_rows[0] and hidden_rows[0][0] == stamp.MAGIC:
            raise ValidationError(f"{wb.name} is an action tracker: import it with vrboard import-actions "
                                  "(or the Actions page). Nothing was imported.", "file")
        sheet = wb.find_sheet(rt.SHEET)
        if sheet is None:
            raise ValidationError(f"{wb.name}: there is no '{rt.SHEET}' sheet, so this is not a "
                                  f"recommendation tracker (sheets: {', '.join(wb.visible_sheets())}). "
                                  "Nothing was imported.", "file")
        plan = ChangePlan(source=wb.name, path=str(wb.path), sheet=sheet)
        return _plan(session, actor, plan, wb.rows(sheet), rt.decode(hidden_rows), wb.date1904)
    finally:
        wb.close()


def _header(plan: ChangePlan, rows: list[list[object]]) -> tuple[int, dict[str, int]]:
    for r, row in enumerate(rows[:30]):
        cols: dict[str, int] = {}
        unknown = []
        for c, x in enumerate(row):
            f = _HEADERS.get(h.normalise(x)) if v.text(x) else None
            if f is not None and f not in cols:
                cols[f] = c
            elif v.text(x):
                unknown.append(f"'{v.clip(v.text(x))}' (column {h.column_letter(c)})")
        if "review" in cols and "number" in cols:
            plan.unknown_columns += unknown
            return r, cols
    raise ValidationError(f"{plan.source}: sheet '{plan.sheet}' has no header row naming Review and Number "
                          "(looked in the first 30 rows). Nothing was imported.", "file")


def _trusted(session: Session, plan: ChangePlan, decoded: Any) -> dict[tuple[str, str], rt.ExportedRec]:
    """The exported values, where the hidden sheet matches what vrboard recorded at the export."""
    if decoded is None:
        plan.warnings.append("This workbook carries no recommendation tracker stamp, so changes made in "
                             "vrboard since it was prepared cannot be detected; the file's values are "
                             "compared with vrboard's as they are now.")
        return {}
    head, lines, found = decoded
    plan.from_vrboard, plan.batch_id = True, head[2] if len(head) > 2 else ""
    batch = tracker.export_batch(session, plan.batch_id)
    if batch is None or not batch.description.startswith(rt.DESCRIPTION) or not batch.stamp_digest:
        plan.warnings.append(f"This tracker's export reference ({plan.batch_id or 'blank'}) is not "
                             "recorded in this database, so the values it was exported with cannot be "
                             "checked: they are ignored, and the file's values are compared with vrboard's "
                             "as they are now.")
        return {}
    if stamp.digest(head, lines) != batch.stamp_digest:
        plan.stamp_problems = [f"The hidden _vrboard sheet does not match what vrboard recorded when it "
                               f"exported this file (export {batch.id}): its list of recommendations and "
                               "their exported values has been edited. What it claims is ignored, and the "
                               "file's values are compared with vrboard's as they are now."]
        plan.warnings[:0] = plan.stamp_problems
        return {}
    sent = tracker.exported_ids(batch)
    return {k: e for k, e in found.items() if e.id in sent}


def _plan(session: Session, actor: Actor, plan: ChangePlan, rows: list[list[object]], decoded: Any,
          date1904: bool) -> ChangePlan:
    head_row, cols = _header(plan, rows)
    exported = _trusted(session, plan, decoded)
    visible = [(r, rec) for r in rv.list_reviews(session, actor) for rec in r.recommendations]
    by_id = {rec.id: (r, rec) for r, rec in visible}
    by_key: dict[tuple[str, str], list[Any]] = {}
    for r, rec in visible:
        by_key.setdefault(rt.key(r.title, rec.number), []).append((r, rec))
    parsers: dict[str, Callable[[object], Any]] = {
        "response": _choice(Response, "response"), "state": _choice(RecommendationState, "state"),
        "response_reason": v.text, "evidence_note": v.text,
        "due_date": lambda x: v.parse_date(x, date1904=date1904)}
    seen: dict[int, int] = {}
    for i in range(head_row + 1, len(rows)):
        raw = list(rows[i]) + [None] * (max(cols.values()) + 1 - len(rows[i]))
        if all(v.is_blank(raw[c]) for c in cols.values()):
            continue
        cell = {f: h.cell_name(i, c) for f, c in cols.items()}
        k = rt.key(raw[cols["review"]], raw[cols["number"]])
        rp = RowPlan(plan.sheet, i + 1, f"Recommendation {v.clip(v.text(raw[cols['number']]), 20)}",
                     title=v.text(raw[cols["review"]])[:80])
        plan.rows.append(rp)
        e = exported.get(k)
        found = [by_id[e.id]] if e is not None and e.id in by_id else by_key.get(k, [])
        if len(found) != 1:
            why = ("more than one review has this title and number; return the tracker vrboard exported"
                   if found else "no recommendation you may see has this review and number (Review and "
                   "Number are read-only, and rows cannot be added: add recommendations in vrboard)")
            rp.errors.append(CellError(plan.sheet, cell["number"], "number", f"Number: {why}."))
            continue
        review, rec = found[0]
        rp.action_id, rp.version = rec.id, rec.version
        if rec.id in seen:
            rp.errors.append(CellError(plan.sheet, cell["number"], "number",
                                       f"Recommendation {rec.number} of {review.title} appears again "
                                       f"(first in row {seen[rec.id]})."))
            continue
        seen[rec.id] = i + 1
        _read_only(plan, rp, raw, cols, cell, rt.read_only_values(review, rec), e)
        wanted = _compare(rp, rec, raw, cols, cell, parsers, e)
        if wanted and not rp.errors:
            _trial(session, actor, plan, rp, rec, wanted, cell)
    for rp in plan.rows:
        rp.kind = ("error" if rp.errors else "conflict" if rp.conflicts else "changed" if rp.changes
                   else "unchanged")
    return plan


def _read_only(plan: ChangePlan, rp: RowPlan, raw: list[object], cols: dict[str, int], cell: dict[str, str],
               ours: tuple[object, ...], e: rt.ExportedRec | None) -> None:
    """Report text typed into a read-only column, by cell (vrboard keeps its own value)."""
    theirs = [raw[cols[f]] if f in cols else o for f, o in zip(rt.READ_ONLY, ours, strict=True)]
    if e is not None and stamp.fingerprint(theirs) == e.fingerprint:
        return
    for f, o, t in zip(rt.READ_ONLY, ours, theirs, strict=True):
        if f in cols and stamp.canon(o) != stamp.canon(t):
            note = (f"{cell[f]} {rt.LABELS[f]} is read-only and was changed in the file; not imported "
                    "(vrboard keeps its own value; ask the secretariat to change it).")
            rp.notes.append(note)
            plan.warnings.append(f"{rp.sheet}!{note} ({rp.reference} of {rp.title})")


def _compare(rp: RowPlan, rec: Recommendation, raw: list[object], cols: dict[str, int], cell: dict[str, str],
             parsers: dict[str, Callable[[object], Any]], e: rt.ExportedRec | None) -> dict[str, Any]:
    """The row's editable fields against vrboard's (and the exported ones): what the file changes."""
    wanted: dict[str, Any] = {}
    for f in rt.EDITABLE:
        if f not in cols:
            continue
        label = rt.LABELS[f]
        try:
            fv = parsers[f](raw[cols[f]])
        except v.CellValueError as exc:
            rp.errors.append(CellError(rp.sheet, cell[f], f, f"{label}: {exc}"))
            continue
        if fv is None and f in ("response", "state"):
            continue  # a cleared choice is no news
        if fv is None and f in ("response_reason", "evidence_note"):
            fv = ""
        dv = getattr(rec, f)
        if e is not None:
            ev = getattr(e, f)
            if rt.same(ev, fv):
                continue  # as exported: the owner did not change it
            if rec.version != e.version and not rt.same(ev, dv) and dv != fv:
                shown = "(a long text)" if isinstance(ev, str) and ev.startswith("\x01") else ev
                rp.conflicts.append(Conflict(f, label, dv, fv, shown, cell[f]))
                wanted[f] = fv
                continue
        if fv != dv:
            wanted[f] = fv
            rp.changes.append(FieldChange(f, label, dv, fv, cell[f]))
    return wanted


def _write(session: Session, actor: Actor, rec: Recommendation, version: int | None,
           wanted: dict[str, Any]) -> str:
    """Make the row's changes through the services, in the order their rules need (the field the
    last step was about is returned when a step refuses; see ``_trial``). ``version``: as planned."""
    step = "due_date"
    try:
        if "due_date" in wanted:
            rv.update_recommendation(session, actor, rec.id, version, due_date=wanted["due_date"])
            version = None
        state = wanted.get("state", rec.state)
        responding = "response" in wanted or "response_reason" in wanted
        stating = "state" in wanted or "evidence_note" in wanted
        order = ("state", "response") if state is RecommendationState.OPEN else ("response", "state")
        for what in order:
            if what == "response" and responding:
                step = "response"
                rv.respond(session, actor, rec.id, wanted.get("response", rec.response),
                           wanted.get("response_reason", rec.response_reason), version)
                version = None
            elif what == "state" and stating:
                step = "state"
                rv.set_state(session, actor, rec.id, state, wanted.get("evidence_note", rec.evidence_note),
                             version)
                version = None
    except VrboardError as exc:
        exc.step = step  # type: ignore[attr-defined]
        raise
    return step


def _trial(session: Session, actor: Actor, plan: ChangePlan, rp: RowPlan, rec: Recommendation,
           wanted: dict[str, Any], cell: dict[str, str]) -> None:
    """Run the row through the services in a savepoint that is rolled back: a refusal becomes the
    row's error at the cell it concerns; the changes that follow are added to the preview."""
    before = {f: getattr(rec, f) for f in rt.EDITABLE}
    begin_write(session)
    sp = session.begin_nested()
    try:
        _write(session, actor.via(Channel.IMPORT, f"{plan.source} row {rp.row}"), rec, rp.version, wanted)
        after = {f: getattr(rec, f) for f in rt.EDITABLE}
    except VrboardError as exc:
        f = getattr(exc, "field", None)
        if f not in cell or f not in rt.EDITABLE:
            f = getattr(exc, "step", "")
            f = f if f in wanted else next(iter(wanted))
        rp.errors.append(CellError(rp.sheet, cell.get(f, ""), f, f"{rt.LABELS.get(f, f)}: {exc}"))
        return
    finally:
        sp.rollback()
    cause = "Response" if "response" in wanted else "State"
    for f in rt.EDITABLE:
        if f not in wanted and after[f] != before[f]:
            rp.changes.append(FieldChange(f, rt.LABELS[f], before[f], after[f], "", follows=cause))


def apply_recommendations(session: Session, actor: Actor, plan: ChangePlan, *, accept: set[int] | None = None,
                          accept_conflicts: bool = False, skip_invalid: bool = False) -> ApplyResult:
    """Apply ``plan`` through the review services in one transaction (the caller commits). Refused
    (ValidationError listing the errors, nothing written) when the plan has errors, unless
    ``skip_invalid`` (the preview's choice: the error rows are reported, the rest applied).
    ``accept``: the rows ticked in the preview (None: every row without a conflict). A conflict row
    is applied only when accepted (or ``accept_conflicts``), and then the file's values win. Any
    refusal while applying (a recommendation saved in vrboard after the plan was made is refused
    by its version) undoes every row."""
    require(actor, Perm.IMPORT)
    if plan.file_errors or (plan.has_errors and not skip_invalid):
        raise refusal(plan, hint="")
    result = ApplyResult(plan.source)
    begin_write(session)
    before = session.scalar(select(func.max(AuditEntry.id))) or 0
    outer = session.begin_nested()
    try:
        for rp in plan.rows:
            if rp.kind == "unchanged":
                continue
            if rp.kind == "error":
                result.skipped.append((rp.row, "; ".join(str(e) for e in rp.errors)))
                continue
            if accept is not None and rp.row not in accept:
                result.skipped.append((rp.row, "not accepted in the preview"))
                continue
            if rp.kind == "conflict" and accept is None and not accept_conflicts:
                result.skipped.append((rp.row, "conflict, left as in vrboard: "
                                       + "; ".join(str(c) for c in rp.conflicts)))
                continue
            wanted = {c.field: c.new for c in rp.changes if not c.follows}
            wanted.update({c.field: c.theirs for c in rp.conflicts})
            rec = session.get(Recommendation, rp.action_id)
            try:
                if rec is None:
                    raise ValidationError("the recommendation is no longer in vrboard.")
                _write(session, actor.via(Channel.IMPORT, f"{plan.source} row {rp.row}"), rec, rp.version,
                       wanted)
            except VrboardError as exc:
                raise ValidationError(f"{plan.source}: {rp.sheet} row {rp.row} ({rp.reference} of "
                                      f"{rp.title}) could not be applied: {exc} Nothing was imported.",
                                      "file") from None
            result.applied.append(rp.row)
        outer.commit()
    except BaseException:
        outer.rollback()
        raise
    result.audit_entries = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.id > before)) or 0
    return result
