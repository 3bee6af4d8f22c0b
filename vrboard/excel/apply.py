"""Applying a change plan through the action services, in one transaction.

Default: any error refuses the whole file (nothing written). With ``skip_invalid``
the valid rows are applied and the others reported. Rows for actions already in vrboard
are checked and written together by ``services.action_batch`` (the services' own rule
checks, a few statements in all); rows that create actions go through ``create_action``,
each in a savepoint when skipping, so a row that fails leaves nothing half-done. Every
change is audited with the file and row.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError, VrboardError
from ..gcpause import gc_paused
from ..model import AuditEntry, Channel, UpdateSource
from ..progress import Progress, report
from ..services import action_batch as batch
from ..services import actions as act
from ..services.action_batch import ActionUpdate
from ..services.common import begin_write
from ..services.context import Actor, Perm, require
from .planmodel import ChangePlan, RowPlan

MAX_LISTED = 40


@dataclass
class ApplyResult:
    source: str
    applied: list[int] = field(default_factory=list)                   # Excel row numbers
    skipped: list[tuple[int, str]] = field(default_factory=list)       # (row, reason)
    created: list[str] = field(default_factory=list)                   # references of new actions
    progress_added: int = 0
    audit_entries: int = 0

    def summary(self) -> str:
        parts = [f"{len(self.applied):,} row{'s' if len(self.applied) != 1 else ''} applied"]
        if self.created:
            parts.append(f"{len(self.created):,} new action{'s' if len(self.created) != 1 else ''}")
        if self.progress_added:
            parts.append(f"{self.progress_added:,} progress update{'s' if self.progress_added != 1 else ''}")
        if self.skipped:
            parts.append(f"{len(self.skipped):,} skipped")
        parts.append(f"{self.audit_entries:,} audit entries")
        return f"{self.source}: " + ", ".join(parts)


SKIP_HINT = " (or import with --skip-invalid to apply only the valid rows)"


def refusal(plan: ChangePlan, hint: str = SKIP_HINT) -> ValidationError:
    errors = plan.errors
    lines = [f"{plan.source}: {len(errors):,} problem{'s' if len(errors) != 1 else ''} found; nothing was "
             f"imported. Correct the file{hint}:"]
    lines += [f"  {e}" for e in errors[:MAX_LISTED]]
    if len(errors) > MAX_LISTED:
        lines.append(f"  ... and {len(errors) - MAX_LISTED:,} more.")
    return ValidationError("\n".join(lines), "file")


def apply_plan(session: Session, actor: Actor, plan: ChangePlan, *, accept: set[int] | None = None,
               skip_invalid: bool = False, progress: Progress | None = None) -> ApplyResult:
    """Apply ``plan``. ``accept``: the Excel row numbers accepted in the preview (None: every row
    without a conflict). Conflict rows are applied only when accepted, and then the file's values
    win. Raises ValidationError listing the errors when the plan has any and ``skip_invalid`` is
    false; nothing is written then. The caller commits (or rolls back) the session."""
    require(actor, Perm.IMPORT)
    if plan.file_errors or (plan.has_errors and not skip_invalid):
        raise refusal(plan)
    with gc_paused():
        return _apply(session, actor, plan, accept, skip_invalid, progress)


def _apply(session: Session, actor: Actor, plan: ChangePlan, accept: set[int] | None, skip_invalid: bool,
           progress: Progress | None) -> ApplyResult:
    result = ApplyResult(plan.source)
    before = session.scalar(select(func.max(AuditEntry.id))) or 0
    todo: list[RowPlan] = []
    for rp in plan.rows:
        if rp.kind == "unchanged":
            continue
        if rp.kind == "error":
            result.skipped.append((rp.row, "; ".join(str(e) for e in rp.errors)))
        elif accept is not None and rp.row not in accept:
            result.skipped.append((rp.row, "not accepted in the preview"))
        elif rp.kind == "conflict" and accept is None:
            result.skipped.append((rp.row, "conflict, left as in vrboard: " + "; ".join(
                str(c) for c in rp.conflicts)))
        else:
            todo.append(rp)
    total = len(todo)
    # Rows for actions already in vrboard go through the batch service (same rules, a few
    # statements); new actions through create_action, one by one.
    batch_rows = [rp for rp in todo if rp.kind != "new"]
    new_rows = [rp for rp in todo if rp.kind == "new"]
    # the transaction really begun (SQLite's write lock held) before the first SAVEPOINT:
    # the rows checked cannot change before they are written (services.common.begin_write)
    begin_write(session)
    outer = session.begin_nested()  # everything or nothing, whatever the caller does next
    try:
        report(progress, 0, total, f"Checking {len(batch_rows):,} rows against vrboard")
        done = _apply_batch(session, actor, plan, batch_rows, skip_invalid, result)
        for n, rp in enumerate(new_rows, start=done + 1):
            if skip_invalid:
                try:
                    with session.begin_nested():
                        _apply_row(session, actor, plan, rp, result)
                except VrboardError as exc:
                    result.skipped.append((rp.row, f"{rp.sheet} row {rp.row}: {exc}"))
                    continue
            else:
                try:
                    _apply_row(session, actor, plan, rp, result)
                except VrboardError as exc:
                    raise _not_applied(plan, rp, exc) from None
            result.applied.append(rp.row)
            if n % 100 == 0:
                report(progress, n, total, f"Applied {n:,} of {total:,} rows")
        outer.commit()
    except BaseException:
        outer.rollback()
        raise
    result.applied.sort()
    result.skipped.sort()
    result.audit_entries = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.id > before)) or 0
    report(progress, total, total, "Import applied")
    return result


def _apply_batch(session: Session, actor: Actor, plan: ChangePlan, rows: list[RowPlan], skip_invalid: bool,
                 result: ApplyResult) -> int:
    """The rows for actions already in vrboard, checked and written together."""
    if not rows:
        return 0
    author = plan.owner_name or None
    by_row = {rp.row: rp for rp in rows}
    whose = f"{plan.owner_name}'s tracker " if plan.owner_name else ""
    updates = []
    for rp in rows:
        assert rp.action_id is not None
        changes = {ch.field: ch.new for ch in rp.changes if not ch.follows}  # vrboard derives the rest
        changes.update({ch.field: ch.theirs for ch in rp.conflicts})
        updates.append(ActionUpdate(rp.row, rp.action_id, rp.version, changes, rp.progress_text,
                                    source=f"{whose}{plan.source} row {rp.row}", source_file=plan.source,
                                    source_row=rp.row, author_name=author, author_id=plan.owner_id))
    done = batch.apply_updates(session, actor.via(Channel.IMPORT), updates, all_or_nothing=not skip_invalid)
    if done.refused and not skip_invalid:
        row, exc = min(done.refused, key=lambda r: r[0])
        raise _not_applied(plan, by_row[row], exc)
    for row, exc in done.refused:
        result.skipped.append((row, f"{by_row[row].sheet} row {row}: {exc}"))
    result.applied += done.applied
    result.progress_added += done.progress_added
    return len(rows)


def _not_applied(plan: ChangePlan, rp: RowPlan, exc: VrboardError) -> ValidationError:
    return ValidationError(f"{plan.source}: {rp.sheet} row {rp.row} ({rp.reference}) could not be applied: "
                           f"{exc} Nothing was imported.", "file")


def _apply_row(session: Session, actor: Actor, plan: ChangePlan, rp: RowPlan, result: ApplyResult) -> None:
    """A row that creates an action (and perhaps its first progress update)."""
    who = actor.via(Channel.IMPORT, f"{plan.source} row {rp.row}")
    action = act.create_action(session, who, **rp.new_fields)
    result.created.append(action.reference)
    if rp.progress_text:
        act.add_progress(session, who, action.id, rp.progress_text, source=UpdateSource.SPREADSHEET,
                         source_file=plan.source, source_row=rp.row, author_name=plan.owner_name or None,
                         author_id=plan.owner_id)
        result.progress_added += 1
