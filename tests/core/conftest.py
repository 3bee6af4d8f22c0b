"""Fixtures and helpers for the core tests."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import build_demo_into
from vrboard.model import Base
from vrboard.store import Database, open_database


@pytest.fixture
def demo_any(any_url: str) -> Iterator[Database]:
    """The demo board on SQLite and on PostgreSQL."""
    db = open_database(any_url)
    build_demo_into(db)
    yield db
    db.close()


def table_rows(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order, as typed Python values."""
    out = {}
    with db.engine.connect() as conn:
        for t in Base.metadata.sorted_tables:
            out[t.name] = [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
    return out


def row_counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t)) or 0
                for t in Base.metadata.sorted_tables}


from tests.core.pgboard import pgb  # noqa: E402, F401 - a demo board of real login roles (PostgreSQL)
