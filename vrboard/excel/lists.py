"""Other exports: the members list, meetings with attendance, and the audit log.

Each is an Excel table (frozen header, filters, widths, wrapped text, dd/mm/yyyy
dates) with the classification marking in the printed header and footer.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..model import AttendanceStatus, AuditEntry, Meeting, Membership
from ..progress import Progress, report
from ..services.context import Actor, Perm, acting_for, require
from .xlsx import ExportResult, Formats, abandon, finish, new_workbook, simple_table


def export_members(session: Session, actor: Actor, out_path: Path | str) -> ExportResult:
    require(actor, Perm.EXPORT)
    path = Path(out_path)
    today = dt.date.today()
    ms = session.scalars(select(Membership).options(
        selectinload(Membership.person), selectinload(Membership.named_substitute))).all()
    ms = sorted(ms, key=lambda m: (not m.is_current(today), m.role.value != "chair", m.person.name))
    rows = ([m.person.name, m.role.label, "Yes" if m.is_current(today) else "No", m.person.job_title,
             m.person.organisation, m.person.email, "Yes" if m.voting else "No", m.term_start, m.term_end,
             m.named_substitute.name if m.named_substitute else "", m.notes] for m in ms)
    wb = new_workbook(path)
    try:
        n = simple_table(wb, Formats(wb), "Members", [
            ("Name", 26, "text"), ("Board role", 13, "text"), ("Current", 9, "text"),
            ("Job title", 36, "wrap"), ("Organisation", 26, "wrap"), ("E-mail", 30, "text"),
            ("Voting", 8, "text"), ("Term start", 12, "date"), ("Term end", 12, "date"),
            ("Named substitute", 24, "text"), ("Notes", 36, "wrap")], rows)
    except BaseException:
        abandon(wb)
        raise
    finish(wb, path)
    return ExportResult(path, n)


def export_meetings(session: Session, actor: Actor, out_path: Path | str) -> ExportResult:
    """Two sheets: Meetings (one row each, with attendance counts) and Attendance."""
    require(actor, Perm.EXPORT)
    path = Path(out_path)
    meetings = session.scalars(select(Meeting).order_by(Meeting.starts_at).options(
        selectinload(Meeting.attendance), selectinload(Meeting.chaired_by))).all()

    def meeting_rows() -> Iterator[list[object]]:
        for m in meetings:
            counts = Counter(a.status for a in m.attendance)
            yield [m.starts_at.date(), m.starts_at.strftime("%H:%M"), m.title, m.venue, m.status.label,
                   m.classification.value, m.chaired_by.name if m.chaired_by else "", m.quorum,
                   counts[AttendanceStatus.PRESENT], counts[AttendanceStatus.APOLOGIES],
                   counts[AttendanceStatus.ABSENT],
                   m.minutes_signed_at.date() if m.minutes_signed_at else None]

    def attendance_rows() -> Iterator[list[object]]:
        for m in meetings:
            for a in m.attendance:
                yield [m.starts_at.date(), m.title, a.person.name, a.person.organisation, a.status.label,
                       a.substitute.name if a.substitute else "", a.note]

    wb = new_workbook(path)
    try:
        f = Formats(wb)
        n = simple_table(wb, f, "Meetings", [
            ("Date", 12, "date"), ("Time", 7, "text"), ("Meeting", 34, "wrap"), ("Venue", 26, "wrap"),
            ("Status", 11, "text"), ("Classification", 19, "text"), ("Chaired by", 24, "text"),
            ("Quorum", 8, "number"), ("Present", 8, "number"), ("Apologies", 10, "number"),
            ("Absent", 8, "number"), ("Minutes signed", 14, "date")], meeting_rows())
        simple_table(wb, f, "Attendance", [
            ("Date", 12, "date"), ("Meeting", 34, "wrap"), ("Person", 26, "text"),
            ("Organisation", 26, "wrap"), ("Attendance", 12, "text"), ("Substitute", 24, "text"),
            ("Note", 36, "wrap")], attendance_rows())
    except BaseException:
        abandon(wb)
        raise
    finish(wb, path)
    return ExportResult(path, n)


def export_audit(session: Session, actor: Actor, out_path: Path | str, *,
                 progress: Progress | None = None) -> ExportResult:
    """The whole audit trail, oldest first; times in local time. Marked OFFICIAL-SENSITIVE: old
    and new values can include Part 2 minutes and personal details. For an actor not entitled
    to exempt information (``services.access``) the label and values of entries about exempt
    records are redacted in the query itself, as on the Audit page."""
    from ..services.audit_log import Columns, audit_scope

    require(actor, Perm.EXPORT)
    path = Path(out_path)
    scope = audit_scope(session, actor)
    cols = Columns.plain() if scope.entitled else Columns(scope.hidden_clause())
    a = AuditEntry
    q = select(a.at, a.actor_name, a.recorded_by_name, a.channel, a.source, a.entity,
               a.entity_id, cols.label, a.field, cols.old, cols.new).order_by(a.id)

    def rows() -> Iterator[list[object]]:
        result = session.execute(q.execution_options(yield_per=2000))
        for n, r in enumerate(result, start=1):
            at = r[0]
            if at.tzinfo is None:
                at = at.replace(tzinfo=dt.UTC)
            channel = str(r[3].value if hasattr(r[3], "value") else r[3]).replace("_", " ")
            yield [at, acting_for(r[1], r[2]), channel,
                   r[4], r[5].replace("_", " "), r[6], r[7], r[8].replace("_", " "), _cut(r[9]), _cut(r[10])]
            if n % 5000 == 0:
                report(progress, n, 0, f"Writing {n:,} audit entries")

    wb = new_workbook(path)
    try:
        n = simple_table(wb, Formats(wb), "Audit log", [
            ("When", 17, "datetime"), ("Who", 24, "text"), ("Channel", 13, "text"), ("Source", 30, "wrap"),
            ("Record", 14, "text"), ("Id", 7, "number"), ("Label", 28, "wrap"), ("Field", 18, "text"),
            ("Old value", 40, "wrap"), ("New value", 40, "wrap")], rows(), marking="OFFICIAL-SENSITIVE")
    except BaseException:
        abandon(wb)
        raise
    finish(wb, path)
    return ExportResult(path, n)


def _cut(s: str | None) -> str:
    """Excel holds at most 32,767 characters in a cell."""
    if not s:
        return ""
    return s if len(s) <= 32000 else s[:32000] + " [...cut: longer than an Excel cell holds]"
