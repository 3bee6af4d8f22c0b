"""The change plan: what importing a returned workbook would do, row by row.

Row kinds:
- ``unchanged``: nothing to do (including an update already recorded from this file);
- ``changed``: one or more fields change (``changes``); may also add a progress update;
- ``progress``: only a new progress update is added (``progress_text``);
- ``new``: a new action is created (legacy trackers, or rows added without a reference);
- ``conflict``: a field the owner changed was also changed in vrboard since the export,
  to a different value (``conflicts``); the row is applied only when accepted explicitly,
  and then the file's values win;
- ``error``: a value or rule problem (``errors``, each naming sheet, cell and reason).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .values import show

KINDS = ("unchanged", "changed", "progress", "new", "conflict", "error")


@dataclass(slots=True)
class CellError:
    sheet: str
    cell: str           # e.g. "F7"; "" when the error concerns the whole row
    field: str          # vrboard field name, or "" for the row
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{where}: {self.message}"


@dataclass(slots=True)
class FieldChange:
    field: str
    label: str
    old: object
    new: object
    cell: str
    # Set for a change that follows from another (Complete sets 100% and the completion date):
    # what it follows from. Shown in the preview; vrboard makes it itself when applying.
    follows: str = ""

    def __str__(self) -> str:
        where = self.cell or "  "
        then = f" (follows from {self.follows})" if self.follows else ""
        return f"{where} {self.label}: {show(self.old)} -> {show(self.new)}{then}"


@dataclass(slots=True)
class Conflict:
    field: str
    label: str
    yours: object       # the value in vrboard now (changed there since the export)
    theirs: object      # the value in the returned file
    exported: object    # the value both started from
    cell: str

    def __str__(self) -> str:
        return (f"{self.cell} {self.label}: changed in vrboard since the export to {show(self.yours)}; "
                f"the file says {show(self.theirs)} (exported as {show(self.exported)})")


@dataclass(slots=True)
class RowPlan:
    sheet: str
    row: int                          # 1-based Excel row number
    reference: str
    kind: str = "unchanged"
    changes: list[FieldChange] = field(default_factory=list)
    progress_text: str = ""
    progress_cell: str = ""
    errors: list[CellError] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    action_id: int | None = None
    version: int | None = None        # the version in vrboard when the plan was made
    new_fields: dict[str, object] = field(default_factory=dict)
    title: str = ""
    # What the file says that is not imported as it stands (text typed into a read-only column).
    notes: list[str] = field(default_factory=list)

    def describe(self) -> list[str]:
        name = " ".join(x for x in (self.reference, self.title) if x) or "(new action)"
        head = f"Row {self.row} {name}: {self.kind}"
        lines = [head]
        lines += [f"    {c}" for c in self.changes]
        if self.kind == "new":
            lines += [f"    {k.replace('_', ' ')}: {show(v)}" for k, v in self.new_fields.items()]
        if self.progress_text:
            text = self.progress_text if len(self.progress_text) <= 200 else self.progress_text[:197] + "..."
            lines.append(f"    {self.progress_cell} new progress update: {text!r}")
        lines += [f"    NOTE {n}" for n in self.notes]
        lines += [f"    CONFLICT {c}" for c in self.conflicts]
        lines += [f"    ERROR {e}" for e in self.errors]
        return lines


@dataclass
class ChangePlan:
    source: str                       # the file name
    path: str = ""
    sheet: str = ""
    rows: list[RowPlan] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    file_errors: list[CellError] = field(default_factory=list)
    batch_id: str = ""
    owner_name: str = ""              # who the workbook was exported for, if one owner, as vrboard
    owner_id: int | None = None       # recorded it at the export (never the file's own claim)
    stamp_problems: list[str] = field(default_factory=list)  # the hidden sheet differs from the record
    from_vrboard: bool = False        # made by vrboard's export (conflict detection possible)
    # The actions the plan checked, held so that applying in the same session finds them loaded.
    loaded: dict[int, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def errors(self) -> list[CellError]:
        """Every error, file-level first, then row by row."""
        return list(self.file_errors) + [e for r in self.rows for e in r.errors]

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(r.kind for r in self.rows)
        return {k: c.get(k, 0) for k in KINDS}

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.kind == "error" for r in self.rows)

    def row(self, number: int) -> RowPlan | None:
        return next((r for r in self.rows if r.row == number), None)

    def summary(self) -> str:
        c = self.counts
        parts = [f"{c[k]:,} {k}" for k in KINDS if c[k]]
        return f"{self.source}: {len(self.rows):,} rows" + (f" ({', '.join(parts)})" if parts else "")

    def render(self, *, include_unchanged: bool = False, limit: int | None = None) -> str:
        """The plan as text, for ``import-actions --dry-run`` and for logs."""
        out = [self.summary()]
        if self.sheet:
            who = f"; exported for {self.owner_name}" if self.owner_name else ""
            out.append(f"Sheet: {self.sheet}{who}")
        if self.unknown_columns:
            out.append("Columns not recognised (ignored): " + ", ".join(self.unknown_columns))
        out += [f"Warning: {w}" for w in self.warnings]
        out += [f"ERROR {e}" for e in self.file_errors]
        shown = 0
        for r in self.rows:
            if r.kind == "unchanged" and not include_unchanged and not r.notes:
                continue
            if limit is not None and shown >= limit:
                out.append(f"... and more rows not shown (limit {limit}).")
                break
            out += r.describe()
            shown += 1
        if not shown and not self.file_errors:
            out.append("Nothing to change.")
        return "\n".join(out)
