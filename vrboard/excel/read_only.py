"""Text typed into a returned tracker's read-only columns: found (a column at a time, against
the fingerprint exported with each row) and reported by cell; text typed into Latest update is
offered as the row's new progress update."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..services import tracker
from ..services.context import Actor
from . import headers as h
from . import stamp as st
from .planmodel import ChangePlan, RowPlan
from .untouched import read_only_differ

#: (field, cell, vrboard's text, the file's text)
Edit = tuple[str, str, str, str]


def read_only_edits(session: Session, actor: Actor, stamp: st.Stamp | None,
                    rows: list[list[object]], first: int, cols: dict[str, int],
                    states: dict[str, tracker.ActionState]) -> dict[int, list[Edit]]:
    """Rows of a vrboard tracker where text was typed into a read-only column: {row index:
    [(field, cell, vrboard's text, the file's text)]}. Each row's read-only cells are checked
    against the fingerprint exported with it; only rows that differ are compared cell by cell
    with vrboard."""
    exports = stamp.actions if stamp else None
    ref_col = cols.get("reference")
    # ``not exports`` would parse every exported line (Exports.__len__): ask for the lines.
    if exports is None or not exports.lines or ref_col is None or any(
            f not in cols for f in st.READ_ONLY):
        return {}
    ro = [cols[f] for f in st.READ_ONLY]
    # A column at a time (untouched.py): row by row this was most of a dry run's time.
    differ = read_only_differ(rows, first, ref_col, ro, exports, states)
    if not differ:
        return {}
    now = {r.id: r for r in tracker.tracker_rows(session, actor, tracker.TrackerFilter(
        action_ids=tuple(set(differ.values()))))}
    out: dict[int, list[Edit]] = {}
    for i, aid in differ.items():
        row = now.get(aid)
        if row is None:
            continue
        raw = rows[i]
        for f, c in zip(st.READ_ONLY, ro, strict=True):
            theirs = st.canon(raw[c] if c < len(raw) else None)
            ours = st.canon(getattr(row, f))
            if theirs != ours:
                out.setdefault(i, []).append((f, h.cell_name(i, c), ours, theirs))
    return out

def offer(p: ChangePlan, rp: RowPlan, edits: list[Edit], progress: str) -> None:
    """Report text typed into read-only columns by cell; text typed into Latest update is
    offered as the new progress update when the row has none."""
    for f, cell, ours, theirs in edits:
        label = h.BY_NAME[f].label if f in h.BY_NAME else f.replace("_", " ").capitalize()
        if f == "latest_update" and not progress and theirs:
            offered = theirs[len(ours):].strip(" \n:;-") if ours and theirs.startswith(ours) else theirs
            if offered:
                rp.progress_text, rp.progress_cell = offered, cell
                note = (f"{cell} {label} is read-only; the text typed there is offered as the new "
                        f"progress update: check it before applying.")
                rp.notes.append(note)
                p.warnings.append(f"{rp.sheet}!{note} ({rp.reference})")
                continue
        why = ("the New progress update on this row is imported instead" if f == "latest_update"
               else "vrboard keeps its own value; ask the secretariat to change it")
        note = f"{cell} {label} is read-only and was changed in the file; not imported ({why})."
        rp.notes.append(note)
        p.warnings.append(f"{rp.sheet}!{note} ({rp.reference})")
