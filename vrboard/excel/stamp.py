"""What an exported tracker carries for the import to detect conflicts later.

A very hidden sheet ``_vrboard`` (not listed in Excel's Unhide dialog) holds, in
column A: row 1 the export's identity, then one line per action with its id,
reference, version as exported and the exported values of the editable fields.
One tab-separated cell per action keeps the sheet small and fast to read.

The sheet is the owner's to edit like any other, so nothing in it is taken on trust: the
export records (``ExportBatch``) whom the tracker was for, which actions it carried and a
SHA-256 of the sheet's text (``digest``); the import compares the two (``problems``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ..model import RAG, ActionStatus

SHEET = "_vrboard"
LISTS = "_lists"
MAGIC = "vrboard tracker"
REC_MAGIC = "vrboard recommendation tracker"   # rectracker.py: a tracker of recommendations
VERSION = "1"
ACTIONS_SHEET = "Actions"
INSTRUCTIONS_SHEET = "Instructions"
EDITABLE = ("status", "rag", "percent_complete", "revised_due_date")
COLUMNS_LINE = "id\treference\tversion\tstatus\trag\tpercent\trevised_due\tread_only"
# The read-only columns whose exported text each line fingerprints, so that text typed into
# them (a progress note written over "Latest update") is noticed and reported on import.
READ_ONLY = ("title", "description", "workstream", "plans", "owner", "lead_organisation", "due_date",
             "latest_update")


def canon(x: object) -> str:
    """A cell's value as text, the same whether written by the export or read back."""
    if x is None:
        return ""
    if type(x) is str:
        return x.replace("\r\n", "\n").strip()
    if isinstance(x, dt.datetime):
        return x.date().isoformat()
    if isinstance(x, dt.date):
        return x.isoformat()
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def fingerprint(values: Iterable[object]) -> str:
    """A CRC-32 of the read-only cells of one row (it notices edits; the stamp's SHA-256 guards
    against forgery)."""
    return format(zlib.crc32("\x1f".join(map(canon, values)).encode("utf-8")), "08x")


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


class Exports(Mapping[str, Exported]):
    """The exported actions by upper-case reference. A line is read only when asked for:
    most rows of a return are untouched and never need theirs."""

    def __init__(self) -> None:
        self._lines: dict[str, str] = {}
        self._read: dict[str, Exported | None] = {}

    def add_line(self, ref: str, line: str) -> None:
        self._lines[ref.upper()] = line

    def get(self, ref: str, default: Exported | None = None) -> Exported | None:  # type: ignore[override]
        e = self._read.get(ref, _UNREAD)
        if e is _UNREAD:
            line = self._lines.get(ref)
            e = self._read[ref] = None if line is None else _parse(line)
        return default if e is None else e  # type: ignore[return-value]

    def __getitem__(self, ref: str) -> Exported:
        e = self.get(ref)
        if e is None:
            raise KeyError(ref)
        return e

    def __contains__(self, ref: object) -> bool:
        return isinstance(ref, str) and self.get(ref) is not None

    def __iter__(self) -> Iterator[str]:
        return (ref for ref in self._lines if self.get(ref) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    @property
    def lines(self) -> Mapping[str, str]:
        """The exported line of each action by upper-case reference, as written."""
        return self._lines

    def fingerprint(self, ref: str) -> str:
        """The exported fingerprint of the row's read-only cells ("" when not known)."""
        line = self._lines.get(ref)
        if line is None or line.count("\t") != 7:
            return ""
        return line.rsplit("\t", 1)[1]


_UNREAD: object = object()


@dataclass
class Stamp:
    batch_id: str
    exported_at: dt.datetime | None
    owner_id: int | None
    owner_name: str
    actions: Exports = field(default_factory=Exports)  # by upper-case reference
    head: list[str] = field(default_factory=list)      # row 1 as written
    lines: list[str] = field(default_factory=list)     # column A from row 2, as written

    def digest(self) -> str:
        return digest(self.head, self.lines)


def digest(head: Sequence[str], lines: Iterable[str]) -> str:
    """SHA-256 of the hidden sheet's text: row 1's cells, then column A from row 2."""
    return hashlib.sha256("\n".join(("\t".join(head), *lines)).encode("utf-8")).hexdigest()


def problems(stamp: Stamp, owner_id: int | None, owner_name: str, recorded_digest: str) -> list[str]:
    """How the stamp differs from what vrboard recorded at the export (empty: it matches)."""
    out = []
    if stamp.owner_id != owner_id or stamp.owner_name != owner_name:
        said = f"'{stamp.owner_name}'" if stamp.owner_name or stamp.owner_id is not None else "nobody"
        was = f"'{owner_name}'" if owner_name else "no single owner"
        out.append(f"it names {said} as the person the tracker is for, but it was exported for {was}")
    if stamp.digest() != recorded_digest:
        out.append("its list of actions and their exported values has been edited")
    return out


def header_cells(batch_id: str, at: dt.datetime, owner_id: int | None, owner_name: str) -> list[str]:
    return [MAGIC, VERSION, batch_id, at.isoformat(timespec="microseconds"),
            "" if owner_id is None else str(owner_id), owner_name]


def encode(aid: int, ref: str, version: int, status: ActionStatus, rag: RAG, pct: int,
           revised: dt.date | None, read_only: str = "") -> str:
    return "\t".join((str(aid), ref, str(version), status.value, rag.value, str(pct),
                      revised.isoformat() if revised else "", read_only))


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
    stamp = Stamp(head[2], at, owner, head[5], head=head[:6])
    add, lines = stamp.actions.add_line, stamp.lines
    for row in rows[1:]:
        if not row or type(row[0]) is not str:
            continue
        lines.append(row[0])
        parts = row[0].split("\t", 2)
        if len(parts) == 3:
            add(parts[1], row[0])
    return stamp


def _parse(line: str) -> Exported | None:
    parts = line.split("\t")
    if len(parts) not in (7, 8):
        return None
    try:
        return Exported(int(parts[0]), parts[1], int(parts[2]), _STATUS[parts[3]], _RAG[parts[4]],
                        int(parts[5]), dt.date.fromisoformat(parts[6]) if parts[6] else None)
    except (ValueError, KeyError):
        return None
