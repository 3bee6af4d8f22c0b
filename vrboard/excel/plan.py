"""Building the change plan from a returned workbook. Reads only; writes nothing.

Conflicts: a vrboard tracker carries each action's version and editable values as
exported (``stamp``). For each editable field the file's value is compared with the
exported one (did the owner change it?) and the database's with the exported one
(did vrboard change it since?): both changed, to different values, is a conflict.
An unchanged version means nothing changed in vrboard, so no conflict is possible.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ..errors import PermissionDenied, ValidationError, VrboardError
from ..gcpause import gc_paused
from ..progress import Progress, report
from ..services import tracker
from ..services.context import Actor, Perm, require
from . import headers as h
from . import stamp as st
from . import values as v
from .planmodel import CellError, ChangePlan, Conflict, FieldChange, RowPlan
from .read_only import offer, read_only_edits
from .reader import Workbook, open_workbook
from .untouched import untouched

EDITABLE = st.EDITABLE
NEW_ONLY = ("title", "description", "workstream", "plans", "owner", "lead_organisation", "start_date",
            "due_date")
Parser = Callable[[object], Any]


def read_plan(session: Session, actor: Actor, path: Path | str, *, mapping_name: str | None = None,
              progress: Progress | None = None) -> ChangePlan:
    """What importing ``path`` would do. Raises ValidationError (naming the file) when the file
    is refused or holds no recognisable tracker; every other problem is in ``plan.errors``."""
    require(actor, Perm.IMPORT)
    mapping = tracker.column_mapping(session, mapping_name) if mapping_name else None
    path = Path(path)
    report(progress, 0, 1, f"Checking {path.name}")
    with gc_paused():
        wb = open_workbook(path)
        try:
            return _Planner(session, actor, wb, mapping, progress).build()
        finally:
            wb.close()


class _Planner:
    def __init__(self, session: Session, actor: Actor, wb: Workbook, mapping: dict[str, str] | None,
                 progress: Progress | None) -> None:
        self.s, self.actor, self.wb, self.mapping, self.progress = session, actor, wb, mapping, progress
        self.plan = ChangePlan(source=wb.name, path=str(wb.path))
        self.stamp: st.Stamp | None = None
        # What vrboard recorded at the export (never the file's own word): whom an owner's
        # tracker was for, the actions it was sent with, and when.
        self.owner_id: int | None = None
        self.sent_ids: set[int] = set()
        self.since: dt.datetime | None = None

    # -- which sheet, which columns ------------------------------------------------------------
    def _choose_sheet(self) -> tuple[str, list[list[object]], h.HeaderMatch]:
        wb = self.wb
        hidden_sheet = wb.find_sheet(st.SHEET)
        if hidden_sheet:
            hidden_rows = wb.rows(hidden_sheet)
            if hidden_rows and hidden_rows[0] and hidden_rows[0][0] == st.REC_MAGIC:
                raise ValidationError(f"{wb.name} is a recommendation tracker: import it with vrboard "
                                      "import-recommendations (or the Reviews page). Nothing was imported.",
                                      "file")
            self.stamp = st.decode(hidden_rows)
        wanted = (self.mapping or {}).get("_sheet")
        if wanted:
            name = wb.find_sheet(str(wanted))
            if name is None:
                raise ValidationError(f"{wb.name}: the mapping names sheet '{wanted}', which this workbook "
                                      f"does not have (sheets: {', '.join(wb.visible_sheets())}).", "sheet")
            candidates = [name]
        elif self.stamp and wb.find_sheet(st.ACTIONS_SHEET):
            candidates = [wb.find_sheet(st.ACTIONS_SHEET) or st.ACTIONS_SHEET]
        else:
            candidates = [n for n in wb.visible_sheets() if n not in (st.SHEET, st.LISTS)]
        best: tuple[str, list[list[object]], h.HeaderMatch] | None = None
        for name in candidates:
            rows = wb.rows(name)
            match = h.find_header(rows, self.mapping)
            if match and (best is None or len(match.columns) > len(best[2].columns)):
                best = (name, rows, match)
        if best is None:
            where = f"sheet '{candidates[0]}'" if len(candidates) == 1 else "any sheet"
            raise ValidationError(
                f"{wb.name}: no header row found in {where} (looked in the first 30 rows for columns "
                "such as Reference, Action, Status, RAG, % complete, Due date). For a tracker with other "
                "headings, save a column mapping (vrboard save-mapping) and import with --mapping.", "file")
        return best

    def _columns(self, match: h.HeaderMatch) -> None:
        p = self.plan
        for col, header in match.unknown:
            p.unknown_columns.append(f"'{header}' (column {h.column_letter(col)})")
        for col, header, field in match.duplicates:
            first = h.column_letter(match.columns[field])
            p.warnings.append(f"Column {h.column_letter(col)} '{header}' is another "
                              f"'{h.BY_NAME[field].label}' column; column {first} is used.")
        if "reference" not in match.columns:
            p.warnings.append("There is no Reference column, so every row is read as a new action.")
        if self.stamp is None and not self.mapping:
            p.warnings.append("This workbook was not exported by vrboard, so changes made in vrboard "
                              "since it was prepared cannot be detected; the file's values are compared "
                              "with vrboard's as they are now.")

    def _check_stamp(self, stamp: st.Stamp) -> None:
        """Compare the hidden sheet with what vrboard recorded when it exported the file. Only
        the record is believed: a stamp that differs is reported and its claims ignored."""
        p = self.plan
        p.from_vrboard, p.batch_id = True, stamp.batch_id
        batch = tracker.export_batch(self.s, stamp.batch_id)
        if batch is None or not batch.stamp_digest:
            p.warnings.append(
                f"This tracker's export reference ({stamp.batch_id or 'blank'}) is not recorded in this "
                "database (exported from another vrboard database, or its hidden _vrboard sheet was "
                "edited), so whom it was for and the values it was exported with cannot be checked: "
                "they are ignored, and the file's values are compared with vrboard's as they are now.")
            stamp.actions = st.Exports()
            return
        p.owner_name, p.owner_id = batch.owner_name, batch.owner_id
        self.owner_id, self.sent_ids, self.since = batch.owner_id, tracker.exported_ids(batch), batch.at
        found = st.problems(stamp, batch.owner_id, batch.owner_name, batch.stamp_digest)
        if found:
            who = f"for {batch.owner_name}" if batch.owner_name else "not for one owner"
            p.stamp_problems = [f"The hidden _vrboard sheet does not match what vrboard recorded when it "
                                f"exported this file (export {batch.id}, {who}, "
                                f"{batch.row_count:,} action{'s' if batch.row_count != 1 else ''}): "
                                f"{'; '.join(found)}. What the sheet claims is ignored: the tracker is "
                                "treated as the one vrboard exported, and the file's values are compared "
                                "with vrboard's as they are now."]
            p.warnings[:0] = p.stamp_problems
            stamp.actions = st.Exports()

    def _not_sent(self, rp: RowPlan, cell: str, what: str) -> None:
        rp.errors.append(CellError(rp.sheet, cell, "reference",
                                   f"{what} was not in the tracker sent to {self.plan.owner_name}; an "
                                   "owner's return may update only the actions it was sent with."))

    # -- the rows ----------------------------------------------------------------------------
    def build(self) -> ChangePlan:
        name, rows, match = self._choose_sheet()
        p = self.plan
        p.sheet = name
        if self.stamp:
            self._check_stamp(self.stamp)
        self._columns(match)
        cols = match.columns
        parsers = self._parsers(rows, match)
        states = tracker.action_states(self.s)
        seen: dict[str, int] = {}
        taken = set(states)
        pending: list[tuple[RowPlan, dict[str, Any]]] = []
        new_rows: list[tuple[RowPlan, dict[str, Any], dict[str, str]]] = []
        legacy_fields_used = False
        titles: dict[str, tracker.ActionState] | None = None
        matched_by_title = 0
        total = len(rows) - match.row - 1
        width = max(cols.values()) + 1
        col_list = list(cols.values())
        ref_col, title_col, prog_col = (cols.get(f) for f in ("reference", "title", "progress"))
        editable = [(f, cols[f], parsers[f], h.BY_NAME[f].label) for f in EDITABLE if f in cols]
        exported_actions = self.stamp.actions if self.stamp else None
        quick = self._untouched(rows, match.row + 1, editable, states, ref_col, prog_col)
        typed = read_only_edits(self.s, self.actor, self.stamp, rows, match.row + 1, cols, states)
        for i in typed:
            quick[i - match.row - 1] = None
        for i in range(match.row + 1, len(rows)):
            raw = rows[i]
            if len(raw) < width:
                raw = list(raw) + [None] * (width - len(raw))
            if (i - match.row) % 5000 == 0:
                report(self.progress, i - match.row, total, f"Reading row {i + 1:,}")
            known = quick[i - match.row - 1]
            key = known.reference.upper() if known is not None else ""
            if key and key not in seen:
                seen[key] = i + 1
                p.rows.append(RowPlan(name, i + 1, known.reference, action_id=known.id, version=known.version,
                                      title=_text(raw[title_col])[:80] if title_col is not None else ""))
                continue
            for c in col_list:  # skip rows blank in every column we read
                x = raw[c]
                if x is not None and x != "" and (type(x) is not str or x.strip()):
                    break
            else:
                continue

            def cell(field: str, _raw: list[object] = raw) -> object:
                c = cols.get(field)
                return _raw[c] if c is not None else None

            def where(field: str, _i: int = i) -> str:
                c = cols.get(field)
                return h.cell_name(_i, c) if c is not None else ""

            ref = _text(raw[ref_col]).upper() if ref_col is not None else ""
            title = _text(raw[title_col]) if title_col is not None else ""
            rp = RowPlan(sheet=name, row=i + 1, reference=ref, title=title[:80])
            p.rows.append(rp)
            if ref and ref in seen:
                rp.errors.append(CellError(name, where("reference"), "reference",
                                           f"{ref} appears again (first in row {seen[ref]}); give each "
                                           "action one row."))
                continue
            if ref:
                seen[ref] = i + 1
            text = _text(raw[prog_col]) if prog_col is not None else ""
            if text:
                rp.progress_text, rp.progress_cell = text, h.cell_name(i, prog_col or 0)
            if i in typed:
                offer(self.plan, rp, typed[i], text)
            state = states.get(ref) if ref else None
            if state is None and not ref and title:
                if titles is None:
                    titles = tracker.by_title(self.s, states)
                state = titles.get(tracker.same_text(title))
                if state is not None:
                    if state.reference.upper() in seen:
                        state = None
                    else:
                        seen[state.reference.upper()] = i + 1
                        matched_by_title += 1
            if state is None:
                if self.owner_id is not None:
                    self._not_sent(rp, where("reference") or where("title"),
                                   f"The new action {ref or repr(title[:60])}")
                    continue
                fields = self._new_fields(rp, cell, where, parsers)
                if ref and self.stamp and ref in self.stamp.actions:
                    rp.errors.append(CellError(name, where("reference"), "reference",
                                               f"{ref} is no longer in vrboard (deleted since the export?)."))
                else:
                    new_rows.append((rp, fields, {f: where(f) for f in cols}))
                continue
            rp.action_id, rp.version, rp.reference = state.id, state.version, state.reference
            if not self.stamp and not legacy_fields_used:
                legacy_fields_used = any(not v.is_blank(cell(f)) for f in NEW_ONLY)
            exported = exported_actions.get(ref) if exported_actions is not None else None
            if exported is not None and exported.id != state.id:
                exported = None
            changes = self._compare(rp, state, raw, i, editable, exported)
            if rp.errors:
                continue
            if self.owner_id is not None and state.id not in self.sent_ids \
                    and (changes or rp.progress_text or rp.conflicts):
                rp.changes.clear()
                self._not_sent(rp, where("reference"), state.reference)
                continue
            if changes or rp.progress_text or rp.conflicts:
                pending.append((rp, changes))
        self._check_existing(pending, where_of=lambda rp, f: self._where(rp, f, cols))
        self._check_new(new_rows, taken)
        if matched_by_title:
            p.warnings.append(f"{matched_by_title:,} row{'s' if matched_by_title != 1 else ''} without a "
                              "reference matched an action by its exact title; add references to be sure.")
        if legacy_fields_used:
            p.warnings.append("For actions already in vrboard, only status, RAG, % complete, revised due "
                              "date and progress are imported; the other columns are used for new actions.")
        for rp in p.rows:
            if rp.errors or rp.changes or rp.progress_text or rp.conflicts or rp.new_fields:
                rp.kind = _kind(rp)
        report(self.progress, total, total, "Plan ready")
        return p

    def _untouched(self, rows: list[list[object]], first: int, editable: list[tuple[str, int, Parser, str]],
                   states: dict[str, tracker.ActionState], ref_col: int | None,
                   prog_col: int | None) -> list[tracker.ActionState | None]:
        """vrboard's state for each row found untouched in bulk (see ``untouched``), else None.
        Only for vrboard's own trackers, whose rows carry references and every editable column."""
        if self.stamp is None or ref_col is None or len(editable) != len(EDITABLE):
            return [None] * (len(rows) - first)
        position = {f: tracker.ActionState._fields.index(f) for f in EDITABLE}
        columns = [(col, parse, position[f]) for f, col, parse, _label in editable]
        return untouched(rows, first, ref_col, prog_col, columns, states)

    def _where(self, rp: RowPlan, field: str, cols: dict[str, int]) -> str:
        c = cols.get(field)
        return h.cell_name(rp.row - 1, c) if c is not None else ""

    def _parsers(self, rows: list[list[object]], match: h.HeaderMatch) -> dict[str, Parser]:
        d1904 = self.wb.date1904
        pct_col = match.columns.get("percent_complete")
        fractions = False
        if pct_col is not None:
            nums = [r[pct_col] for r in rows[match.row + 1:] if pct_col < len(r)
                    and isinstance(r[pct_col], int | float) and not isinstance(r[pct_col], bool)]
            fractions = bool(nums) and all(0 <= x <= 1 for x in nums) and any(0 < x < 1 for x in nums)
        return {
            "status": _memo(v.parse_status),
            "rag": _memo(v.parse_rag),
            "percent_complete": _memo(lambda x: v.parse_percent(x, fractions=fractions)),
            "revised_due_date": _memo(lambda x: v.parse_date(x, date1904=d1904)),
            "due_date": _memo(lambda x: v.parse_date(x, date1904=d1904)),
            "start_date": _memo(lambda x: v.parse_date(x, date1904=d1904)),
            "plans": v.parse_codes,
        }

    def _compare(self, rp: RowPlan, state: tracker.ActionState, raw: list[object], i: int,
                 editable: list[tuple[str, int, Parser, str]],
                 exported: st.Exported | None) -> dict[str, Any]:
        """The row's editable fields against vrboard's values (and the exported ones, when the
        workbook carries them): changes, conflicts and value errors. Hot: runs for every row."""
        changes: dict[str, Any] = {}
        for f, col, parse, label in editable:
            try:
                fv = parse(raw[col])
            except v.CellValueError as exc:
                rp.errors.append(CellError(rp.sheet, h.cell_name(i, col), f, f"{label}: {exc}"))
                continue
            if exported is not None:
                ev = getattr(exported, f)
                if fv == ev or (fv is None and f != "revised_due_date"):
                    continue  # untouched; or cleared, which means "no news", not "erase"
                dv = getattr(state, f)
                if state.version != exported.version and dv != ev and dv != fv:
                    rp.conflicts.append(Conflict(f, label, dv, fv, ev, h.cell_name(i, col)))
                    continue
            else:
                if fv is None:
                    continue
                dv = getattr(state, f)
            if fv != dv:
                changes[f] = fv
                rp.changes.append(FieldChange(f, label, dv, fv, h.cell_name(i, col)))
        return changes

    def _check_existing(self, pending: list[tuple[RowPlan, dict[str, Any]]],
                        where_of: Callable[[RowPlan, str], str]) -> None:
        if not pending:
            return
        since = self.since
        with_text = [rp.action_id for rp, _ in pending if rp.progress_text and rp.action_id]
        recorded = tracker.recorded_progress(self.s, with_text, since) if with_text else set()
        actions = tracker.load_actions(self.s, [rp.action_id for rp, _ in pending if rp.action_id])
        self.plan.loaded = dict(actions)
        for rp, changes in pending:
            if rp.progress_text:
                if (rp.action_id, tracker.same_text(rp.progress_text)) in recorded:
                    rp.progress_text = ""  # already recorded (the same file imported before)
                else:
                    try:
                        tracker.check_progress_text(rp.progress_text)
                    except ValidationError as exc:
                        rp.errors.append(CellError(rp.sheet, rp.progress_cell, "progress", str(exc)))
            wanted = {**changes, **{c.field: c.theirs for c in rp.conflicts}}
            if not wanted and not rp.progress_text:
                continue
            action = actions.get(rp.action_id or 0)
            if action is None:
                continue
            try:
                values = tracker.check_update(self.s, self.actor, action, wanted,
                                              progress=bool(rp.progress_text))
            except VrboardError as exc:
                rp.errors.append(self._rule_error(rp, exc, wanted, where_of))
            else:
                _follows(rp, action, wanted, values)

    def _rule_error(self, rp: RowPlan, exc: VrboardError, changes: dict[str, Any],
                    where_of: Callable[[RowPlan, str], str]) -> CellError:
        field = getattr(exc, "field", None)
        if field not in changes:
            field = "status" if "status" in changes and not isinstance(exc, PermissionDenied) else None
        if field is None:
            field = next(iter(changes), "progress" if rp.progress_text else "reference")
        cell = rp.progress_cell if field == "progress" else where_of(rp, field)
        return CellError(rp.sheet, cell, field, str(exc))

    # -- new actions -------------------------------------------------------------------------
    def _new_fields(self, rp: RowPlan, cell: Callable[[str], object], where: Callable[[str], str],
                    parsers: dict[str, Parser]) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for f in ("reference", "title", "description", "workstream", "owner", "lead_organisation", *EDITABLE,
                  "start_date", "due_date", "plans"):
            raw = cell(f)
            if v.is_blank(raw):
                continue
            try:
                fields[f] = parsers[f](raw) if f in parsers else v.text(raw)
            except v.CellValueError as exc:
                rp.errors.append(CellError(rp.sheet, where(f), f, f"{h.BY_NAME[f].label}: {exc}"))
        if "reference" in fields:
            fields["reference"] = str(fields["reference"]).upper()
        return fields

    def _check_new(self, rows: list[tuple[RowPlan, dict[str, Any], dict[str, str]]], taken: set[str]) -> None:
        for rp, fields, cells in rows:
            if rp.errors:
                continue
            try:
                rp.new_fields = tracker.check_new_action(self.s, self.actor, fields, taken)
                if rp.progress_text:
                    tracker.check_progress_text(rp.progress_text)
            except VrboardError as exc:
                field = getattr(exc, "field", None) or ""
                field = {"plan_codes": "plans", "workstream_id": "workstream", "owner_id": "owner"}.get(
                    field, field)
                if field == "progress":
                    cell = rp.progress_cell
                else:
                    cell = cells.get(field) or cells.get("title") or cells.get("reference", "")
                rp.errors.append(CellError(rp.sheet, cell, field, str(exc)))
                continue
            if rp.new_fields.get("reference"):
                taken.add(rp.new_fields["reference"])
                rp.reference = rp.new_fields["reference"]
            rp.title = str(rp.new_fields.get("title", ""))[:80]


_DERIVED_LABELS = {"percent_complete": "% complete", "completed_on": "Completed on",
                   "dropped_reason": "Reason dropped"}


def _follows(rp: RowPlan, action: Any, wanted: dict[str, Any], values: dict[str, Any]) -> None:
    """Put in the preview what applying the row will also change (Complete sets 100% and the
    completion date; leaving Complete clears that date)."""
    if "status" not in wanted:
        return
    for f, new in values.items():
        if f in wanted or f == "status":
            continue
        old = getattr(action, f, None)
        if old != new:
            rp.changes.append(FieldChange(f, _DERIVED_LABELS.get(f, f.replace("_", " ").capitalize()),
                                          old, new, "", follows="Status"))


def _text(x: object) -> str:
    """``values.text`` with a fast path for the common case, a plain string."""
    if type(x) is str:
        return x.strip() if "\r" not in x else x.replace("\r\n", "\n").strip()
    return "" if x is None else v.text(x)


def _memo(parse: Parser) -> Parser:
    """Tracker columns repeat a handful of values (statuses, RAGs, percents): parse each once."""
    cache: dict[object, tuple[bool, Any]] = {}

    def parsed(raw: object) -> Any:
        t = type(raw)
        # Strings and floats (nearly every cell) are their own keys: they never equal each other.
        key: object = raw if t is str or t is float else (t, raw)
        hit = cache.get(key)
        if hit is None:
            try:
                hit = (True, parse(raw))
            except v.CellValueError as exc:
                hit = (False, exc)
            if len(cache) < 10_000:
                cache[key] = hit
        if hit[0]:
            return hit[1]
        raise v.CellValueError(str(hit[1]))

    return parsed


def _kind(rp: RowPlan) -> str:
    if rp.errors:
        return "error"
    if rp.conflicts:
        return "conflict"
    if rp.new_fields:
        return "new"
    if rp.changes:
        return "changed"
    if rp.progress_text:
        return "progress"
    return "unchanged"
