"""Action trackers: the workbook sent to owners, one per owner or filtered.

Sheets: Instructions (who it is for, when exported, what to edit, how to return it);
Actions, an Excel table with a frozen header, filters, widths, wrapped text,
dd/mm/yyyy dates, drop-downs for status and RAG, a 0-100 whole-number check on
percent complete, date checks, RAG colours and overdue dates by conditional
formatting, read-only columns protected (no password: it guards against accidents);
and the very hidden ``_vrboard`` and ``_lists`` sheets (see ``stamp``).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..model import RAG, ActionStatus, Person, utcnow
from ..progress import Progress, report
from ..services import tracker
from ..services.context import Actor, Perm, require
from . import stamp
from .xlsx import (
    FORMULA_START,
    UK_DATE,
    ExportResult,
    Formats,
    _finish_table,
    _table_header,
    abandon,
    finish,
    new_workbook,
    row_height,
    serial,
)

# (field, header, width, editable, kind). What an owner may change comes first, so that the whole
# editable block (Reference to Revised due date, about 1,100 pixels at 100% zoom) is on screen
# on a 1366-pixel laptop when the file opens; the read-only columns follow.
COLUMNS: tuple[tuple[str, str, int, bool, str], ...] = (
    ("reference", "Reference", 11, False, "text"),
    ("title", "Action", 40, False, "wrap"),
    ("status", "Status", 24, True, "text"),
    ("rag", "RAG", 9, True, "text"),
    ("percent_complete", "% complete", 10, True, "int"),
    ("progress", "New progress update", 45, True, "wrap"),
    ("revised_due_date", "Revised due date", 12, True, "date"),
    ("latest_update", "Latest update", 45, False, "wrap"),
    ("due_date", "Due date", 11, False, "date"),
    ("owner", "Owner", 18, False, "text"),
    ("workstream", "Workstream", 12, False, "text"),
    ("plans", "Plans", 11, False, "text"),
    ("lead_organisation", "Lead organisation", 20, False, "wrap"),
    ("description", "Description", 42, False, "wrap"),
    # The lenses (issue 15), read-only, after the columns owners have always had.
    ("domain", "Domain", 24, False, "wrap"),
    ("tags", "Tags", 26, False, "wrap"),
)
COL = {f: i for i, (f, *_rest) in enumerate(COLUMNS)}
PRINTED = COL["due_date"] + 1   # printed columns: the editable block, latest update, due date
HEADER_ROW = 1                  # row 1 (index 0) says when and to whom to return the file
FIRST_ROW = HEADER_ROW + 1      # the first action's row (0-based)
# What an owner may choose. Signed off is the chair's; dropping an action needs a reason the
# secretariat records, so neither is offered (the instructions say how to ask for either).
STATUS_CHOICES = [s.label for s in ActionStatus if s not in (ActionStatus.SIGNED_OFF, ActionStatus.DROPPED)]
CLOSED = (ActionStatus.SIGNED_OFF, ActionStatus.DROPPED)   # shown read-only
RAG_FILL = {RAG.RED: ("#F4B6B6", "#7B0000"), RAG.AMBER: ("#FFE08A", "#5C4400"),
            RAG.GREEN: ("#B7E1C1", "#0B4D1E")}
EDIT_BG = "#FFF9DB"
READ_BG = "#F2F2F2"


class _Styles:
    def __init__(self, wb: Any) -> None:
        f = self.f = Formats(wb)
        base = {"valign": "top", "border": 1, "border_color": "#D9D9D9"}
        self.cell: dict[tuple[bool, str, bool], Any] = {}
        for editable in (False, True):
            fill = {"bg_color": EDIT_BG, "locked": False} if editable else {"bg_color": READ_BG}
            for kind in ("text", "wrap", "date", "int"):
                extra: dict[str, Any] = {"text_wrap": True} if kind == "wrap" else {}
                if kind == "date":
                    extra = {"num_format": UK_DATE, "align": "left"}
                elif kind == "int":
                    extra = {"num_format": "0", "align": "center"}
                for quoted in (False, True):
                    q = {"quote_prefix": True} if quoted else {}
                    self.cell[(editable, kind, quoted)] = f.get(**base, **fill, **extra, **q)
        # Signed-off actions: every cell read-only.
        self.header = f.header()
        self.banner = f.get(bold=True, font_size=12, font_color="#1F4E79", bg_color="#FFFFFF",
                            valign="vcenter")


def _safe_name(s: str) -> str:
    s = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", s).strip().strip(".")
    return re.sub(r"\s+", " ", s)[:80] or "Unnamed"


def _who(session: Session, actor: Actor) -> tuple[str, str]:
    person = session.get(Person, actor.person_id) if actor.person_id else None
    return actor.name, (person.email if person else "")


def export_actions(session: Session, actor: Actor, out_path: Path | str, *, workstream: str | None = None,
                   owner: str | None = None, plan: str | None = None, return_by: dt.date | None = None,
                   progress: Progress | None = None) -> ExportResult:
    """``return_by``: when the owner should send it back (default ``tracker.default_return_by``)."""
    require(actor, Perm.EXPORT)
    f = tracker.resolve_filter(session, workstream=workstream, owner=owner, plan=plan)
    rows = list(tracker.tracker_rows(session, actor, f))
    due = return_by or tracker.default_return_by(session)
    return _write(session, actor, Path(out_path), f, rows, due, progress)


def export_for_owner(session: Session, actor: Actor, person_id: int, out_path: Path | str,
                     progress: Progress | None = None, *,
                     return_by: dt.date | None = None) -> ExportResult:
    """One owner's tracker (all their actions), as ``export_actions --owner`` writes it."""
    require(actor, Perm.EXPORT)
    person = session.get(Person, person_id)
    if person is None:
        raise ValidationError(f"There is no person with id {person_id}.", "owner")
    f = tracker.TrackerFilter(owner_id=person.id, description=f"Actions owned by {person.name}",
                              owner_name=person.name)
    rows = list(tracker.tracker_rows(session, actor, f))
    due = return_by or tracker.default_return_by(session)
    return _write(session, actor, Path(out_path), f, rows, due, progress)


def export_per_owner(session: Session, actor: Actor, folder: Path | str, *, return_by: dt.date | None = None,
                     progress: Progress | None = None) -> list[ExportResult]:
    """One tracker per owner (and one for actions with no owner) in ``folder``; open
    actions and those awaiting sign-off only would hide history, so all are included."""
    require(actor, Perm.EXPORT)
    folder = Path(folder)
    if not folder.exists():
        folder.mkdir(parents=True)
    if not folder.is_dir():
        raise ValidationError(f"{folder} is not a folder.", "folder")
    every = list(tracker.tracker_rows(session, actor, tracker.TrackerFilter()))
    due = return_by or tracker.default_return_by(session)
    by_owner: dict[str, list[tracker.TrackerRow]] = {}
    for r in every:
        by_owner.setdefault(r.owner, []).append(r)
    people = {p.name: p for p in session.scalars(select(Person))}
    results = []
    total = len(every)
    done = 0
    for name in sorted(by_owner, key=lambda n: (n == "", n.lower())):
        rows = by_owner[name]
        person = people.get(name)
        f = tracker.TrackerFilter(owner_id=person.id if person else None,
                                  description=f"Actions owned by {name}" if name else "Actions with no owner",
                                  owner_name=name)
        path = folder / f"VRB actions - {_safe_name(name or 'No owner')}.xlsx"

        def sub(d: int, _t: int, msg: str = "", base: int = done) -> None:
            report(progress, base + d, total, msg)

        results.append(_write(session, actor, path, f, rows, due, sub if progress else None))
        done += len(rows)
    return results


def _write(session: Session, actor: Actor, path: Path, f: tracker.TrackerFilter,
           rows: list[tracker.TrackerRow], return_by: dt.date, progress: Progress | None) -> ExportResult:
    batch = tracker.record_export(session, actor, f"{f.description} -> {path.name}", len(rows))
    marking = tracker.tracker_marking(session, rows)
    wb = new_workbook(path)
    try:
        styles = _Styles(wb)
        _instructions(wb, styles, session, actor, f, len(rows), batch.id, batch.at or utcnow(),
                      return_by, marking)
        actions = wb.add_worksheet(stamp.ACTIONS_SHEET)
        hidden = wb.add_worksheet(stamp.SHEET)
        lists = wb.add_worksheet(stamp.LISTS)
        _lists(lists)
        hidden.very_hidden()
        lists.very_hidden()
        head = stamp.header_cells(batch.id, batch.at or utcnow(), f.owner_id, f.owner_name)
        for i, cell in enumerate(head):
            hidden.write_string(0, i, cell)
        hidden.write_string(1, 0, stamp.COLUMNS_LINE)
        lines = _actions_sheet(actions, hidden, styles, rows, progress,
                               return_banner(session, actor, return_by), marking)
        tracker.record_stamp(session, batch, f.owner_id, f.owner_name, [a.id for a in rows],
                             stamp.digest(head, [stamp.COLUMNS_LINE, *lines]))
        wb.define_name("StatusChoices", f"={stamp.LISTS}!$A$1:$A${len(STATUS_CHOICES)}")
        actions.activate()
    except BaseException:
        abandon(wb)
        raise
    finish(wb, path)
    return ExportResult(path, len(rows), batch.id, return_by)


def return_banner(session: Session, actor: Actor, return_by: dt.date) -> str:
    """The line at the top of a tracker: when and to whom to return it."""
    name, email = _who(session, actor)
    return (f"Please return this file by {return_by:%A %d/%m/%Y} to {name}"
            f"{f' <{email}>' if email else ''}. Yellow columns are yours to edit; "
            "the Instructions sheet explains each one.")


def _lists(ws: Any) -> None:
    for i, label in enumerate(STATUS_CHOICES):
        ws.write_string(i, 0, label)


def _lines(text: str, per: int) -> int:
    if "\n" in text:
        return sum(max(1, -(-len(part) // per)) for part in text.split("\n"))
    return -(-len(text) // per) if text else 1


def _actions_sheet(ws: Any, hidden: Any, st: _Styles, rows: list[tracker.TrackerRow],
                   progress: Progress | None, banner: str, marking: str = "OFFICIAL") -> list[str]:
    """Writes the Actions sheet and the hidden stamp's lines; returns those lines."""
    cell = st.cell
    # Column formats style the cells left blank (no cell is written for them): editable columns
    # are unlocked and yellow, read-only ones grey.
    for c, (_f, _h, width, editable, kind) in enumerate(COLUMNS):
        ws.set_column(c, c, width, cell[(editable, kind, False)])
    ws.set_row(0, 24, st.banner)
    ws.write_string(0, 0, banner, st.banner)
    _table_header(ws, st.f, len(COLUMNS), [h for _, h, *_ in COLUMNS], "Actions", rows=len(rows),
                  first_row=HEADER_ROW)
    ro_text, ro_wrap, ro_date = cell[(False, "text", False)], cell[(False, "wrap", False)], \
        cell[(False, "date", False)]
    ro_quoted, ro_wrap_q = cell[(False, "text", True)], cell[(False, "wrap", True)]
    locked_int, locked_wrap = cell[(False, "int", False)], cell[(False, "wrap", False)]
    ed_text, ed_date, ed_int = cell[(True, "text", False)], cell[(True, "date", False)], \
        cell[(True, "int", False)]
    total = len(rows)
    write_string, write_number, write_blank, set_row = ws.write_string, ws.write_number, ws.write_blank, \
        ws.set_row
    h_write = hidden.write_string
    encode, fingerprint = stamp.encode, stamp.fingerprint
    stamp_lines: list[str] = []
    closed = CLOSED
    formula = FORMULA_START
    c_due, c_rev, c_status, c_rag, c_pct, c_prog = (COL[k] for k in (
        "due_date", "revised_due_date", "status", "rag", "percent_complete", "progress"))
    c_ref, c_title, c_desc, c_ws, c_plans, c_owner, c_lead, c_latest, c_dom, c_tags = (COL[k] for k in (
        "reference", "title", "description", "workstream", "plans", "owner", "lead_organisation",
        "latest_update", "domain", "tags"))
    for n, a in enumerate(rows, start=FIRST_ROW):
        lines = max(_lines(a.title, 38), _lines(a.description, 40), _lines(a.latest_update, 43),
                    _lines(a.lead_organisation, 18))
        set_row(n, 15.0 * min(lines, 6) + 2.0)
        for c, value, fmt, quoted in (
                (c_ref, a.reference, ro_text, ro_quoted), (c_title, a.title, ro_wrap, ro_wrap_q),
                (c_desc, a.description, ro_wrap, ro_wrap_q), (c_ws, a.workstream, ro_text, ro_quoted),
                (c_plans, a.plans, ro_text, ro_quoted), (c_owner, a.owner, ro_text, ro_quoted),
                (c_lead, a.lead_organisation, ro_wrap, ro_wrap_q),
                (c_latest, a.latest_update, ro_wrap, ro_wrap_q),
                (c_dom, a.domain, ro_wrap, ro_wrap_q), (c_tags, a.tags, ro_wrap, ro_wrap_q)):
            if value:
                write_string(n, c, value, quoted if value.startswith(formula) else fmt)
        if a.due_date:
            write_number(n, c_due, serial(a.due_date), ro_date)
        if a.status in closed:  # read-only: signed off by the chair, or dropped
            if a.revised_due_date:
                write_number(n, c_rev, serial(a.revised_due_date), ro_date)
            else:
                write_blank(n, c_rev, None, ro_date)
            write_string(n, c_status, a.status.label, ro_text)
            write_string(n, c_rag, a.rag.label, ro_text)
            write_number(n, c_pct, a.percent_complete, locked_int)
            write_blank(n, c_prog, None, locked_wrap)
        else:
            if a.revised_due_date:
                write_number(n, c_rev, serial(a.revised_due_date), ed_date)
            write_string(n, c_status, a.status.label, ed_text)
            write_string(n, c_rag, a.rag.label, ed_text)
            write_number(n, c_pct, a.percent_complete, ed_int)
        line = encode(a.id, a.reference, a.version, a.status, a.rag, a.percent_complete, a.revised_due_date,
                      fingerprint((a.title, a.description, a.workstream, a.plans, a.owner,
                                   a.lead_organisation, a.due_date, a.latest_update)))
        h_write(n - FIRST_ROW + 2, 0, line)
        stamp_lines.append(line)
        if progress is not None and n % 2000 == 0:
            report(progress, n, total, f"Writing {n:,} of {total:,} actions")
    last = max(total, 1)
    _finish_table(ws, total + HEADER_ROW, len(COLUMNS), first_row=HEADER_ROW)
    _checks(ws, last, st)
    ws.freeze_panes(FIRST_ROW, COL["title"] + 1)  # the header, Reference and Action stay in view
    ws.protect("", {"autofilter": True, "format_columns": True, "format_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})
    ws.set_landscape()
    ws.set_paper(9)  # A4, fit to the width: the editable block, the latest update and the due date
    ws.print_area(0, 0, total + HEADER_ROW, PRINTED - 1)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, HEADER_ROW)
    ws.set_header(f'&C&"Arial,Bold"{marking}')
    ws.set_footer(f"&LVRB action tracker&C{marking}&RPage &P of &N")
    report(progress, total, total, "Tracker written")
    return stamp_lines


def _checks(ws: Any, last: int, st: _Styles) -> None:
    """Drop-downs, number and date checks, RAG colours and overdue highlighting."""
    def rng(field: str) -> str:
        col = chr(65 + COL[field])
        return f"{col}{FIRST_ROW + 1}:{col}{last + FIRST_ROW}"

    ws.data_validation(rng("status"), {
        "validate": "list", "source": "=StatusChoices",
        "input_title": "Status",
        "input_message": "Pick from the list. The chair signs actions off; to drop one, ask the secretariat.",
        "error_title": "Status", "error_message": "Choose a status from the drop-down list."})
    ws.data_validation(rng("rag"), {
        "validate": "list", "source": ["Red", "Amber", "Green"],
        "error_title": "RAG", "error_message": "Choose Red, Amber or Green."})
    ws.data_validation(rng("percent_complete"), {
        "validate": "integer", "criteria": "between", "minimum": 0, "maximum": 100,
        "input_title": "% complete", "input_message": "A whole number from 0 to 100.",
        "error_title": "% complete", "error_message": "Enter a whole number from 0 to 100 (no % sign needed)."
    })
    ws.data_validation(rng("revised_due_date"), {
        "validate": "date", "criteria": "between", "minimum": dt.date(2000, 1, 1),
        "maximum": dt.date(2100, 12, 31),
        "input_title": "Revised due date", "input_message": "Day first: dd/mm/yyyy, e.g. 31/03/2020.",
        "error_title": "Revised due date", "error_message": "Enter a date as dd/mm/yyyy."})
    for rag, (bg, fg) in RAG_FILL.items():
        ws.conditional_format(rng("rag"), {"type": "cell", "criteria": "==", "value": f'"{rag.label}"',
                                           "format": st.f.get(bg_color=bg, font_color=fg, bold=True)})
    due, rev, status = (chr(65 + COL[k]) for k in ("due_date", "revised_due_date", "status"))
    open_labels = [s.label for s in ActionStatus if s.is_open]
    r = FIRST_ROW + 1
    cond = ",".join(f'${status}{r}="{label}"' for label in open_labels)
    overdue = {
        "type": "formula",
        "criteria": f'=AND(IF(${rev}{r}<>"",${rev}{r},${due}{r})<>"",'
                    f'IF(${rev}{r}<>"",${rev}{r},${due}{r})<TODAY(),OR({cond}))',
        "format": st.f.get(bg_color="#F4B6B6", font_color="#7B0000", bold=True)}
    ws.conditional_format(rng("due_date"), overdue)
    ws.conditional_format(rng("revised_due_date"), dict(overdue))


def _instructions(wb: Any, st: _Styles, session: Session, actor: Actor, f: tracker.TrackerFilter,
                  count: int, batch_id: str, at: dt.datetime, return_by: dt.date,
                  marking: str = "OFFICIAL") -> None:
    from ..services.board import the_board

    ws = wb.add_worksheet(stamp.INSTRUCTIONS_SHEET)
    board = the_board(session)
    name, email = _who(session, actor)
    title = st.f.get(bold=True, font_size=16, font_color="#1F4E79")
    bold = st.f.get(bold=True, valign="top")
    wrap = st.f.get(text_wrap=True, valign="top")
    mark = st.f.get(bold=True, font_color="#7B0000")
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 95)
    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    local = at.astimezone()
    lines: list[tuple[str, str, Any]] = [
        ("", marking, mark),
        ("", f"{board.name}: action tracker", title),
        ("For", f.owner_name or f.description, wrap),
        ("Contents", f"{f.description}: {count:,} action{'s' if count != 1 else ''}", wrap),
        ("Exported", f"{local:%d/%m/%Y at %H:%M} by {name}", wrap),
        ("Return by", f"{return_by:%A %d/%m/%Y}", mark),
        ("Return it to", f"{name}{f' <{email}>' if email else ''}, the board secretariat", wrap),
        ("", "", wrap),
        ("What to do", "", bold),
        ("1.", "Go to the Actions sheet. The yellow columns, from Status to Revised due date, are yours "
               "to edit; the grey columns are for reference and are protected against accidental "
               "changes.", wrap),
        ("2.", "Status and RAG: pick from the drop-down list. % complete: a whole number from 0 to 100. "
               "Revised due date: day first, dd/mm/yyyy (only if the board has agreed a new date).", wrap),
        ("3.", "New progress update: write what has happened since the last update. It is added to "
               "the action's history; the latest update is shown for reference and is not replaced.", wrap),
        ("4.", "Mark an action done by choosing 'Complete, awaiting sign-off': vrboard then records it "
               "as 100% complete, completed on the day it is imported, and the chair signs it off at "
               "the board. Signed-off and dropped "
               "actions are shown for reference only. To drop an action, write why in New progress "
               "update and ask the secretariat: the board records the reason.", wrap),
        ("5.", "Do not rename or delete the sheets or columns, and do not add rows: tell the secretariat "
               "about new actions. You can filter with the arrows in the header row. Sorting is not "
               "available because the sheet is protected; the actions are in reference order.", wrap),
        ("6.", f"Save as an Excel workbook (.xlsx), keep the file name, and return it by "
               f"{return_by:%d/%m/%Y} to the address above. The secretariat imports it; vrboard shows them "
               "every change before it is saved, including anything typed into a grey column, and flags "
               "anything that changed in vrboard since this export.", wrap),
        ("", "", wrap),
        ("RAG", "Red: off track, needs the board's help. Amber: at risk, being managed. "
                "Green: on track. Overdue dates are highlighted red.", wrap),
        ("Export reference", batch_id, wrap),
    ]
    write_instructions(ws, lines, bold, wrap, marking)


def write_instructions(ws: Any, lines: list[tuple[str, str, Any]], bold: Any, wrap: Any,
                       marking: str) -> None:
    """The Instructions sheet of a tracker: a label and its text a row (wrapped text gets the
    height it needs), no gridlines, the marking in the page header."""
    for r, (a, b, fmt) in enumerate(lines):
        if fmt is wrap and b:
            ws.set_row(r, row_height(b, 95, line=15.5))
        if a:
            ws.write_string(r, 0, a, bold)
        if b:
            ws.write_string(r, 1, b, fmt)
    ws.set_row(1, 26)
    ws.hide_gridlines(2)
    ws.set_header(f'&C&"Arial,Bold"{marking}')
