"""The members list, meetings with attendance, and the audit log as workbooks."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from tests.conftest import actor
from vrboard.errors import PermissionDenied
from vrboard.excel import export_audit, export_meetings, export_members
from vrboard.model import Attendance, AuditEntry, Meeting
from vrboard.store import Database


def test_members_list(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.session() as s:
        r = export_members(s, actor(demo_db, "rkaplan"), tmp_path / "members.xlsx")
    wb = openpyxl.load_workbook(r.path)
    ws = wb["Members"]
    assert [c.value for c in ws[1]][:3] == ["Name", "Board role", "Current"]
    assert ws.freeze_panes == "A2" and list(ws.tables) == ["Members"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == r.rows > 5
    assert rows[0][1] == "Chair" and rows[0][2] == "Yes"
    assert ws["H2"].number_format == "dd/mm/yyyy" and isinstance(ws["H2"].value, dt.datetime)
    assert "OFFICIAL" in ws.oddHeader.center.text


def test_meetings_with_attendance(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.session() as s:
        r = export_meetings(s, actor(demo_db, "rkaplan"), tmp_path / "meetings.xlsx")
        n_meetings = s.scalar(select(func.count()).select_from(Meeting))
        n_attendance = s.scalar(select(func.count()).select_from(Attendance))
    wb = openpyxl.load_workbook(r.path)
    assert wb.sheetnames == ["Meetings", "Attendance"]
    meetings = list(wb["Meetings"].iter_rows(min_row=2, values_only=True))
    attendance = list(wb["Attendance"].iter_rows(min_row=2, values_only=True))
    assert len(meetings) == n_meetings == r.rows and len(attendance) == n_attendance
    held = [m for m in meetings if m[4] == "Held"]
    assert held and all(m[8] >= 1 for m in held)  # someone was present
    assert {a[4] for a in attendance} <= {"Present", "Apologies", "Absent"}


def test_audit_log(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.session() as s:
        r = export_audit(s, actor(demo_db, "rkaplan"), tmp_path / "audit.xlsx")
        n = s.scalar(select(func.count()).select_from(AuditEntry))
    ws = openpyxl.load_workbook(r.path)["Audit log"]
    assert r.rows == n == ws.max_row - 1
    assert [c.value for c in ws[1]][:3] == ["When", "Who", "Channel"]
    assert ws["A2"].number_format == "dd/mm/yyyy hh:mm"
    assert "OFFICIAL-SENSITIVE" in ws.oddHeader.center.text


def test_a_viewer_may_not_export_lists(demo_db: Database, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied), demo_db.session() as s:
        export_members(s, actor(demo_db, "hmarsh"), tmp_path / "m.xlsx")


def test_text_that_looks_like_a_formula_stays_text_in_lists(demo_db: Database, tmp_path: Path) -> None:
    from vrboard.services import board

    with demo_db.transaction() as s:
        board.add_person(s, actor(demo_db, "rkaplan"), name="=1+2", job_title="@mention",
                         organisation="-Council", email="")
    with demo_db.session() as s:
        r = export_audit(s, actor(demo_db, "rkaplan"), tmp_path / "audit.xlsx")
    ws = openpyxl.load_workbook(r.path)["Audit log"]
    cell = next(c for row in ws.iter_rows(min_row=2) for c in row if c.value == "=1+2")
    assert cell.data_type == "s" and cell.quotePrefix
