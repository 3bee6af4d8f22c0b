"""Database driver errors that a user can do something about, in plain words.

``install(engine, label, timeouts)`` hooks SQLAlchemy's ``handle_error`` event, so every
statement and every connection attempt on that engine, whoever makes it, raises
:class:`vrboard.errors.DatabaseError` with a message naming the file or server instead of
the driver's text and SQL: the board is busy (another program holds SQLite's write lock),
the file or folder is read-only, the disk is full, the server did not answer or refused,
a statement ran past its time limit. Anything else (a unique or foreign-key refusal, a
missing table) passes through unchanged for the code that expects it.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext

from .errors import DatabaseError

NOTHING = "Nothing was changed."


def _seconds(value: float) -> str:
    return f"{value:g} second{'' if value == 1 else 's'}"


def sqlite_message(text: str, path: str) -> str | None:
    """A plain message for a SQLite error text, or None when it is not one we explain."""
    low = text.lower()
    if "database is locked" in low or "database table is locked" in low:
        return (f"The board is busy: another program is writing to {path}. Try again in a "
                f"moment (close other copies of vrboard that are saving). {NOTHING}")
    if "readonly database" in low or "read-only" in low:
        return (f"The board file {path} is read-only (or sits in a read-only folder or drive): "
                f"vrboard cannot save to it. Ask for write access, or copy it somewhere you can "
                f"write. {NOTHING}")
    if "disk is full" in low or "disk full" in low:
        return (f"The disk holding {path} is full: free some space and try again. {NOTHING}")
    if "unable to open database file" in low:
        return (f"Cannot open the board file {path}: its folder is missing or not writable "
                "(vrboard keeps small working files beside the board), or the file cannot "
                "be read. Check the folder's permissions.")
    if "disk i/o error" in low:
        return (f"The disk holding {path} reported a read or write error. Check the drive "
                f"(or network share) and try again. {NOTHING}")
    if "file is not a database" in low or "file is encrypted" in low:
        return f"{path} is not a vrboard board file (it is not a SQLite database)."
    return None


def server_message(exc: BaseException, server: str, timeouts: Any) -> str | None:
    """A plain message for a PostgreSQL (psycopg) error, or None."""
    try:
        import psycopg
        from psycopg import errors as pg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return None
    if isinstance(exc, pg.QueryCanceled):
        limit = getattr(timeouts, "statement", 0)
        within = f" within {_seconds(limit)}" if limit else ""
        return (f"The server {server} did not finish the work{within} (it may be busy, or "
                f"waiting for another user's change to finish). Try again later. {NOTHING}")
    if isinstance(exc, pg.LockNotAvailable):
        return (f"The board on {server} is busy: another user is changing the same records. "
                f"Try again in a moment. {NOTHING}")
    if isinstance(exc, pg.DiskFull):
        return f"The server {server} has run out of disk space. {NOTHING}"
    if isinstance(exc, pg.ReadOnlySqlTransaction):
        return (f"The server {server} accepts only reading (it is a read-only copy or in "
                f"recovery): nothing can be saved there. {NOTHING}")
    if isinstance(exc, psycopg.OperationalError):
        text = str(exc).strip()
        low = text.lower()
        first = text.splitlines()[0] if text else type(exc).__name__
        if "timeout" in low or "timed out" in low:
            limit = getattr(timeouts, "connect", 0)
            return (f"The server {server} did not answer within {_seconds(limit)}. Check the "
                    "address, that the server is running, and your network or VPN.")
        if "connection refused" in low:
            return (f"The server {server} refused the connection: no database server is "
                    "listening there. Check the address and port, and that the server is running.")
        if "could not translate host name" in low or "name or service not known" in low \
                or "nodename nor servname" in low:
            return f"The server name in {server} is not known. Check the address."
        if "server closed the connection" in low or "connection is lost" in low \
                or "consuming input failed" in low or "terminating connection" in low:
            return (f"The connection to the server {server} was lost. Try again; if it keeps "
                    f"happening, check the network. {NOTHING}")
        if "no space left" in low or "disk full" in low:
            return f"The server {server} has run out of disk space. {NOTHING}"
        if "password" in low or ("role" in low and "does not exist" in low) \
                or "authentication" in low or ("database" in low and "does not exist" in low):
            return None  # a refused login: pg/errors.connection_error says it (and asks again)
        if getattr(exc, "sqlstate", None) is None:  # failed before the server said anything
            return f"Cannot reach the server {server}: {first}"
    return None


def install(engine: Engine, label: str, timeouts: Any) -> None:
    """Translate the errors above for every use of ``engine``; ``label`` names the board."""
    is_sqlite = engine.dialect.name == "sqlite"

    def handle(ctx: ExceptionContext) -> None:
        exc = ctx.original_exception
        if is_sqlite:
            import sqlite3

            if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) and not \
                    isinstance(exc, sqlite3.IntegrityError):
                msg = sqlite_message(str(exc), label)
                if msg is not None:
                    raise DatabaseError(msg) from None
            return
        msg = server_message(exc, label, timeouts)
        if msg is not None:
            raise DatabaseError(msg) from None

    event.listen(engine, "handle_error", handle)
