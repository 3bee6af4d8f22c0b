"""The tracker's columns: vrboard's field names, export labels, and header matching.

Headers are matched regardless of case, spacing, line breaks, punctuation and
hints in brackets ("Due date (dd/mm/yyyy)"), against each field's synonyms. A
saved column mapping (legacy trackers) takes precedence over the synonyms.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .values import text


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    synonyms: tuple[str, ...] = ()


FIELDS: tuple[Field, ...] = (
    Field("reference", "Reference", ("ref", "action ref", "action reference", "reference no",
                                     "reference number", "ref no", "action id", "action no",
                                     "action number", "id", "no", "number", "#")),
    Field("title", "Action", ("action", "title", "action title", "task", "action required",
                              "actions", "action description")),
    Field("description", "Description", ("description", "details", "detail", "background")),
    Field("workstream", "Workstream", ("workstream", "work stream", "strand", "theme",
                                       "workstream code", "work strand")),
    Field("plans", "Plans", ("plan", "plans", "linked plans", "linked plan", "action plan",
                             "action plans", "plan codes")),
    Field("owner", "Owner", ("owner", "action owner", "lead officer", "responsible officer",
                             "responsible", "lead", "assigned to", "owned by", "officer", "who")),
    Field("lead_organisation", "Lead organisation", ("lead organisation", "lead organization",
                                                     "organisation", "organization", "agency",
                                                     "lead agency", "lead partner", "partner")),
    # Read-only lenses the export adds; named so a returned tracker's columns are all known.
    Field("domain", "Domain", ("domain", "domain of work")),
    Field("tags", "Tags", ("tags", "tag", "groups addressed")),
    Field("start_date", "Start date", ("start date", "start", "started", "date started")),
    Field("due_date", "Due date", ("due date", "due", "deadline", "target date", "target",
                                   "due by", "by when", "completion date", "date due",
                                   "original due date", "timescale", "target completion date")),
    Field("revised_due_date", "Revised due date", ("revised due date", "revised date",
                                                   "revised deadline", "new due date",
                                                   "revised target date", "revised target",
                                                   "new deadline", "revised completion date")),
    Field("status", "Status", ("status", "progress status", "current status", "state",
                               "action status")),
    Field("rag", "RAG", ("rag", "rag status", "rag rating", "rating", "red amber green", "brag",
                         "rag rating this month")),
    Field("percent_complete", "% complete", ("% complete", "percent complete",
                                             "percentage complete", "% done", "progress %",
                                             "complete %", "percent", "%", "% completed",
                                             "percentage", "percent completed", "pct complete")),
    Field("latest_update", "Latest update", ("latest update", "last update", "previous update",
                                             "latest progress update", "update history")),
    Field("progress", "New progress update", ("new progress update", "progress update", "update",
                                              "progress", "comments", "commentary",
                                              "latest progress", "progress notes", "progress to date",
                                              "update this month", "new update", "comment")),
)
BY_NAME = {f.name: f for f in FIELDS}
FIELD_NAMES = tuple(BY_NAME)
IGNORE = "ignore"  # a mapping may name a column to skip without reporting it


MAX_HEADER_CHARS = 500  # no column name is longer; the bracket pattern is quadratic in "((((…"


def normalise(header: object) -> str:
    """'Due date\\n(dd/mm/yyyy) *' -> 'due date'."""
    s = text(header)[:MAX_HEADER_CHARS].lower().replace("\u00a0", " ")
    s = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", s)  # hints in brackets
    s = s.replace("organization", "organisation")
    s = re.sub(r"[*:?.!_\-/]+", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return s


_SYNONYMS = {normalise(s): f.name for f in FIELDS for s in (f.synonyms + (f.label,))}


def field_for(header: object, mapping: Mapping[str, str] | None = None) -> str | None:
    key = normalise(header)
    if not key:
        return None
    if mapping:
        for h, f in mapping.items():
            if not h.startswith("_") and normalise(h) == key:
                return f
    return _SYNONYMS.get(key)


@dataclass
class HeaderMatch:
    row: int                         # 0-based index of the header row
    columns: dict[str, int]          # field name -> 0-based column
    unknown: list[tuple[int, str]]   # (column, header) not understood
    duplicates: list[tuple[int, str, str]]  # (column, header, field already taken)


def find_header(rows: Sequence[Sequence[object]], mapping: Mapping[str, str] | None = None,
                scan: int = 30) -> HeaderMatch | None:
    """The header row: the one among the first ``scan`` rows naming most known fields
    (at least two), so a title block above the table is skipped."""
    best: HeaderMatch | None = None
    best_score = 1
    for r, row in enumerate(rows[:scan]):
        columns: dict[str, int] = {}
        unknown: list[tuple[int, str]] = []
        dups: list[tuple[int, str, str]] = []
        for c, cell in enumerate(row):
            if not text(cell):
                continue
            f = field_for(cell, mapping)
            if f is None:
                unknown.append((c, text(cell)))
            elif f == IGNORE:
                continue
            elif f in columns:
                dups.append((c, text(cell), f))
            else:
                columns[f] = c
        score = len(columns)
        if score > best_score and ("reference" in columns or "title" in columns):
            best, best_score = HeaderMatch(r, columns, unknown, dups), score
    return best


def column_letter(col: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


def cell_name(row: int, col: int) -> str:
    """0-based row and column -> 'F7'."""
    return f"{column_letter(col)}{row + 1}"
