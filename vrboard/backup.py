"""Backup and restore: the whole board in one portable, readable JSON document.

``backup(db, path)`` writes every table of the schema (gzip-compressed when the
name ends in ``.gz``) and a SHA-256 checksum of the document at its end.
``restore_to(url, path)`` builds a fresh target from such a file (a new SQLite file, or
an empty database of either kind) and ``restore(db, path)`` loads it into an open,
EMPTY database; either way in one transaction, streaming the file (``backup_read``) and
checking every row (``backup_check``): a damaged, hostile, foreign or mismatched file, a
non-empty target or a row the database refuses leaves nothing behind. The format is
described in ``docs/backup-format.md``.
"""
from __future__ import annotations

import base64
import contextlib
import datetime as dt
import enum
import functools
import gzip
import hashlib
import json
import math
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, select

from .errors import DatabaseError, ValidationError
from .model import Base
from .progress import Progress, report
from .store import Database, current_revision, head_revision

FORMAT = "vrboard-backup"
FORMAT_VERSION = 2  # 2 adds the checksum; version 1 files are still read
CHUNK = 2000


@dataclass
class BackupResult:
    path: Path
    schema_revision: str
    created_at: dt.datetime
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())


@dataclass
class RestoreResult:
    path: Path
    schema_revision: str
    created_at: str
    counts: dict[str, int] = field(default_factory=dict)
    checksum: str = ""  # the SHA-256 the file carried and matched ('' : an older backup)
    target: str = ""

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())


def tables() -> list[Table]:
    """Every table of the schema, parents before children (foreign-key order)."""
    return list(_sorted_tables())


@functools.cache
def _sorted_tables() -> tuple[Table, ...]:
    return tuple(Base.metadata.sorted_tables)


# --- values -------------------------------------------------------------------------------


def _to_json(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DatabaseError(f"The database holds a value that is not a number ({value}).")
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):  # a document, a paper, a certificate: base64
        return base64.b64encode(bytes(value)).decode("ascii")
    raise DatabaseError(f"Cannot write a value of type {type(value).__name__} to a backup.")


# --- backup --------------------------------------------------------------------------------


def _counts(conn: Connection) -> dict[str, int]:
    return {t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0) for t in tables()}


def _snapshot(conn: Connection) -> None:
    """Read every table from one consistent snapshot."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")  # pysqlite would not begin a transaction for reads
    elif conn.dialect.name == "postgresql":
        conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)


def _rows(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    pk = list(table.primary_key.columns)
    result = conn.execution_options(yield_per=CHUNK).execute(select(table).order_by(*pk))
    for row in result.mappings():
        yield {c.name: _to_json(row[c.name]) for c in table.columns}


def backup(db: Database, path: str | os.PathLike[str], progress: Progress | None = None) -> BackupResult:
    """Write the whole board to ``path`` (gzip when it ends in ``.gz``).

    The file appears only when complete: it is written beside the target as
    ``.NAME.partial`` (locked while being written) and renamed. The partial file is removed
    on every way out (an error, a cancel, Ctrl-C); one left by a killed run is removed by
    the next backup or restore in that folder.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise ValidationError(f"The folder {path.parent} does not exist.", "path")
    if path.is_dir():
        raise ValidationError(f"{path} is a folder; give the name of the backup file to write.", "path")
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    revision = head_revision()
    found = current_revision(db.engine)
    if found != revision:
        raise DatabaseError(
            f"The database {db.label} has schema {found}, not {revision}: open it with vrboard "
            "(which upgrades it) before backing it up. No backup was written.")
    clean_partials(path.parent)
    tmp = partial_path(path)
    counts: dict[str, int] = {}
    try:
        with db.engine.connect() as conn, PartialFile(tmp) as raw:
            _snapshot(conn)
            totals = _counts(conn)
            total = sum(totals.values())
            header = {"format": FORMAT, "format_version": FORMAT_VERSION,
                      "schema_revision": revision, "created_at": created.isoformat().replace(
                          "+00:00", "Z"), "source_database": conn.dialect.name}
            gz = path.name.lower().endswith(".gz")
            sink: Any = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) if gz else raw
            out = _Writer(sink)
            out.write(json.dumps(header, ensure_ascii=False, indent=1)[:-2] + ',\n "tables": {')
            done = 0
            report(progress, 0, total, "Backing up")
            for n, table in enumerate(tables()):
                cols = [c.name for c in table.columns]
                out.write(f'{"," if n else ""}\n  {json.dumps(table.name)}: {{"columns": '
                          f'{json.dumps(cols)}, "rows": [')
                count = 0
                for row in _rows(conn, table):
                    out.write(("," if count else "") + "\n   "
                              + json.dumps(row, ensure_ascii=False, allow_nan=False))
                    count += 1
                    done += 1
                    if done % CHUNK == 0:
                        report(progress, done, total, f"Backing up {table.name}")
                out.write("\n  ]}" if count else "]}")
                counts[table.name] = count
                report(progress, done, total, f"Backed up {table.name}")
            out.write("\n }")
            out.flush()
            out.raw_write(f',\n "checksum": "sha256:{out.hash.hexdigest()}"\n}}\n'.encode())
            if gz:
                sink.close()
            conn.rollback()
            raw.flush()
            os.fsync(raw.fileno())
        report(progress, done, total, "Backup written")
        tmp.replace(path)
    except OSError as exc:
        _remove(tmp)
        raise ValidationError(f"Cannot write {path}: {exc.strerror or exc}. No backup was written.",
                              "path") from None
    except BaseException:
        _remove(tmp)
        raise
    return BackupResult(path, revision, created, counts)


class _Writer:
    """Buffers the document's text, hashes its UTF-8 bytes for the checksum, writes them."""

    def __init__(self, sink: Any) -> None:
        self.sink = sink
        self.hash = hashlib.sha256()
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size > 1 << 18:
            self.flush()

    def flush(self) -> None:
        data = "".join(self.parts).encode("utf-8")
        self.parts.clear()
        self.size = 0
        self.hash.update(data)
        self.sink.write(data)

    def raw_write(self, data: bytes) -> None:
        self.sink.write(data)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


# --- partial files ------------------------------------------------------------------------


def partial_path(path: Path) -> Path:
    """Where ``path`` is built before it is renamed into place."""
    return path.with_name(f".{path.name}.partial")


class PartialFile:
    """A new ``.NAME.partial`` file, opened for writing and locked (POSIX ``flock``) for as
    long as it is open, so ``clean_partials`` can tell a live one from one a killed run left."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh: Any = None

    def __enter__(self) -> Any:
        _remove(self.path)
        self.fh = open(self.path, "xb", buffering=1 << 20)  # noqa: SIM115
        _lock(self.fh.fileno())
        return self.fh

    def __exit__(self, *exc: object) -> None:
        self.fh.close()


class PartialLock:
    """Holds the lock on a partial file something else writes (a SQLite file being built)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1

    def __enter__(self) -> PartialLock:
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        _lock(self.fd)
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: the age of the file decides instead
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


_SIGNATURES = (b"\x1f\x8b", b'{\n "format": "vrboard-backup"', b"SQLite format 3\x00")
STALE_AFTER = 24 * 3600  # seconds; used only where files cannot be locked


def clean_partials(folder: Path) -> list[Path]:
    """Remove the ``.NAME.partial`` files (and SQLite's ``-wal``/``-shm`` beside them) that a
    killed backup or restore left in ``folder``: ones nobody holds locked and that hold
    nothing but the start of a vrboard backup or board. Returns what was removed."""
    removed: list[Path] = []
    try:
        candidates = [p for p in folder.iterdir()
                      if p.name.startswith(".") and p.name.endswith(".partial") and p.is_file()]
    except OSError:
        return removed
    for p in candidates:
        try:
            with open(p, "rb") as fh:
                head = fh.read(40)
                if head and not head.startswith(_SIGNATURES):
                    continue  # somebody else's file
                if not _unlocked(fh.fileno(), p):
                    continue  # a backup or restore is writing it now
        except OSError:
            continue
        for extra in (p, Path(f"{p}-wal"), Path(f"{p}-shm"), Path(f"{p}-journal")):
            if extra.exists():
                _remove(extra)
        removed.append(p)
    return removed


def _unlocked(fd: int, path: Path) -> bool:
    try:
        import fcntl
    except ImportError:
        return time.time() - path.stat().st_mtime > STALE_AFTER
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


# --- restore (vrboard/backup_load.py) ------------------------------------------------------


def read_backup(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The whole backup as one checked JSON document (for tools and tests: it holds the file
    in memory; ``restore`` streams instead)."""
    from .backup_load import read_backup as read

    return read(path)


def restore(db: Database, path: str | os.PathLike[str], progress: Progress | None = None, *,
            max_bytes: int | None = None) -> RestoreResult:
    """Load a backup into ``db``, which must be empty: all or nothing, in one transaction."""
    from .backup_load import restore_into

    return restore_into(db, path, progress, max_bytes=max_bytes)


def restore_to(url: str | None, path: str | os.PathLike[str], progress: Progress | None = None,
               *, max_bytes: int | None = None, authorise: Any = None) -> RestoreResult:
    """Restore into a fresh target (a new SQLite file, or an empty database), built so that
    a refusal leaves nothing behind: see ``backup_load.restore_to``. ``authorise(conn, url)``
    decides whether the person restoring may (``services.access.restore_authoriser``)."""
    from .backup_load import restore_to as to

    return to(url, path, progress, max_bytes=max_bytes, authorise=authorise)
