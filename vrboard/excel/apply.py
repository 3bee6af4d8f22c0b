"""Applying a change plan through the action services, in one transaction.

Default: any error refuses the whole file (nothing written). With ``skip_invalid``
the valid rows are applied and the others reported; each row is applied inside a
savepoint, so a row that fails at the last moment (someone saved the same action
meanwhile) leaves nothing half-done. Every change is audited with the file and row.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError, VrboardError
from ..model import AuditEntry, Channel, UpdateSource
from ..progress import Progress, report
from ..services import actions as act
from ..services import tracker
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


def refusal(plan: ChangePlan) -> ValidationError:
    errors = plan.errors
    lines = [f"{plan.source}: {len(errors):,} problem{'s' if len(errors) != 1 else ''} found; nothing was "
             "imported. Correct the file (or import with --skip-invalid to apply only the valid rows):"]
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
    # Load the actions in batches and hold them: the services then find each in the session's
    # identity map (which holds objects weakly) instead of querying one by one.
    in_session = {a.id for a in plan.loaded.values() if a in session}  # type: ignore[attr-defined]
    loaded = tracker.load_actions(session, [rp.action_id for rp in todo
                                            if rp.action_id and rp.action_id not in in_session])
    _begin(session)
    outer = session.begin_nested()  # everything or nothing, whatever the caller does next
    try:
        for n, rp in enumerate(todo, start=1):
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
                    raise ValidationError(f"{plan.source}: {rp.sheet} row {rp.row} ({rp.reference}) could "
                                          f"not be applied: {exc} Nothing was imported.", "file") from None
            result.applied.append(rp.row)
            if n % 500 == 0:
                report(progress, n, total, f"Applied {n:,} of {total:,} rows")
        outer.commit()
        del loaded
    except BaseException:
        outer.rollback()
        raise
    result.skipped.sort()
    result.audit_entries = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.id > before)) or 0
    report(progress, total, total, "Import applied")
    return result


def _begin(session: Session) -> None:
    """Make sure the database transaction has really begun before the first SAVEPOINT.

    Python's sqlite3 driver opens its transaction lazily, at the first INSERT/UPDATE/DELETE.
    A SAVEPOINT issued before that starts a transaction of its own, and releasing it would
    COMMIT, out of the caller's reach. An explicit BEGIN avoids that; other databases
    always have their transaction open here.
    """
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        raw = conn.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            conn.exec_driver_sql("BEGIN")


def _apply_row(session: Session, actor: Actor, plan: ChangePlan, rp: RowPlan, result: ApplyResult) -> None:
    who = actor.via(Channel.IMPORT, f"{plan.source} row {rp.row}")
    author = plan.owner_name or None
    if rp.kind == "new":
        action = act.create_action(session, who, **rp.new_fields)
        result.created.append(action.reference)
        action_id = action.id
    else:
        assert rp.action_id is not None
        action_id = rp.action_id
        changes = {c.field: c.new for c in rp.changes}
        changes.update({c.field: c.theirs for c in rp.conflicts})
        if changes:
            act.update_action(session, who, action_id, rp.version, changes)
    if rp.progress_text:
        act.add_progress(session, who, action_id, rp.progress_text, source=UpdateSource.SPREADSHEET,
                         source_file=plan.source, source_row=rp.row, author_name=author)
        result.progress_added += 1
