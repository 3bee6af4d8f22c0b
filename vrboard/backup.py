"""Backup and restore: the whole board in one portable, readable JSON document.

``backup(db, path)`` writes every table of the schema (gzip-compressed when the
name ends in ``.gz``); ``restore(db, path)`` loads such a file into an EMPTY
database of either kind (SQLite or PostgreSQL) in one transaction: a damaged,
foreign or mismatched file, a non-empty target or a row the database refuses
leaves the target exactly as it was. The format is described in
``docs/backup-format.md``.
"""
from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import enum
import gzip
import json
import math
import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from .errors import DatabaseError, ValidationError
from .model import Base
from .model.base import UTCDateTime
from .progress import Progress, report
from .store import Database, current_revision, describe_url, head_revision

FORMAT = "vrboard-backup"
FORMAT_VERSION = 1
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

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())


def tables() -> list[Table]:
    """Every table of the schema, parents before children (foreign-key order)."""
    return list(Base.metadata.sorted_tables)


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
    if isinstance(value, bytes | bytearray | memoryview):  # a paper's file: base64 text
        return base64.b64encode(bytes(value)).decode("ascii")
    raise DatabaseError(f"Cannot write a value of type {type(value).__name__} to a backup.")


class _Bad(Exception):
    """A value that does not suit its column; the caller adds where it is."""


def _converter(col: Column[Any]) -> Callable[[Any], Any]:
    """A function turning ``col``'s JSON form into its Python value, refusing anything out of
    place. Built once per column: a restore converts every value of every row."""
    t = col.type
    nullable = col.nullable

    def parse(fn: Callable[[str], Any], what: str) -> Callable[[Any], Any]:
        def conv(v: Any) -> Any:
            if not isinstance(v, str):
                raise _Bad(f"expected {what}, found {v!r}")
            try:
                return fn(v[:-1] + "+00:00" if v.endswith("Z") else v)
            except ValueError:
                raise _Bad(f"'{v}' is not {what}") from None
        return conv

    def utc(v: Any) -> Any:
        d = stamp(v)
        if d.tzinfo is None:
            raise _Bad(f"'{v}' has no time zone (UTC expected)")
        return d

    def local(v: Any) -> Any:
        d = stamp(v)
        if d.tzinfo is not None:
            raise _Bad(f"'{v}' should be a local time without a zone")
        return d

    def boolean(v: Any) -> Any:
        if v is True or v is False:
            return v
        raise _Bad(f"expected true or false, found {v!r}")

    def integer(v: Any) -> Any:
        if type(v) is int:
            return v
        raise _Bad(f"expected a whole number, found {v!r}")

    def number(v: Any) -> Any:
        if type(v) in (int, float):
            return float(v)
        raise _Bad(f"expected a number, found {v!r}")

    def string(v: Any) -> Any:
        if type(v) is not str:
            raise _Bad(f"expected text, found {v!r}")
        if limit is not None and len(v) > limit:
            raise _Bad(f"the text is {len(v)} characters long; at most {limit} fit")
        return v

    def binary(v: Any) -> Any:
        if type(v) is not str:
            raise _Bad(f"expected base64 text, found {v!r}")
        try:
            return base64.b64decode(v, validate=True)
        except (binascii.Error, ValueError):
            raise _Bad("the text is not valid base64") from None

    def choice(v: Any) -> Any:
        if isinstance(v, str) and v in allowed:
            return v  # the stored value; SQLAlchemy's Enum accepts it as it is
        raise _Bad(f"'{v}' is not one of {', '.join(sorted(allowed))}")

    stamp = parse(dt.datetime.fromisoformat, "a date and time")
    limit = getattr(t, "length", None)
    allowed: frozenset[str] = frozenset()
    fn: Callable[[Any], Any]
    if isinstance(t, Enum):
        allowed = frozenset(m.value for m in t.enum_class) if t.enum_class else frozenset(t.enums)
        fn = choice
    elif isinstance(t, UTCDateTime):
        fn = utc
    elif isinstance(t, DateTime):
        fn = local
    elif isinstance(t, Date):
        fn = parse(dt.date.fromisoformat, "a date (yyyy-mm-dd)")
    elif isinstance(t, Boolean):
        fn = boolean
    elif isinstance(t, Integer):
        fn = integer
    elif isinstance(t, Float):
        fn = number
    elif isinstance(t, String):
        fn = string
    elif isinstance(t, LargeBinary):
        fn = binary
    else:  # pragma: no cover - every column type of the schema is handled above
        raise DatabaseError(f"Column {col.table.name}.{col.name} has a type backups do not know.")

    def convert(v: Any) -> Any:
        if v is None:
            if nullable:
                return None
            raise _Bad("a value is required but the file has none")
        return fn(v)

    return convert


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

    The file appears only when complete: it is written beside the target and renamed.
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
    tmp = path.with_name(f".{path.name}.partial")
    counts: dict[str, int] = {}
    try:
        with db.engine.connect() as conn:
            _snapshot(conn)
            totals = _counts(conn)
            total = sum(totals.values())
            header = {"format": FORMAT, "format_version": FORMAT_VERSION,
                      "schema_revision": revision, "created_at": created.isoformat().replace(
                          "+00:00", "Z"), "source_database": conn.dialect.name}
            opener = gzip.open if path.name.lower().endswith(".gz") else open
            with opener(tmp, "wt", encoding="utf-8", newline="\n") as fh:
                head = json.dumps(header, ensure_ascii=False, indent=1)[:-2]
                fh.write(head + ',\n "tables": {')
                done = 0
                report(progress, 0, total, "Backing up")
                for n, table in enumerate(tables()):
                    cols = [c.name for c in table.columns]
                    fh.write(f'{"," if n else ""}\n  {json.dumps(table.name)}: {{"columns": '
                             f'{json.dumps(cols)}, "rows": [')
                    count = 0
                    for row in _rows(conn, table):
                        fh.write(("," if count else "") + "\n   "
                                 + json.dumps(row, ensure_ascii=False, allow_nan=False))
                        count += 1
                        done += 1
                        if done % CHUNK == 0:
                            report(progress, done, total, f"Backing up {table.name}")
                    fh.write("\n  ]}" if count else "]}")
                    counts[table.name] = count
                    report(progress, done, total, f"Backed up {table.name}")
                fh.write("\n }\n}\n")
            conn.rollback()
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


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


# --- restore -------------------------------------------------------------------------------


def read_backup(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load and check a backup file; refuses a damaged or foreign file with a clear message."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"There is no file {path}.", "path") from None
    except OSError as exc:
        raise ValidationError(f"Cannot read {path}: {exc.strerror or exc}.", "path") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValidationError(
                f"{path.name} is damaged: it is a gzip file that cannot be decompressed "
                f"({exc}). Nothing was restored.", "path") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValidationError(
            f"{path.name} is not a vrboard backup (it is not JSON text). Nothing was restored.",
            "path") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{path.name} is damaged or incomplete: its JSON breaks at line {exc.lineno}, column "
            f"{exc.colno} ({exc.msg}). Nothing was restored.", "path") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValidationError(
            f"{path.name} is not a vrboard backup (it has no \"format\": \"{FORMAT}\" marker). "
            "Nothing was restored.", "path")
    if doc.get("format_version") != FORMAT_VERSION:
        raise ValidationError(
            f"{path.name} uses backup format version {doc.get('format_version')!r}; this vrboard "
            f"reads version {FORMAT_VERSION}. Nothing was restored.", "path")
    head = head_revision()
    if doc.get("schema_revision") != head:
        raise ValidationError(
            f"{path.name} was written with database schema {doc.get('schema_revision')!r}; this "
            f"vrboard uses schema {head}. Restore it with the vrboard version that wrote it, "
            "or upgrade that database and back it up again. Nothing was restored.", "path")
    _check_tables(path.name, doc.get("tables"))
    return doc


def _check_tables(name: str, data: Any) -> None:
    if not isinstance(data, dict):
        raise ValidationError(f"{name} is damaged: it has no \"tables\" object. Nothing was restored.")
    known = {t.name: t for t in tables()}
    extra = sorted(set(data) - set(known))
    missing = sorted(set(known) - set(data))
    if extra or missing:
        parts = ([f"unknown tables {', '.join(extra)}"] if extra else []) + (
            [f"missing tables {', '.join(missing)}"] if missing else [])
        raise ValidationError(f"{name} does not match this schema: {'; '.join(parts)}. "
                              "Nothing was restored.")
    for tname, table in known.items():
        entry = data[tname]
        if not isinstance(entry, dict) or not isinstance(entry.get("rows"), list):
            raise ValidationError(f"{name} is damaged: table {tname} has no list of rows. "
                                  "Nothing was restored.")
        cols = entry.get("columns")
        expected = [c.name for c in table.columns]
        if not isinstance(cols, list) or sorted(map(str, cols)) != sorted(expected):
            raise ValidationError(
                f"{name} does not match this schema: table {tname} has columns {cols}, expected "
                f"{expected}. Nothing was restored.")


def _deferred_columns(order: list[Table]) -> dict[str, list[Column[Any]]]:
    """Foreign-key columns pointing at the same table or one inserted later: these are
    inserted empty and filled in by a second pass, so self references and cycles load."""
    pos = {t.name: n for n, t in enumerate(order)}
    out: dict[str, list[Column[Any]]] = {}
    for t in order:
        for fk in t.foreign_keys:
            if pos[fk.column.table.name] >= pos[t.name]:
                out.setdefault(t.name, []).append(fk.parent)
    return out


def _is_empty(conn: Connection) -> dict[str, int]:
    return {k: v for k, v in _counts(conn).items() if v}


def restore(db: Database, path: str | os.PathLike[str], progress: Progress | None = None, *,
            document: dict[str, Any] | None = None) -> RestoreResult:
    """Load a backup into ``db``, which must be migrated and empty. All or nothing.

    ``document`` is the file as ``read_backup(path)`` returned it, when the caller checked
    the file already (so a big file is not read twice)."""
    path = Path(path)
    report(progress, 0, 0, f"Reading {path.name}")
    doc = document if document is not None else read_backup(path)
    order = tables()
    deferred = _deferred_columns(order)
    prepared = {t.name: _prepare(path.name, t, doc["tables"][t.name]["rows"]) for t in order}
    total = sum(len(r) for r in prepared.values())
    counts: dict[str, int] = {}
    try:
        with db.engine.begin() as conn:
            used = _is_empty(conn)
            if used:
                listed = ", ".join(f"{k} ({v})" for k, v in sorted(used.items()))
                raise ValidationError(
                    f"The database {db.label} is not empty (it holds rows in {listed}). Restore "
                    "only into an empty database: create a new one, or a new SQLite file with "
                    "--db. Nothing was restored.")
            done = 0
            for table in order:
                rows = prepared[table.name]
                later = deferred.get(table.name, [])
                for start in range(0, len(rows), CHUNK):
                    chunk = rows[start:start + CHUNK]
                    if later:
                        chunk = [{**r, **{c.name: None for c in later}} for r in chunk]
                    if chunk:
                        conn.execute(insert(table), chunk)
                    done += len(chunk)
                    report(progress, done, total, f"Restoring {table.name}")
                counts[table.name] = len(rows)
            for table in order:
                _second_pass(conn, table, deferred.get(table.name, []), prepared[table.name])
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn, order)
            report(progress, total, total, "Saving the restored board")
    except ValidationError:
        raise
    except (DBAPIError, SQLAlchemyError) as exc:
        detail = getattr(exc, "orig", None) or exc
        raise ValidationError(
            f"{path.name} holds a row the database refuses: {str(detail).strip().splitlines()[0]}. "
            f"Nothing was restored into {describe_url(db.url)}.") from None
    return RestoreResult(path, str(doc["schema_revision"]), str(doc.get("created_at", "")), counts)


def _prepare(name: str, table: Table, rows: list[Any]) -> list[dict[str, Any]]:
    """Check and convert every row of one table before anything is written."""
    convs = [(c.name, _converter(c)) for c in table.columns]
    names = {c.name for c in table.columns}
    out = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or row.keys() != names:
            raise ValidationError(f"{name}: table {table.name}, row {n} does not have exactly the "
                                  "table's columns. Nothing was restored.")
        rec = {}
        for key, conv in convs:
            try:
                rec[key] = conv(row[key])
            except _Bad as bad:
                raise ValidationError(f"{name}: table {table.name}, row {n}, column {key}: {bad}. "
                                      "Nothing was restored.", key) from None
        out.append(rec)
    return out


def _second_pass(conn: Connection, table: Table, cols: list[Column[Any]],
                 rows: list[dict[str, Any]]) -> None:
    if not cols:
        return
    pk = list(table.primary_key.columns)
    for col in cols:
        values = [
            {**{f"pk_{k.name}": r[k.name] for k in pk}, "value": r[col.name]}
            for r in rows if r[col.name] is not None
        ]
        if not values:
            continue
        stmt = update(table).where(*[k == bindparam(f"pk_{k.name}") for k in pk]).values(
            {col.name: bindparam("value")})
        conn.execute(stmt, values)


def _reset_sequences(conn: Connection, order: list[Table]) -> None:
    """After rows arrive with their ids, move each id sequence past the largest id."""
    for table in order:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer) or pk[0].autoincrement is False:
            continue
        seq = conn.scalar(select(func.pg_get_serial_sequence(f'"{table.name}"', pk[0].name)))
        if seq is None:
            continue
        top = conn.scalar(select(func.max(pk[0])).select_from(table))
        conn.execute(select(func.setval(seq, top or 1, top is not None)))
