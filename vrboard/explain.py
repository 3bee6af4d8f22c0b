"""One place that turns database and operating-system errors into plain words.

vrboard's own errors (``VrboardError``) already say what went wrong. Everything else that can
escape a command or a save - the database busy or locked, read-only, full, refused, out of
reach; a file or folder that cannot be written; a file name that is not valid text - comes
here, from the command line's last-resort handler and from the app's error handlers alike,
so that a user never reads ``OperationalError ... [SQL: INSERT ...] [parameters: ...]``.

``describe(exc)`` returns the plain message for an error it recognises and None for one it
does not (a fault in vrboard, to be reported); ``explain(exc)`` always returns a message.
No Qt here, and nothing imported that the command line would not load anyway.
"""
from __future__ import annotations

import codecs
import errno
import os
import re
from typing import Any

from .errors import VrboardError

# SQLite's primary result codes (https://www.sqlite.org/rescode.html)
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_CONSTRAINT, _SQLITE_NOTADB = 19, 26

BUSY = ("The database is busy: someone else is saving to it and did not finish in time. "
        "Nothing was saved; try again in a moment.")
READ_ONLY = ("The database cannot be written: {detail}. Nothing was saved. Ask whoever looks after "
             "the board's files (or the server) to give you write access, or open a copy you "
             "may change.")
FULL = ("The disk holding {what} is full. Nothing was saved; free some space (or ask IT to) and "
        "try again.")
PERMISSION = "Permission denied: {what} cannot be {verb} by your account. Nothing was saved."
UNREACHABLE = ("The database server {server}did not answer ({detail}). Nothing was saved; check "
               "that it is running and that this computer can reach it, then try again.")


def show_path(path: Any) -> str:
    """A file name as text that can always be printed: bytes and names that are not valid
    UTF-8 (a Linux file system allows any bytes) keep their readable parts and show the
    others as escapes, e.g. ``caf\\xe9.xlsx``."""
    if path is None:
        return ""
    name = os.fsdecode(path) if isinstance(path, bytes | os.PathLike) else str(path)
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _shown_chars(other: str) -> Any:
    """A codec error handler: bytes of a name that were not UTF-8 (lone surrogates, as
    ``os.fsdecode`` gives them) become \\xNN, like ``show_path``; any other character the
    output cannot encode becomes ``other`` ("?" or a backslash escape)."""
    def handler(err: UnicodeError) -> tuple[str, int]:
        if not isinstance(err, UnicodeEncodeError):
            raise err
        out = []
        for ch in err.object[err.start:err.end]:
            if "\udc80" <= ch <= "\udcff":
                out.append(f"\\x{ord(ch) - 0xDC00:02x}")
            elif other == "?":
                out.append("?")
            else:
                out.append(ch.encode("ascii", "backslashreplace").decode("ascii"))
        return "".join(out), err.end
    return handler


#: error handlers for the command line's streams: standard output replaces what the terminal
#: cannot show with "?", standard error with a backslash escape; both show the bytes of file
#: names that are not UTF-8 as \xNN.
OUTPUT_ERRORS, MESSAGE_ERRORS = "vrboard.replace", "vrboard.backslash"
codecs.register_error(OUTPUT_ERRORS, _shown_chars("?"))
codecs.register_error(MESSAGE_ERRORS, _shown_chars("\\"))


def explain(exc: BaseException) -> str:
    """A plain message for any error: ``describe``'s, or a generic one naming the error
    without the SQL and parameters a database error carries."""
    message = describe(exc)
    if message is not None:
        return message
    return f"unexpected error: {technical(exc)}"


def technical(exc: BaseException) -> str:
    """The error's type and first line, without SQL or parameters, always printable."""
    return f"{type(exc).__name__}: {_first_line(exc)}"


def describe(exc: BaseException) -> str | None:
    if isinstance(exc, VrboardError):
        return str(exc)
    try:
        from sqlalchemy.exc import DBAPIError, SQLAlchemyError
    except ImportError:  # pragma: no cover - SQLAlchemy is a dependency
        DBAPIError = SQLAlchemyError = ()  # type: ignore[misc,assignment]  # noqa: N806
    if isinstance(exc, DBAPIError):
        return _database(exc.orig, type(exc).__name__)
    if isinstance(exc, SQLAlchemyError):
        orig = getattr(exc, "orig", None)  # a StatementError wraps what binding a value raised
        return describe(orig) if isinstance(orig, Exception) and orig is not exc else None
    if _is_driver_error(exc):
        return _database(exc, type(exc).__name__)
    if isinstance(exc, UnicodeError):
        return _unicode(exc)
    if isinstance(exc, OSError):
        return _os(exc)
    if isinstance(exc, MemoryError):
        return ("The computer ran out of memory for this. Nothing was saved; close other "
                "programs, or work on a smaller part (one workstream, one owner), and try again.")
    return None


# --- databases -------------------------------------------------------------------------------

def _is_driver_error(exc: BaseException) -> bool:
    module = type(exc).__module__ or ""
    return module.startswith(("sqlite3", "psycopg")) and isinstance(exc, Exception)


def _database(orig: BaseException | None, kind: str) -> str | None:
    if orig is None:
        return None
    module = type(orig).__module__ or ""
    if module.startswith("sqlite3"):
        return _sqlite(orig, kind)
    if module.startswith("psycopg"):
        return _postgres(orig, kind)
    return None


def _sqlite(orig: BaseException, kind: str) -> str | None:
    text = str(orig)
    low = text.lower()
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in low \
            or "table is locked" in low:
        return BUSY
    if primary == _SQLITE_READONLY or "readonly database" in low or "read-only" in low:
        return READ_ONLY.format(detail="the file, its folder or the disk it is on is read-only")
    if primary == _SQLITE_FULL or "disk is full" in low:
        return FULL.format(what="the database")
    if primary == _SQLITE_PERM or "access permission denied" in low:
        return PERMISSION.format(what="the database file", verb="written")
    if primary == _SQLITE_CANTOPEN or "unable to open database file" in low:
        return ("The database file cannot be opened: its folder is missing, or your account may "
                "not read or write there (vrboard also writes the files '-wal' and '-shm' beside "
                "it). Nothing was saved.")
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in low \
            or "not a database" in low:
        return ("The database file is damaged or is not a vrboard database. Nothing was saved; "
                "restore the latest backup (vrboard restore) or open another file.")
    if primary == _SQLITE_IOERR or "disk i/o error" in low:
        return ("The disk holding the database reported an error while reading or writing "
                "(a removed drive, a network share that went away?). Nothing was saved.")
    if primary == _SQLITE_CONSTRAINT or kind == "IntegrityError" or "constraint failed" in low:
        return _constraint_sqlite(text)
    return None


_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)")


def _constraint_sqlite(text: str) -> str:
    m = _SQLITE_UNIQUE.search(text)
    if m:
        columns = [c.split(".", 1) for c in m.group(1).split(", ")]
        table = columns[0][0] if len(columns[0]) == 2 else ""
        names = " and ".join(c[-1].replace("_", " ") for c in columns)
        return _duplicate(table, names, "")
    low = text.lower()
    if "foreign key" in low:
        return _missing_link("")
    if "not null" in low:
        field = text.rsplit(":", 1)[-1].strip().split(".")[-1].replace("_", " ")
        return f"A required value ({field}) was left empty. Nothing was saved."
    if "check constraint" in low:
        rule = text.rsplit(":", 1)[-1].strip()
        return f"A value breaks a rule of the board's record ({rule}). Nothing was saved."
    return f"The change breaks a rule of the board's record ({_first_line_text(text)}). Nothing was saved."


def _duplicate(table: str, names: str, value: str) -> str:
    what = table.replace("_", " ") or "record"
    shown = f" {value}" if value else ""
    return (f"There is already {_a(what)} {what} with this {names}{shown}; it must be unique. "
            "Nothing was saved; choose another, or reload to see the one saved already.")


def _missing_link(table: str) -> str:
    what = f" ({table.replace('_', ' ')})" if table else ""
    return (f"The change refers to a record{what} that no longer exists, or removes one that other "
            "records still refer to; someone else may have just deleted it. Nothing was saved; "
            "reload and try again.")


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


_PG_KEY = re.compile(r"Key \(([^)]*)\)=\(([^)]*)\)")
_PG_SERVER = re.compile(r'(?:server at|host) "?([^",\s]+)"?(?:[^,]*?, port (\d+))?')


def _postgres(orig: BaseException, kind: str) -> str | None:
    state = getattr(orig, "sqlstate", None) or ""
    text = str(orig)
    diag = getattr(orig, "diag", None)
    low = text.lower()
    if state.startswith("28") or "password authentication failed" in low \
            or "no password supplied" in low or ("role" in low and "does not exist" in low):
        return ("The database server did not accept your login (user name or password). Check "
                "the address you gave vrboard, or ask the board's database administrator.")
    if state == "3D000" or ("database" in low and "does not exist" in low):
        return (f"The database server {_server(text)}has no such database. Check the address you "
                "gave vrboard.")
    if state.startswith("08") or (not state and kind in ("OperationalError", "InterfaceError")):
        return UNREACHABLE.format(server=_server(text), detail=_reason(text))
    if state in ("40001", "40P01", "55P03", "55006") or state.startswith("57P0"):
        if state.startswith("57P0"):
            return ("The database server is shutting down or restarting. Nothing was saved; try "
                    "again in a minute.")
        return BUSY
    if state == "57014":
        return ("The database took too long to answer and the request was stopped. Nothing was "
                "saved; try again, or at a quieter time.")
    if state == "25006":
        return READ_ONLY.format(detail="the server accepts only reading (a read-only replica, "
                                       "or a database set read-only)")
    if state == "42501":
        return ("The database refused: your database login may not do this. Nothing was saved. "
                "Ask the board's database administrator for the right role.")
    if state in ("53100", "53000"):
        return FULL.format(what="the database on the server")
    if state.startswith("53"):
        return ("The database server is short of resources (memory or connections). Nothing was "
                "saved; try again in a moment.")
    table = getattr(diag, "table_name", None) or ""
    if state == "23505":
        m = _PG_KEY.search(getattr(diag, "message_detail", None) or text)
        names, value = (m.group(1).replace("_", " "), m.group(2)) if m else ("value", "")
        return _duplicate(table, names, value[:80])
    if state == "23503":
        return _missing_link(table)
    if state == "23502":
        column = (getattr(diag, "column_name", None) or "a field").replace("_", " ")
        return f"A required value ({column}) was left empty. Nothing was saved."
    if state in ("23514", "23P01"):
        rule = getattr(diag, "constraint_name", None) or "a rule"
        return f"A value breaks a rule of the board's record ({rule}). Nothing was saved."
    if state.startswith("22"):
        return f"A value was refused by the database ({_first_line_text(text)}). Nothing was saved."
    return None


def _server(text: str) -> str:
    m = _PG_SERVER.search(text)
    if not m:
        return ""
    return f"{m.group(1)}{':' + m.group(2) if m.group(2) else ''} "


def _reason(text: str) -> str:
    low = text.lower()
    for needle, reason in (("connection refused", "connection refused"),
                           ("timeout", "no answer in time"), ("timed out", "no answer in time"),
                           ("could not translate host name", "unknown server name"),
                           ("name or service not known", "unknown server name"),
                           ("no route to host", "no route to the server"),
                           ("network is unreachable", "network unreachable"),
                           ("server closed the connection", "the server closed the connection"),
                           ("terminating connection", "the server ended the connection")):
        if needle in low:
            return reason
    return _first_line_text(text)


# --- files, folders and names ----------------------------------------------------------------

def _os(exc: OSError) -> str | None:
    name = show_path(exc.filename)
    if exc.filename2 is not None:
        name = f"{name} -> {show_path(exc.filename2)}"
    what = name or "a file vrboard needed"
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return FULL.format(what=what) if name else FULL.format(what="vrboard's files")
    if code == errno.EROFS:
        return f"{what} is on a read-only disk or share and cannot be written. Nothing was saved."
    if code in (errno.EACCES, errno.EPERM):
        return PERMISSION.format(what=what, verb="opened or written")
    if code == errno.ENOENT:
        return f"{what} does not exist (or its folder does not). Nothing was saved."
    if code == errno.ENOTDIR:
        return f"{what}: part of this path is a file, not a folder. Nothing was saved."
    if code == errno.EISDIR:
        return f"{what} is a folder; give a file name. Nothing was saved."
    if code == errno.EEXIST:
        return f"{what} already exists. Nothing was saved."
    if code in (errno.ENAMETOOLONG,):
        return f"The file name is too long for the disk: {what[:120]}. Nothing was saved."
    if code in (errno.EIO,):
        return (f"The disk reported an error with {what} (a removed drive, a network share that "
                "went away?). Nothing was saved.")
    if code in (errno.ECONNREFUSED, errno.ETIMEDOUT, errno.EHOSTUNREACH, errno.ENETUNREACH):
        return UNREACHABLE.format(server="", detail=os.strerror(code).lower())
    if code in (errno.EMFILE, errno.ENFILE):
        return "Too many files are open on this computer. Nothing was saved; close some and retry."
    return None


def _unicode(exc: UnicodeError) -> str | None:
    obj = getattr(exc, "object", None)
    if not isinstance(obj, str):
        return None
    words = obj[:4096].replace(" -> ", "\n").splitlines() or [obj]
    bad = next((w for w in words if any("\udc80" <= ch <= "\udcff" for ch in w)), None)
    if bad is None:
        return None
    return (f"The name {show_path(bad.strip()[-200:])} is not valid text (it was made on a "
            "system using another character set), and vrboard records the names of the files it "
            "reads and writes. Nothing was saved; rename the file using plain letters and try "
            "again.")


# --- helpers ---------------------------------------------------------------------------------

_TAILS = ("[SQL:", "[parameters:", "(Background on this error")


def _first_line_text(text: str) -> str:
    """The first line of a message, without the SQL, parameters and links SQLAlchemy adds."""
    text = text[:4000]
    for tail in _TAILS:
        at = text.find(tail)
        if at >= 0:
            text = text[:at]
    lines = text.strip().splitlines()
    return (lines[0].strip() if lines else "")[:300]


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig) if orig is not None else str(exc)
    return show_path(_first_line_text(text))
