"""What an exported tracker carries for the import to detect conflicts later.

A very hidden sheet ``_vrboard`` (not listed in Excel's Unhide dialog) holds, in
column A: row 1 the export's identity, then one line per action with its id,
reference, version as exported and the exported values of the editable fields.
One tab-separated cell per action keeps the sheet small and fast to read.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import RAG, ActionStatus

SHEET = "_vrboard"
LISTS = "_lists"
MAGIC = "vrboard tracker"
VERSION = "1"
ACTIONS_SHEET = "Actions"
INSTRUCTIONS_SHEET = "Instructions"
EDITABLE = ("status", "rag", "percent_complete", "revised_due_date")


@dataclass(slots=True)
class Exported:
    id: int
    reference: str
    version: int
    status: ActionStatus
    rag: RAG
    percent_complete: int
    revised_due_date: dt.date | None

    def value(self, f: str) -> object:
        return getattr(self, f)


@dataclass
class Stamp:
    batch_id: str
    exported_at: dt.datetime | None
    owner_id: int | None
    owner_name: str
    actions: dict[str, Exported] = field(default_factory=dict)  # by upper-case reference


def header_cells(batch_id: str, at: dt.datetime, owner_id: int | None, owner_name: str) -> list[str]:
    return [MAGIC, VERSION, batch_id, at.isoformat(timespec="microseconds"),
            "" if owner_id is None else str(owner_id), owner_name]


def encode(aid: int, ref: str, version: int, status: ActionStatus, rag: RAG, pct: int,
           revised: dt.date | None) -> str:
    return "\t".join((str(aid), ref, str(version), status.value, rag.value, str(pct),
                      revised.isoformat() if revised else ""))


_STATUS = {s.value: s for s in ActionStatus}
_RAG = {r.value: r for r in RAG}


def decode(rows: list[list[object]]) -> Stamp | None:
    """The stamp from the hidden sheet's cells, or None when absent or not understood."""
    if not rows or not rows[0] or str(rows[0][0]) != MAGIC:
        return None
    head = [("" if v is None else str(v)) for v in rows[0]] + [""] * 6
    try:
        at = dt.datetime.fromisoformat(head[3]) if head[3] else None
        owner = int(float(head[4])) if head[4] else None
    except ValueError:
        at, owner = None, None
    stamp = Stamp(head[2], at, owner, head[5])
    actions = stamp.actions
    for row in rows[1:]:
        if not row or type(row[0]) is not str:
            continue
        parts = row[0].split("\t")
        if len(parts) != 7:
            continue
        try:
            e = Exported(int(parts[0]), parts[1], int(parts[2]), _STATUS[parts[3]], _RAG[parts[4]],
                         int(parts[5]), dt.date.fromisoformat(parts[6]) if parts[6] else None)
        except (ValueError, KeyError):
            continue
        actions[e.reference.upper()] = e
    return stamp
