"""Other people's changes, as they are committed: the audit trail is the change feed.

Every change to the board writes audit entries in the same transaction, so "what changed
since I last looked" is "the audit entries after the last id I saw". That id is also the
change counter: a window that lost its connection asks for everything after it when it is
back, and misses nothing.

How a window learns that there is something to read, without polling the table:
- PostgreSQL: a trigger on ``audit_entry`` (migration 0009) sends
  ``NOTIFY vrboard_changes, '<last id>'`` once per statement (only the id, never the data:
  row-level security still decides what each reader may see). The feed LISTENs on a
  connection of its own, outside the pool, in autocommit; the UI watches its socket.
- SQLite: ``PRAGMA data_version`` on a connection of its own changes whenever another
  connection commits; checking it costs microseconds.
No Qt here: the UI wraps this in a socket notifier or a timer (``ui/live.py``).
"""
from __future__ import annotations

import datetime as dt
import sqlite3
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from .model import AuditEntry
from .store import Database, sqlite_file

CHANNEL = "vrboard_changes"
BATCH = 5000  # entries read at a time; a larger burst is read over several polls

@dataclass(frozen=True)
class Change:
    """One audited change: which record, which field, who, when."""

    audit_id: int
    entity: str
    entity_id: int | None
    field: str
    actor_id: int | None
    actor_name: str
    at: dt.datetime


class ChangeFeed:
    """Reads the changes committed after the ones already seen."""

    def __init__(self, db: Database) -> None:
        self.db = db
        with db.session() as s:
            self.last_id: int = s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc())
                                         .limit(1)) or 0
        self._listen: Any = None
        self._sqlite: sqlite3.Connection | None = None
        self._data_version: int | None = None
        if db.is_sqlite:
            path = sqlite_file(db.url)
            if path is not None:
                self._sqlite = sqlite3.connect(f"file:{path}?mode=ro", uri=True,
                                               check_same_thread=False)
                self._data_version = self._read_data_version()

    # --- is there anything new? --------------------------------------------------------------
    def _read_data_version(self) -> int | None:
        assert self._sqlite is not None
        try:
            return int(self._sqlite.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None

    def sqlite_changed(self) -> bool:
        """SQLite: has another connection committed since the last call? (Cheap.)"""
        if self._sqlite is None:
            return True
        version = self._read_data_version()
        changed = version != self._data_version
        self._data_version = version
        return changed

    def listen(self) -> int | None:
        """PostgreSQL: start listening on a connection of its own; the socket to watch, or
        None when it cannot listen (the caller then polls)."""
        if self.db.is_sqlite:
            return None
        import psycopg

        self.close_listener()
        url = self.db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        try:
            conn = psycopg.connect(url, autocommit=True, connect_timeout=5)
            conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error:
            return None
        self._listen = conn
        # closed with this feed however it goes (a window dropped unclosed, a test's teardown):
        # the finalizer holds the connection, so it is never collected still open
        weakref.finalize(self, conn.close)
        return int(conn.fileno())

    def drain_notifications(self) -> bool:
        """PostgreSQL: read what arrived on the listening socket; True when anything did.
        A dropped connection returns True (the caller re-listens and reads the feed)."""
        if self._listen is None:
            return False
        import psycopg

        try:
            got = any(True for _ in self._listen.notifies(timeout=0))
        except psycopg.Error:
            self.close_listener()
            return True
        return got

    @property
    def listening(self) -> bool:
        return self._listen is not None and not self._listen.closed

    # --- what is new --------------------------------------------------------------------------
    def poll(self) -> list[Change]:
        """The changes committed since the last poll, oldest first (at most ``BATCH``)."""
        e = AuditEntry.__table__.c
        q = (select(e.id, e.entity, e.entity_id, e.field, e.actor_id, e.actor_name, e.at)
             .where(e.id > self.last_id).order_by(e.id).limit(BATCH))
        with self.db.session() as s:
            rows = [Change(*row) for row in s.execute(q)]
        if rows:
            self.last_id = rows[-1].audit_id
        return rows

    def close_listener(self) -> None:
        if self._listen is not None:
            try:
                self._listen.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may raise anything
                pass
            self._listen = None

    def close(self) -> None:
        self.close_listener()
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None


def changed_ids(changes: list[Change], *entities: str) -> set[int]:
    """The ids of the records of these kinds that changed."""
    return {c.entity_id for c in changes if c.entity in entities and c.entity_id is not None}


# The record kinds behind each area of the app (the topics of ``AppContext.changed``).
_TOPICS = {
    "action": ("action", "progress_update", "sign_off", "action_plan"),
    "meeting": ("meeting", "agenda_item", "paper", "attendance", "declaration", "minute",
                "decision"),
    "board": ("board", "person", "membership"),
    "indicator": ("indicator", "indicator_value"),
}
_TOPIC_OF = {entity: topic for topic, entities in _TOPICS.items() for entity in entities}


def topic_of(entity: str) -> str:
    """The area a record kind belongs to; "" (everything) for the rest (workstreams, plans)."""
    return _TOPIC_OF.get(entity, "")
