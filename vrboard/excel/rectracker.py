"""Recommendation trackers: the reviews' recommendations as a workbook that goes out and comes back
like an action tracker (``recimport.py`` reads it back, with the same preview and conflict rules).

Sheets: Instructions; Recommendations, an Excel table (frozen header, Review and Number; filters;
wrapped text; dd/mm/yyyy dates) whose Response, Response reason, State, Evidence note and Due date
are editable (pale yellow, drop-downs for Response and State, a date check on Due date) and whose
Review, Number, Recommendation and Linked actions are read-only (grey, protected without a password);
and the very hidden ``_vrboard`` sheet: row 1 the export's identity (``stamp.REC_MAGIC``), then
one JSON line per recommendation with its id, version, the exported editable values and a CRC-32
of its read-only cells. The ``ExportBatch`` keeps the recommendations' ids and the SHA-256 of
the hidden sheet's text (``stamp.digest``), so the import believes the sheet only where it matches.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ..model import Recommendation, RecommendationState, Response, Review, utcnow
from ..services import reviews as rv
from ..services import tracker
from ..services.access import marking
from ..services.context import Actor, Perm, require
from . import stamp
from .export import _Styles, _who, return_banner, write_instructions
from .xlsx import (
    FORMULA_START,
    ExportResult,
    _finish_table,
    _table_header,
    abandon,
    finish,
    new_workbook,
    row_height,
    serial,
)

SHEET = "Recommendations"
DESCRIPTION = "Recommendations"   # an ExportBatch's description starts with it
# (field, header, width, editable, kind). Review and Number name the row; the board's response
# and the state follow the recommendation's text, then the linked actions for reference.
COLUMNS: tuple[tuple[str, str, int, bool, str], ...] = (
    ("review", "Review", 22, False, "wrap"),
    ("number", "Number", 8, False, "int"),     # centred; written as text ("3a")
    ("text", "Recommendation", 44, False, "wrap"),
    ("response", "Response", 24, True, "text"),
    ("response_reason", "Response reason", 30, True, "wrap"),
    ("state", "State", 13, True, "text"),
    ("evidence_note", "Evidence note", 30, True, "wrap"),
    ("due_date", "Due date", 11, True, "date"),
    ("actions", "Linked actions", 26, False, "wrap"),
)
COL = {f: i for i, (f, *_rest) in enumerate(COLUMNS)}
LABELS = {f: label for f, label, *_rest in COLUMNS}
EDITABLE = tuple(f for f, _l, _w, editable, _k in COLUMNS if editable)
READ_ONLY = ("review", "number", "text", "actions")
HEADER_ROW = 1                  # row 1 (index 0) says when and to whom to return the file
FIRST_ROW = HEADER_ROW + 1
RESPONSE_CHOICES = [r.label for r in Response]
STATE_CHOICES = [s.label for s in RecommendationState]
LONG = 4000   # longer texts travel in the stamp as their SHA-256 (a cell holds 32,767 characters)


def key(review: object, number: object) -> tuple[str, str]:
    """How a row is matched with a recommendation: its review's title and its number."""
    return (tracker.same_text(stamp.canon(review)), stamp.canon(number).lower())


def actions_text(rec: Recommendation) -> str:
    return "\n".join(f"{a.reference} ({a.status.label.lower()})" for a in rec.actions)


def read_only_values(review: Review, rec: Recommendation) -> tuple[object, ...]:
    """The read-only cells of a recommendation's row, in READ_ONLY's order."""
    return (review.title, rec.number, rec.text, actions_text(rec))


def token(text: str) -> str:
    """A text as the stamp keeps it: itself, or its SHA-256 when long."""
    return text if len(text) <= LONG else "\x01" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def same(exported: object, value: object) -> bool:
    """Is ``value`` what was exported (``exported`` as the stamp keeps it)?"""
    if isinstance(exported, str) and isinstance(value, str):
        return token(value) == exported
    return exported == value


@dataclass(frozen=True, slots=True)
class ExportedRec:
    id: int
    version: int
    review: str
    number: str
    response: Response
    response_reason: str
    state: RecommendationState
    evidence_note: str
    due_date: dt.date | None
    fingerprint: str


def encode(review: Review, rec: Recommendation) -> str:
    return json.dumps([rec.id, rec.version, review.title, rec.number, rec.response.value,
                       token(rec.response_reason), rec.state.value, token(rec.evidence_note),
                       rec.due_date.isoformat() if rec.due_date else "",
                       stamp.fingerprint(read_only_values(review, rec))], ensure_ascii=False)


Decoded = tuple[list[str], list[str], dict[tuple[str, str], ExportedRec]]


def decode(rows: Sequence[Sequence[object]]) -> Decoded | None:
    """(row 1's cells, column A from row 2, the exported recommendations by ``key``) from the
    hidden sheet, or None when it is not a recommendation tracker's. Lines not understood are
    left out (the digest still covers them)."""
    if not rows or not rows[0] or str(rows[0][0]) != stamp.REC_MAGIC:
        return None
    head = ([("" if x is None else str(x)) for x in rows[0]] + [""] * 6)[:6]
    lines = [r[0] for r in rows[1:] if r and type(r[0]) is str]
    found: dict[tuple[str, str], ExportedRec] = {}
    for line in lines:
        try:
            i, ver, review, number, resp, reason, state, note, due, fp = json.loads(line)
            e = ExportedRec(int(i), int(ver), str(review), str(number), Response(resp), str(reason),
                            RecommendationState(state), str(note),
                            dt.date.fromisoformat(due) if due else None, str(fp))
        except (ValueError, TypeError):
            continue
        found[key(e.review, e.number)] = e
    return head, lines, found


def export_recommendations(session: Session, actor: Actor, out_path: Path | str, *,
                           review_id: int | None = None, return_by: dt.date | None = None) -> ExportResult:
    """Every recommendation of the reviews ``actor`` may see (or of one review), in the order of
    their numbers. The caller commits (an ``ExportBatch`` is recorded)."""
    require(actor, Perm.EXPORT)
    if review_id is not None:
        reviews = [rv.get_review(session, actor, review_id)]
        what = f"{DESCRIPTION} of {reviews[0].title}"
    else:
        reviews, what = rv.list_reviews(session, actor), f"{DESCRIPTION} of every review"
    rows = [(r, rec) for r in reviews for rec in rv.recommendations(r)]
    path = Path(out_path)
    batch = tracker.record_export(session, actor, f"{what} -> {path.name}", len(rows))
    due = return_by or tracker.default_return_by(session)
    mark = marking(r.classification for r in reviews if r.recommendations).value
    at = batch.at or utcnow()
    head = [stamp.REC_MAGIC, stamp.VERSION, batch.id, at.isoformat(timespec="microseconds"), "", ""]
    lines = [encode(r, rec) for r, rec in rows]
    wb = new_workbook(path)
    try:
        st = _Styles(wb)
        _instructions(wb, st, session, actor, what, len(rows), batch.id, at, due, mark)
        _sheet(wb.add_worksheet(SHEET), st, rows, return_banner(session, actor, due), mark)
        hidden = wb.add_worksheet(stamp.SHEET)
        hidden.very_hidden()
        for i, cell in enumerate(head):
            hidden.write_string(0, i, cell)
        for n, line in enumerate(lines, start=1):
            hidden.write_string(n, 0, line)
        tracker.record_stamp(session, batch, None, "", [rec.id for _r, rec in rows],
                             stamp.digest(head, lines))
        wb.worksheets()[1].activate()
    except BaseException:
        abandon(wb)
        raise
    finish(wb, path)
    return ExportResult(path, len(rows), batch.id, due)


def _sheet(ws: Any, st: _Styles, rows: list[tuple[Review, Recommendation]], banner: str, mark: str) -> None:
    cell = st.cell
    for c, (_f, _h, width, editable, kind) in enumerate(COLUMNS):
        ws.set_column(c, c, width, cell[(editable, kind, False)])
    ws.set_row(0, 24, st.banner)
    ws.write_string(0, 0, banner, st.banner)
    _table_header(ws, st.f, len(COLUMNS), [h for _, h, *_ in COLUMNS], "Recommendations", rows=len(rows),
                  first_row=HEADER_ROW)
    for n, (review, rec) in enumerate(rows, start=FIRST_ROW):
        values = {"review": review.title, "number": rec.number, "text": rec.text,
                  "response": rec.response.label, "response_reason": rec.response_reason,
                  "state": rec.state.label, "evidence_note": rec.evidence_note, "due_date": rec.due_date,
                  "actions": actions_text(rec)}
        ws.set_row(n, row_height(*(x for f, _h, w, _e, k in COLUMNS if k == "wrap" for x in (values[f], w)),
                                 most=8))
        for c, (f, _h, _w, editable, kind) in enumerate(COLUMNS):
            value = values[f]
            if isinstance(value, dt.date):
                ws.write_number(n, c, serial(value), cell[(editable, "date", False)])
            elif value:
                ws.write_string(n, c, value, cell[(editable, kind, value.startswith(FORMULA_START))])
    total = len(rows)
    last = max(total, 1)
    _finish_table(ws, total + HEADER_ROW, len(COLUMNS), first_row=HEADER_ROW)
    _checks(ws, st, last)
    ws.freeze_panes(FIRST_ROW, COL["number"] + 1)
    ws.protect("", {"autofilter": True, "format_columns": True, "format_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})
    ws.set_landscape()
    ws.set_paper(9)
    ws.print_area(0, 0, total + HEADER_ROW, len(COLUMNS) - 1)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, HEADER_ROW)
    ws.set_header(f'&C&"Arial,Bold"{mark}')
    ws.set_footer(f"&LVRB recommendation tracker&C{mark}&RPage &P of &N")



def _checks(ws: Any, st: _Styles, last: int) -> None:
    def rng(field: str) -> str:
        col = chr(65 + COL[field])
        return f"{col}{FIRST_ROW + 1}:{col}{last + FIRST_ROW}"

    ws.data_validation(rng("response"), {
        "validate": "list", "source": RESPONSE_CHOICES, "input_title": "Response",
        "input_message": "Pick from the list. Partly accepted and Not accepted need the reason.",
        "error_title": "Response", "error_message": "Choose a response from the drop-down list."})
    ws.data_validation(rng("state"), {
        "validate": "list", "source": STATE_CHOICES, "input_title": "State",
        "input_message": "Implemented: every linked action complete. Evidenced: that, and the evidence note.",
        "error_title": "State", "error_message": "Choose Open, Implemented or Evidenced."})
    ws.data_validation(rng("due_date"), {
        "validate": "date", "criteria": "between", "minimum": dt.date(2000, 1, 1),
        "maximum": dt.date(2100, 12, 31), "input_title": "Due date",
        "input_message": "Day first: dd/mm/yyyy, e.g. 31/03/2027.",
        "error_title": "Due date", "error_message": "Enter a date as dd/mm/yyyy."})
    due, resp, state = (chr(65 + COL[k]) for k in ("due_date", "response", "state"))
    r = FIRST_ROW + 1
    accepted = ",".join(f'${resp}{r}="{x.label}"' for x in Response if x.is_accepted)
    ws.conditional_format(rng("due_date"), {
        "type": "formula",
        "criteria": f'=AND(${due}{r}<>"",${due}{r}<TODAY(),${state}{r}="{RecommendationState.OPEN.label}",'
                    f"OR({accepted}))",
        "format": st.f.get(bg_color="#F4B6B6", font_color="#7B0000", bold=True)})


def _instructions(wb: Any, st: _Styles, session: Session, actor: Actor, what: str, count: int, batch_id: str,
                  at: dt.datetime, return_by: dt.date, mark: str) -> None:
    from ..services.board import the_board

    ws = wb.add_worksheet(stamp.INSTRUCTIONS_SHEET)
    name, email = _who(session, actor)
    title = st.f.get(bold=True, font_size=16, font_color="#1F4E79")
    bold = st.f.get(bold=True, valign="top")
    wrap = st.f.get(text_wrap=True, valign="top")
    red = st.f.get(bold=True, font_color="#7B0000")
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 95)
    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    lines: list[tuple[str, str, Any]] = [
        ("", mark, red),
        ("", f"{the_board(session).name}: recommendation tracker", title),
        ("Contents", f"{what}: {count:,} recommendation{'s' if count != 1 else ''}", wrap),
        ("Exported", f"{at.astimezone():%d/%m/%Y at %H:%M} by {name}", wrap),
        ("Return by", f"{return_by:%A %d/%m/%Y}", red),
        ("Return it to", f"{name}{f' <{email}>' if email else ''}, the board secretariat", wrap),
        ("", "", wrap),
        ("What to do", "", bold),
        ("1.", "Go to the Recommendations sheet. The yellow columns, from Response to Due date, are yours to "
               "edit; the grey columns (the review, the number, the recommendation's text and the actions "
               "linked to it) are for reference and are protected against accidental changes.", wrap),
        ("2.", "Response: pick the board's response from the list. 'Partly accepted' and 'Not accepted' need "
               "the board's reason in Response reason.", wrap),
        ("3.", "State: 'Implemented' needs at least one linked action, every one complete or signed off; "
               "'Evidenced' needs that, and an Evidence note saying what shows the change has happened. "
               "Only a recommendation the board accepted (in whole or in part) is implemented.", wrap),
        ("4.", "Due date: day first, dd/mm/yyyy. Overdue dates of accepted, open recommendations are "
               "highlighted red. To link or unlink actions, ask the secretariat.", wrap),
        ("5.", "Do not rename or delete the sheets or columns, and do not add rows. Save as an Excel "
               f"workbook (.xlsx) and return it by {return_by:%d/%m/%Y}. vrboard shows the secretariat "
               "every change before it is saved, including anything typed into a grey column, and flags "
               "anything that changed in vrboard since this export.", wrap),
        ("", "", wrap),
        ("Export reference", batch_id, wrap),
    ]
    write_instructions(ws, lines, bold, wrap, mark)
