"""Restoring a backup: stream the file into a database in ONE transaction, all or nothing.

``restore_to(url, path)`` is what the command line and the app use. A new SQLite file is
built beside its final name as ``.NAME.partial`` and renamed into place only when the
restore succeeded; an existing empty database (a PostgreSQL database made for it, an empty
file) gets its schema and its rows in the same transaction, so a refusal leaves it exactly
as empty as it was. ``restore_into(db, path)`` loads into a database already open and
migrated (it must be empty).

Rows are checked as they stream (``backup_check``) and inserted in batches of ``CHUNK``;
memory holds one batch, the keys seen so far (for unique keys and links; about a hundred
bytes a row) and the few forward links filled in by a second pass.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Integer, Table, bindparam, func, insert, select, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from .backup import (
    CHUNK,
    PartialLock,
    RestoreResult,
    _counts,
    clean_partials,
    partial_path,
    tables,
)
from .backup_check import Bad, RowChecker
from .backup_read import Refused, read_stream
from .errors import ValidationError
from .progress import Progress, report
from .store import (
    Database,
    Timeouts,
    describe_url,
    make_engine,
    resolve_url,
    schema_head,
    schema_transaction,
    sqlite_file,
    upgrade_schema,
)


def restore_into(db: Database, path: str | os.PathLike[str], progress: Progress | None = None,
                 *, max_bytes: int | None = None) -> RestoreResult:
    """Load a backup into the open database ``db`` (migrated, and empty)."""
    path = _source(path)
    with schema_transaction(db.engine) as conn:
        return _load(conn, db.url, db.label, path, progress, max_bytes)


def restore_to(url: str | None, path: str | os.PathLike[str], progress: Progress | None = None,
               *, max_bytes: int | None = None,
               authorise: Callable[[Connection, str], None] | None = None) -> RestoreResult:
    """Restore into a fresh target, leaving nothing behind when anything is refused.
    ``authorise(conn, url)`` is asked, inside the load's transaction once the rows are in,
    whether the person restoring may: a refusal (PermissionDenied) leaves nothing either."""
    path = _source(path)
    full = resolve_url(url, create_folder=True)
    target = sqlite_file(full)
    timeouts = Timeouts.for_purpose("bulk")
    if target is not None and not target.exists():
        return _into_new_file(full, target, path, progress, max_bytes, timeouts, authorise)
    if target is not None and target.is_dir():
        raise ValidationError(f"{target} is a folder; give the name of a new board file.")
    engine = make_engine(full, timeouts)
    label = str(target) if target is not None else describe_url(full)
    try:
        with schema_transaction(engine) as conn:
            upgrade_schema(conn, full)  # an empty database gets its schema in this transaction
            if authorise is not None and target is None:
                authorise(conn, full)  # a server: its login decides, before anything is read
            result = _load(conn, full, label, path, progress, max_bytes)
            if authorise is not None and target is not None:
                authorise(conn, full)  # an empty file: the board just read says who may
            return result
    finally:
        engine.dispose()


def _source(path: str | os.PathLike[str]) -> Path:
    path = Path(path)
    if not path.exists():
        raise ValidationError(f"There is no file {path}.", "path")
    if path.is_dir():
        raise ValidationError(f"{path} is a folder, not a backup file.", "path")
    return path


def _into_new_file(url: str, target: Path, path: Path, progress: Progress | None,
                   max_bytes: int | None, timeouts: Timeouts,
                   authorise: Callable[[Connection, str], None] | None = None) -> RestoreResult:
    folder = target.parent
    if not folder.is_dir():
        raise ValidationError(f"The folder {folder} does not exist.", "path")
    clean_partials(folder)
    tmp = partial_path(target)
    tmp_url = f"sqlite:///{tmp}"
    engine = None
    try:
        with PartialLock(tmp):
            engine = make_engine(tmp_url, timeouts)
            with schema_transaction(engine) as conn:
                upgrade_schema(conn, tmp_url)
                result = _load(conn, url, str(target), path, progress, max_bytes)
                if authorise is not None:
                    authorise(conn, url)  # a file: the board just read says who its secretariat is
            engine.dispose()
            engine = None
            _publish(tmp, target)
    except FileExistsError:
        _remove_sqlite(tmp)
        raise ValidationError(f"{target} appeared while the backup was restored; nothing was "
                              "written over it. Choose a new file name.") from None
    except BaseException:
        if engine is not None:
            engine.dispose()
        _remove_sqlite(tmp)
        raise
    return result


def _publish(tmp: Path, target: Path) -> None:
    """Give the finished file its name, never over a file that appeared meanwhile."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links (some shares): rename instead
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(tmp, target)
        return
    _remove_sqlite(tmp)


def _remove_sqlite(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            p.unlink(missing_ok=True)


# --- the load ------------------------------------------------------------------------------


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


def _require_empty(conn: Connection, label: str) -> None:
    used = {k: v for k, v in _counts(conn).items() if v}
    if used:
        listed = ", ".join(f"{k} ({v})" for k, v in sorted(used.items()))
        raise ValidationError(
            f"The database {label} is not empty (it holds rows in {listed}). Restore "
            "only into an empty database: create a new one, or a new SQLite file with "
            "--db. Nothing was restored.")


class _Loader:
    """Takes the pieces of the stream, checks them and inserts them in batches."""

    def __init__(self, conn: Connection, name: str, progress: Progress | None) -> None:
        self.conn = conn
        self.name = name
        self.progress = progress
        self.order = tables()
        self.by_name = {t.name: t for t in self.order}
        self.deferred = _deferred_columns(self.order)
        self.checker = RowChecker(self.order)
        self.next = 0
        self.table: Table | None = None
        self.batch: list[dict[str, Any]] = []
        self.kept: dict[str, list[dict[str, Any]]] = {}
        self.counts: dict[str, int] = {}
        self.rows = 0

    def refuse(self, why: str) -> ValidationError:
        return ValidationError(f"{self.name} {why} Nothing was restored.")

    def start_table(self, name: str, columns: list[str]) -> None:
        expected = self.order[self.next] if self.next < len(self.order) else None
        if name not in self.by_name:
            raise self.refuse(f"does not match this schema: unknown tables {name}.")
        if expected is None or name != expected.name:
            skipped = [t.name for t in self.order[self.next:self._index(name)]]
            raise self.refuse(f"does not match this schema: missing tables {', '.join(skipped)} "
                              f"before {name} (tables come in the schema's order).")
        want = [c.name for c in expected.columns]
        if sorted(map(str, columns)) != sorted(want):
            raise self.refuse(f"does not match this schema: table {name} has columns {columns}, "
                              f"expected {want}.")
        self.table = expected
        self.next += 1
        self.counts[name] = 0

    def _index(self, name: str) -> int:
        return next(n for n, t in enumerate(self.order) if t.name == name)

    def row(self, number: int, values: dict[str, Any], position: int, size: int) -> None:
        assert self.table is not None
        table = self.table
        rec = self.checker.convert(table.name, number, values)
        later = self.deferred.get(table.name)
        if later:
            keep = {c.name: rec[c.name] for c in table.primary_key.columns}
            keep.update({c.name: rec[c.name] for c in later})
            self.kept.setdefault(table.name, []).append(keep)
            rec = {**rec, **{c.name: None for c in later}}
        self.batch.append(rec)
        self.counts[table.name] += 1
        self.rows += 1
        if len(self.batch) >= CHUNK:
            self.flush()
            report(self.progress, position, size, f"Restoring {table.name}")

    def flush(self) -> None:
        if self.batch and self.table is not None:
            self.conn.execute(insert(self.table), self.batch)
        self.batch = []

    def end_table(self, position: int, size: int) -> None:
        assert self.table is not None
        self.flush()
        self.checker.end_table(self.table.name)
        report(self.progress, position, size, f"Restored {self.table.name}")
        self.table = None

    def finish(self) -> None:
        if self.next < len(self.order):
            missing = [t.name for t in self.order[self.next:]]
            raise self.refuse(f"does not match this schema: missing tables {', '.join(missing)}.")
        self.checker.finish()
        for table in self.order:
            _second_pass(self.conn, table, self.deferred.get(table.name, []),
                         self.kept.get(table.name, []))
        if self.conn.dialect.name == "postgresql":
            _reset_sequences(self.conn, self.order)


def _load(conn: Connection, url: str, label: str, path: Path, progress: Progress | None,
          max_bytes: int | None) -> RestoreResult:
    """Inside the caller's transaction: stream ``path`` into the empty database on ``conn``."""
    _require_empty(conn, label)
    name = path.name
    report(progress, 0, 0, f"Reading {name}")
    loader = _Loader(conn, name, progress)
    inputs: list[Any] = []
    header: dict[str, Any] = {}
    checksum = ""
    try:
        for piece in read_stream(path, max_bytes=max_bytes, inp_out=inputs):
            inp = inputs[0]
            if piece.kind == "row":
                loader.row(piece.number, piece.values, inp.position(), inp.size)
            elif piece.kind == "table":
                loader.start_table(piece.table, piece.values)
            elif piece.kind == "end_table":
                loader.end_table(inp.position(), inp.size)
            elif piece.kind == "header":
                header = piece.values
                _check_revision(name, header)
            elif piece.kind == "end":
                checksum = piece.values["checksum"]
        loader.finish()
        size = inputs[0].size if inputs else 0
        report(progress, size, size, "Saving the restored board")
    except Bad as bad:
        raise ValidationError(f"{name}: {bad}. Nothing was restored.") from None
    except (ValidationError, Refused):
        raise
    except (DBAPIError, SQLAlchemyError) as exc:
        detail = getattr(exc, "orig", None) or exc
        raise ValidationError(
            f"{name} holds a row the database refuses: {str(detail).strip().splitlines()[0]}. "
            f"Nothing was restored into {label}.") from None
    return RestoreResult(path, str(header.get("schema_revision")),
                         str(header.get("created_at", "")), loader.counts, checksum=checksum,
                         target=label)


def _check_revision(name: str, header: dict[str, Any]) -> None:
    head = schema_head()
    if header.get("schema_revision") != head:
        raise ValidationError(
            f"{name} was written with database schema {header.get('schema_revision')!r}; this "
            f"vrboard uses schema {head}. Restore it with the vrboard version that wrote it, "
            "or upgrade that database and back it up again. Nothing was restored.", "path")


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


# --- the whole document, for tools and tests -----------------------------------------------


def read_backup(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and check a backup into one JSON document (held in memory), without a database:
    the same checks as a restore, short of the database's own."""
    path = _source(path)
    checker = RowChecker(tables())
    doc: dict[str, Any] = {}
    tables_out: dict[str, Any] = {}
    order = iter(tables())
    try:
        for piece in read_stream(path):
            if piece.kind == "header":
                _check_revision(path.name, piece.values)
                doc.update(piece.values)
            elif piece.kind == "table":
                expected = next(order, None)
                if expected is None or expected.name != piece.table:
                    raise ValidationError(f"{path.name} does not match this schema at table "
                                          f"{piece.table}. Nothing was restored.")
                tables_out[piece.table] = {"columns": piece.values, "rows": []}
            elif piece.kind == "row":
                checker.convert(piece.table, piece.number, piece.values)
                tables_out[piece.table]["rows"].append(piece.values)
            elif piece.kind == "end_table":
                checker.end_table(piece.table)
            elif piece.kind == "end" and piece.values["checksum"]:
                doc["checksum"] = "sha256:" + piece.values["checksum"]
        if next(order, None) is not None:
            raise ValidationError(f"{path.name} does not match this schema: missing tables. "
                                  "Nothing was restored.")
        checker.finish()
    except Bad as bad:
        raise ValidationError(f"{path.name}: {bad}. Nothing was restored.") from None
    doc["tables"] = tables_out
    if "checksum" in doc:
        doc["checksum"] = doc.pop("checksum")  # last, as in the file
    return doc
