"""The Excel round trip: owners' trackers out, their returns back in, nothing lost.

Headless (no Qt). File libraries are imported lazily, so importing this package is cheap.
Every function takes the session and the acting user (``services.context.Actor``).

Export (each needs the EXPORT permission; the caller commits the session, since an
action export records an ``ExportBatch``)::

    export_actions(session, actor, out_path, *, workstream=None, owner=None, plan=None,
                   progress=None) -> ExportResult(path, rows, batch_id)
    export_per_owner(session, actor, folder, *, progress=None) -> list[ExportResult]
        one workbook per owner ("VRB actions - <owner>.xlsx"), plus one for unowned actions
    export_members(session, actor, out_path) -> ExportResult
    export_meetings(session, actor, out_path) -> ExportResult   (Meetings + Attendance sheets)
    export_audit(session, actor, out_path, *, progress=None) -> ExportResult

Import::

    read_plan(session, actor, path, *, mapping_name=None, progress=None) -> ChangePlan
        Writes nothing. Raises ValidationError (message names the file) when the file is
        refused (not a workbook, damaged, encrypted, .xls, zip bomb, DOCTYPE/entities, absurd
        sizes) or holds no recognisable header row. Everything else is in the plan:
        ChangePlan.source (file name), .sheet, .rows: list[RowPlan], .unknown_columns,
        .warnings, .errors (all CellErrors, flattened), .counts ({kind: n}), .summary(),
        .render() (the text ``import-actions --dry-run`` prints), .from_vrboard,
        .owner_name (who an exported tracker was for), .batch_id.
        RowPlan: .sheet, .row (1-based Excel row), .reference, .title, .kind,
        .changes: list[FieldChange(field, label, old, new, cell)], .progress_text,
        .progress_cell, .errors: list[CellError(sheet, cell, field, message)],
        .conflicts: list[Conflict(field, label, yours, theirs, exported, cell)] where
        yours = vrboard's value now, theirs = the file's value, exported = the value both
        started from; .new_fields (for kind "new"); .action_id; .version.
        Kinds: "unchanged", "changed" (fields change; may also add a progress update),
        "progress" (only a new progress update), "new" (a new action), "conflict",
        "error" (see ``planmodel``).

    apply_plan(session, actor, plan, *, accept=None, skip_invalid=False, progress=None)
        -> ApplyResult(source, applied: list[row], skipped: list[(row, reason)],
                       created: list[reference], progress_added, audit_entries)
        accept: the Excel row numbers accepted in the preview; None = every row except
        conflicts. A conflict row is applied only when its row number is in ``accept``,
        and then the file's values win. By default any error refuses the whole file:
        ValidationError listing the errors, nothing written. ``skip_invalid`` applies the
        valid rows and reports the rest (a preview that lets the user go ahead without the
        error rows passes skip_invalid=True). Rows for actions already in vrboard go
        through services.action_batch (the rules of update_action / add_progress, checked
        by the same functions, written together); new actions through create_action.
        Every change is audited as channel "import" with source "<file> row <n>". Runs
        inside a savepoint: on error nothing remains; the caller commits.

Recommendation trackers (the reviews' recommendations; docs/excel.md)::

    rectracker.export_recommendations(session, actor, out_path, *, review_id=None) -> ExportResult
    recimport.read_recommendation_plan(session, actor, path) -> ChangePlan   (writes nothing)
    recimport.apply_recommendations(session, actor, plan, *, accept=None, accept_conflicts=False,
                                    skip_invalid=False) -> ApplyResult
        through services.reviews, in one transaction; RowPlan.action_id holds the
        recommendation's id.

Saved column mappings for legacy trackers (ColumnMapping table, audit-logged)::

    save_mapping(session, actor, name, mapping: dict[str, str]) -> dict[str, str]
    list_mappings(session) -> list[(name, mapping)]
    load_mapping(session, name) -> dict[str, str]
    read_mapping_file(path) -> dict[str, str]   (validates a JSON mapping file)

Importing the same file twice changes nothing the second time: values already equal
are unchanged, and a progress update already recorded (same action and text, since
the export) is not added again.
"""
from __future__ import annotations

from typing import Any

_EXPORTS = {
    "export_actions": "export", "export_per_owner": "export",
    "export_members": "lists", "export_meetings": "lists", "export_audit": "lists",
    "read_plan": "plan", "apply_plan": "apply", "ApplyResult": "apply",
    "ChangePlan": "planmodel", "RowPlan": "planmodel", "FieldChange": "planmodel",
    "CellError": "planmodel", "Conflict": "planmodel", "KINDS": "planmodel",
    "ExportResult": "xlsx",
    "save_mapping": "mappings", "list_mappings": "mappings", "load_mapping": "mappings",
    "read_mapping_file": "mappings",
    "export_recommendations": "rectracker", "read_recommendation_plan": "recimport",
    "apply_recommendations": "recimport",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'vrboard.excel' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)
