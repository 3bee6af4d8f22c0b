"""Helpers for the Excel round-trip tests: export, edit with openpyxl, plan, apply."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import actor
from vrboard.model import Action, AuditEntry, ProgressUpdate
from vrboard.store import Database


def export(db: Database, who: str, path: Path, **kw: Any) -> Any:
    from vrboard.excel import export_actions

    with db.transaction() as s:
        return export_actions(s, actor(db, who), path, **kw)


def plan_of(db: Database, who: str, path: Path, **kw: Any) -> Any:
    from vrboard.excel import read_plan

    with db.session() as s:
        return read_plan(s, actor(db, who), path, **kw)


def import_file(db: Database, who: str, path: Path, **kw: Any) -> Any:
    """read_plan + apply_plan in one transaction, as the CLI does."""
    from vrboard.excel import apply_plan, read_plan

    mapping = kw.pop("mapping_name", None)
    with db.transaction() as s:
        a = actor(db, who)
        plan = read_plan(s, a, path, mapping_name=mapping)
        return plan, apply_plan(s, a, plan, **kw)


def edit(src: Path, dst: Path, cells: dict[str, Any], sheet: str = "Actions") -> Path:
    """Change cells with openpyxl, as an owner's spreadsheet program would, and save."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(dst)
    return dst


def row_of(path: Path, reference: str, sheet: str = "Actions") -> int:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        for i, row in enumerate(wb[sheet].iter_rows(values_only=True), start=1):
            if row and row[0] == reference:
                return i
    finally:
        wb.close()
    raise AssertionError(f"{reference} not in {path}")


def snapshot(db: Database) -> dict[str, dict[str, Any]]:
    """Every action's stored fields (besides timestamps), by reference."""
    skip = {"updated_at", "created_at", "version"}
    with db.session() as s:
        return {a.reference: {c.key: getattr(a, c.key) for c in Action.__table__.columns if c.key not in skip}
                for a in s.scalars(select(Action))}


def counts(db: Database) -> tuple[int, int]:
    with db.session() as s:
        return (len(s.scalars(select(AuditEntry.id)).all()), len(s.scalars(select(ProgressUpdate.id)).all()))


def action(db: Database, reference: str) -> Action:
    with db.session() as s:
        a = s.scalars(select(Action).where(Action.reference == reference)).one()
        a.owner  # noqa: B018 - load before the session closes
        return a


def owned_by(db: Database, login: str, open_only: bool = True) -> list[Action]:
    from vrboard.model import Person

    with db.session() as s:
        pid = s.scalars(select(Person.id).where(Person.login == login)).one()
        acts = s.scalars(select(Action).where(Action.owner_id == pid).order_by(Action.reference)).all()
        return [a for a in acts if not open_only or a.status.is_open]


TODAY = dt.date.today()


@pytest.fixture
def tracker_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.xlsx"


def col(field: str) -> str:
    """The owner tracker's column letter for a field ("progress", "status", ...)."""
    from vrboard.excel.export import COL

    return chr(65 + COL[field])
