"""Reading many rows fast: a parameterless Core statement run on the driver directly.

SQLAlchemy's per-value type processing costs 3-4x the driver's own time at 50,000 rows;
the big readers (the Actions table, the import's action states) use these instead and
convert the few typed values themselves.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session


def raw_rows(session: Session, stmt: Any) -> list[Any]:
    """``stmt``'s rows as the driver returns them (enumerations as their stored text,
    dates as ISO text on SQLite), in the session's transaction."""
    conn = session.connection()
    sql = str(stmt.compile(dialect=conn.dialect))
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


class Days(dict[Any, "dt.date | None"]):
    """Date values as the driver gives them (ISO text from SQLite, dates from PostgreSQL)
    turned into dates, each distinct value parsed once: ``days[value]``."""

    def __missing__(self, value: Any) -> dt.date | None:
        day = value if value is None or isinstance(value, dt.date) else dt.date.fromisoformat(value)
        self[value] = day
        return day
