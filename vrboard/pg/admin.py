"""Who the connection is, and whether it is the administrator.

**The administrator** of a vrboard database on PostgreSQL is any login that

- is a superuser, or
- holds the group role ``vrboard_admin`` (with the prefix of ``tables.role_prefix()``), which
  owns vrboard's tables, or
- owns vrboard's tables itself (the login that first created the schema when the group roles
  could not be created).

Only the administrator changes the schema (upgrades), runs ``vrboard users sync``, bypasses
row-level security, and may write audit entries in another person's name (they own the tables
and could switch the checks off anyway). The same definition is the SQL function
``vrboard_is_admin()`` (security.py), which the policies and triggers use.
"""
from __future__ import annotations

from typing import Any

from . import tables as t


def raw_connection(conn: Any) -> Any:
    """The psycopg connection under a SQLAlchemy Connection (or the psycopg one itself)."""
    inner = getattr(conn, "connection", None)
    if inner is not None and hasattr(inner, "driver_connection"):
        return inner.driver_connection
    return conn


def _cursor(conn: Any) -> Any:
    raw = raw_connection(conn)
    return raw.cursor() if hasattr(raw, "cursor") else raw


def session_login(conn: Any) -> str:
    cur = _cursor(conn)
    cur.execute("SELECT session_user")
    return str(cur.fetchone()[0])


def can_create_roles(conn_or_cursor: Any) -> bool:
    cur = conn_or_cursor if hasattr(conn_or_cursor, "fetchone") else _cursor(conn_or_cursor)
    cur.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = session_user")
    row = cur.fetchone()
    return bool(row and row[0])


_IS_ADMIN = """
SELECT coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false)
    OR EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = %(admin)s
               AND pg_has_role(session_user, g.oid, 'MEMBER'))
    OR EXISTS (SELECT 1 FROM pg_tables v WHERE v.schemaname = current_schema()
               AND v.tablename = 'alembic_version' AND pg_has_role(session_user, v.tableowner, 'MEMBER'))
"""


def is_administrator(conn: Any, prefix: str | None = None) -> bool:
    cur = _cursor(conn)
    cur.execute(_IS_ADMIN, {"admin": t.group_role("admin", prefix)})
    return bool(cur.fetchone()[0])


def may_create_schema(conn: Any) -> bool:
    """An empty database: may this login create vrboard's tables in it?"""
    cur = _cursor(conn)
    cur.execute("SELECT has_schema_privilege(current_schema(), 'CREATE')")
    row = cur.fetchone()
    return bool(row and row[0])


def server_of(conn: Any) -> str:
    """``host:port/database`` of the connection, for messages."""
    info = raw_connection(conn).info
    host = info.host or "localhost"
    return f"{host}:{info.port}/{info.dbname}"
