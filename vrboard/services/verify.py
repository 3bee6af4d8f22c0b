"""``vrboard verify``: does the record prove itself?

1. The chain: every audit entry, oldest first, still hashes to its ``entry_hash`` and follows
   the entry before it (``chain``; docs/audit-chain.md).
2. The state: replaying the trail gives every audited row's fields; each row in the database
   must have the entry that created it, each field must hold the last value the trail gave
   it, and a row the trail says exists must exist. Anything else was changed outside vrboard.
3. Documents: a checker for issued documents and signed minutes plugs in (``DocumentChecker``);
   by default ``vrboard.services.documents.check_documents`` when that module exists.

Reads run on the driver directly (millions of entries), in one transaction, so the chain
and the tables are seen at the same moment.
"""
from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..model import AuditEntry, Base
from ..progress import Progress, report
from . import audit, chain
from .context import Actor, Perm, require

FETCH = 5000
#: (counts by kind, e.g. {"issued documents": 12, "signed minutes": 2}; findings, as
#: ``Finding`` or plain text)
DocumentChecker = Callable[[Session, "Progress | None"], tuple[dict[str, int], list[Any]]]
DOCUMENT_KINDS = ("issued documents", "signed minutes")


@dataclass(frozen=True)
class Finding:
    """One thing that does not prove itself. ``kind``: "chain", "row" or "document"."""

    kind: str
    message: str
    entry_id: int | None = None
    table: str | None = None
    row_id: int | None = None
    field: str | None = None
    expected: str | None = None
    found: str | None = None

    def __str__(self) -> str:
        return self.message


@dataclass
class VerifyResult:
    entries: int = 0
    head: str = chain.GENESIS
    documents: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DOCUMENT_KINDS, 0))
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def summary(self) -> str:
        """"Verified 7,203 audit entries, 12 issued documents, 2 signed minutes"."""
        parts = [f"{self.entries:,} audit {'entry' if self.entries == 1 else 'entries'}"]
        singular = {"issued documents": "issued document", "signed minutes": "signed minute"}
        parts += [f"{n:,} {kind if n != 1 else singular.get(kind, kind)}"
                  for kind, n in self.documents.items()]
        return "Verified " + ", ".join(parts)


def verify(session: Session, actor: Actor, *, progress: Progress | None = None,
           documents: DocumentChecker | None = None) -> VerifyResult:
    """Check the chain, then the current state against it, then the documents. Writes
    nothing. ``progress`` may raise ``Cancelled``."""
    require(actor, Perm.READ)
    conn = _one_snapshot(session)
    total = conn.exec_driver_sql("SELECT count(*) FROM audit_entry").scalar() or 0
    result = VerifyResult(entries=total)
    state = _Replay()
    result.head = _walk(session, total, state, result.findings, progress)
    report(progress, total, total, "Comparing the record with the audit trail")
    result.findings += _compare(session, state, lambda name: report(
        progress, total, total, f"Comparing the record with the audit trail: {name}"))
    checker = documents or _default_document_checker()
    if checker is not None:
        counts, found = checker(session, progress)
        result.documents.update(counts)
        result.findings += [f if isinstance(f, Finding) else Finding("document", str(f)) for f in found]
    return result


def _one_snapshot(session: Session) -> Any:
    """The session's connection, reading one moment of the database from the first query to
    the last: changes saved meanwhile (the app checks while people work) are not seen halfway.
    PostgreSQL: REPEATABLE READ, when the transaction has not read yet; SQLite: a read
    transaction (pysqlite would run each SELECT on its own)."""
    tx = session.get_transaction()
    fresh = tx is None or not getattr(tx, "_connections", None)
    if fresh and session.get_bind().dialect.name == "postgresql":
        return session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    conn = session.connection()
    raw = conn.connection.dbapi_connection
    if conn.dialect.name == "sqlite" and raw is not None and not raw.in_transaction:
        conn.exec_driver_sql("BEGIN")
    return conn


def _default_document_checker() -> DocumentChecker | None:
    try:
        module = importlib.import_module(f"{__package__}.documents")
    except ModuleNotFoundError:
        return None
    return getattr(module, "check_documents", None)


# --- 1. the chain -----------------------------------------------------------------------------


def _columns() -> tuple[str, ...]:
    """id, the chain's columns, then every field any format serialises (that the table has)."""
    have = set(AuditEntry.__table__.c.keys())
    fields: list[str] = []
    for names in chain.FORMAT_FIELDS.values():
        fields += [n for n in names if n not in fields and n in have]
    return ("id", "chain_format", "prev_hash", "entry_hash", *fields)


def _stream(session: Session, sql: str) -> Iterator[Sequence[Any]]:
    """Rows of ``sql`` as the driver gives them, a chunk at a time (a server-side cursor on
    PostgreSQL, so a million entries are never all in memory)."""
    conn = session.connection()
    raw = conn.connection.dbapi_connection
    assert raw is not None
    cursor = raw.cursor(name="vrboard_verify") if conn.dialect.name == "postgresql" else raw.cursor()
    try:
        if conn.dialect.name == "postgresql":
            cursor.itersize = FETCH
        cursor.execute(sql)
        while rows := cursor.fetchmany(FETCH):
            yield from rows
    finally:
        cursor.close()


def _walk(session: Session, total: int, state: _Replay, findings: list[Finding],
          progress: Progress | None) -> str:
    cols = _columns()
    i_id, i_fmt, i_prev, i_hash = 0, 1, 2, 3
    i_at, i_entity, i_eid, i_field, i_new = (cols.index(c) for c in
                                            ("at", "entity", "entity_id", "field", "new_value"))
    hashers = {fmt: chain.row_hasher(fmt, cols) for fmt in chain.FORMAT_FIELDS}
    at_text = chain.at_text
    prev = chain.GENESIS
    prev_id: int | None = None
    fold = state.fold
    n = 0
    for row in _stream(session, f"SELECT {', '.join(cols)} FROM audit_entry ORDER BY id"):
        n += 1
        if n % 20000 == 0:
            report(progress, n, total, f"Checking audit entries: {n:,} of {total:,}")
        hasher = hashers.get(row[i_fmt])
        if hasher is None or not row[i_hash]:
            _chain_finding(findings, row, cols, "has no chain format vrboard knows: it was written outside "
                           "vrboard, or by a newer version" if row[i_fmt] is not None or row[i_hash] else
                           "has no hash: it was written outside vrboard")
        elif hasher(row, at_text(row[i_at]), row[i_prev]) != row[i_hash]:
            _chain_finding(findings, row, cols, "was changed after it was written: it no longer matches "
                           "its hash")
        elif row[i_prev] != prev:
            if prev_id is None:
                _chain_finding(findings, row, cols, "is the first entry but follows another one: the "
                               "entries before it were deleted")
            else:
                _chain_finding(findings, row, cols, f"does not follow entry #{prev_id:,} as the chain "
                               f"says it should: entries between them were deleted, or entry #{prev_id:,} "
                               "was rewritten")
        prev, prev_id = row[i_hash], row[i_id]
        fold(row[i_entity], row[i_eid], row[i_field], row[i_new])
    return prev


def _chain_finding(findings: list[Finding], row: Sequence[Any], cols: Sequence[str], what: str) -> None:
    e = dict(zip(cols, row, strict=True))
    try:
        when = chain.at_text(e["at"])[:16].replace("T", " ")
    except (TypeError, ValueError, AttributeError):
        when = str(e["at"])
    about = f"{e['entity']} {e['entity_id'] if e['entity_id'] is not None else ''}".strip()
    findings.append(Finding(
        "chain", f"Audit entry #{e['id']:,} ({when}, {e['actor_name']}, {about} {e['field']}) {what}.",
        entry_id=e["id"], table=e["entity"], row_id=e["entity_id"], field=e["field"]))


# --- 2. the state -----------------------------------------------------------------------------


class _Replay:
    """The rows of each audited table as the trail describes them: {table: {id: {field: text}}},
    which ids the trail created, and which it deleted."""

    def __init__(self) -> None:
        self.tables = {c.__tablename__ for c in audit.audited_classes()}
        self.rows: dict[str, dict[int, dict[str, str | None]]] = {t: {} for t in self.tables}
        self.created: dict[str, set[int]] = {t: set() for t in self.tables}
        self.deleted: dict[str, set[int]] = {t: set() for t in self.tables}

    def fold(self, entity: str, eid: int | None, fld: str, new: str | None) -> None:
        if eid is None or entity not in self.tables:
            return
        if fld == "created":
            try:
                values = json.loads(new or "{}")
            except ValueError:
                values = {}
            self.rows[entity][eid] = values if isinstance(values, dict) else {}
            self.created[entity].add(eid)
            self.deleted[entity].discard(eid)
        elif fld == "deleted":
            self.rows[entity].pop(eid, None)
            self.created[entity].discard(eid)
            self.deleted[entity].add(eid)
        else:
            row = self.rows[entity].get(eid)
            if row is None:
                row = self.rows[entity][eid] = {}
            row[fld] = new


def _same(a: str | None, b: str | None) -> bool:
    return (a or "") == (b or "")


def _short(value: str | None) -> str:
    if value is None or value == "":
        return "empty"
    text = value if len(value) <= 80 else value[:77] + "..."
    return "'" + text.replace("\n", " ") + "'"


def _compare(session: Session, state: _Replay, step: Callable[[str], None]) -> list[Finding]:
    out: list[Finding] = []
    for cls in audit.audited_classes():
        step(cls.__tablename__)  # also where a cancelled check stops
        out += _compare_table(session, cls, state)
    return out


def _compare_table(session: Session, cls: type[Base], state: _Replay) -> list[Finding]:
    table: Table = cls.__table__  # type: ignore[assignment]
    name = table.name
    cols = audit.audited_columns(cls)
    texts = [_texter(table.c[c], session.connection().dialect) for c in cols]
    links = _links(session, cls)
    link_fields = links.get(None, {})
    expected_rows = state.rows[name]
    created = state.created[name]
    out: list[Finding] = []
    seen: set[int] = set()
    quote = session.connection().dialect.identifier_preparer.quote
    columns = ", ".join(quote(table.c[c].name) for c in cols)
    for row in _stream(session, f"SELECT id, {columns} FROM {quote(name)} ORDER BY id"):
        rid = row[0]
        seen.add(rid)
        if rid not in created:
            values = {c: t(v) for c, t, v in zip(cols, texts, row[1:], strict=True)}
            label = audit._label(cls.__name__, values.get, rid)
            out.append(Finding("row", f"{name} {rid} ({label}) has no audit entry that created it: it was "
                               "added outside vrboard.", table=name, row_id=rid, found=label))
            continue
        expected = expected_rows.get(rid, {})
        for n, c in enumerate(cols, start=1):
            raw, want = row[n], expected.get(c)
            if raw == want or (raw is None and not want):  # text as stored: most fields
                continue
            found = texts[n - 1](raw)
            if not _same(want, found) and not _cleared_by_database(table, c, want, found, state):
                out.append(_changed(cls, rid, row, cols, texts, c, want, found))
        here = links.get(rid, {})
        for key in link_fields:
            if not _same(expected.get(key), here.get(key)):
                out.append(_changed(cls, rid, row, cols, texts, key, expected.get(key), here.get(key)))
    for rid in sorted(set(expected_rows) - seen):
        if rid in created and not _deleted_by_database(table, expected_rows[rid], state):
            label = audit._label(cls.__name__, expected_rows[rid].get, rid)
            out.append(Finding("row", f"{name} {rid} ({label}) was deleted outside vrboard: the audit trail "
                               "says it exists, the table does not hold it.", table=name, row_id=rid,
                               expected=label))
    return out


def _texter(col: Any, dialect: Any) -> Callable[[Any], str | None]:
    """A column's value as the driver gives it -> the text the audit trail records for it
    (``audit.as_text`` of the value SQLAlchemy would load)."""
    try:
        proc = col.type.dialect_impl(dialect).result_processor(dialect, None)
    except (TypeError, ValueError, LookupError, SQLAlchemyError):  # numbers on psycopg: as the driver gives
        proc = None
    as_text = audit.as_text
    if proc is None:
        return as_text
    return lambda raw: None if raw is None else as_text(proc(raw))


def _changed(cls: type[Base], rid: int, row: Sequence[Any], cols: list[str], texts: list[Any], fld: str,
             expected: str | None, found: str | None) -> Finding:
    values = {c: t(v) for c, t, v in zip(cols, texts, row[1:], strict=True)}
    label = audit._label(cls.__name__, values.get, rid)
    table = cls.__tablename__
    return Finding("row", f"{table} {rid} ({label}) was changed outside vrboard: its {fld} is "
                   f"{_short(found)}, the audit trail expects {_short(expected)}.", table=table, row_id=rid,
                   field=fld, expected=expected, found=found)


def _target(table: Table, column: str, ondelete: str) -> str | None:
    """The table ``column`` refers to, when the database acts on it (``ondelete``) by itself."""
    for fk in table.c[column].foreign_keys:
        if (fk.ondelete or "").upper() == ondelete:
            return fk.column.table.name
    return None


def _cleared_by_database(table: Table, column: str, expected: str | None, found: str | None,
                         state: _Replay) -> bool:
    """A reference the database set to NULL (ON DELETE SET NULL) when vrboard deleted the
    row it pointed at, as the trail records."""
    if found not in (None, "") or not expected or not expected.isdigit():
        return False
    target = _target(table, column, "SET NULL")
    return target is not None and int(expected) in state.deleted.get(target, set())


def _deleted_by_database(table: Table, expected: dict[str, str | None], state: _Replay) -> bool:
    """A row the database deleted (ON DELETE CASCADE) with a parent whose deletion the trail records."""
    for col in table.c:
        target = _target(table, col.key, "CASCADE")
        value = expected.get(col.key)
        if target is not None and value and value.isdigit() and int(value) in state.deleted.get(target, ()):
            return True
    return False


def _links(session: Session, cls: type[Base]) -> dict[int | None, dict[str, str]]:
    """Many-to-many links as the trail records them (an action's plans: "P1, P2"), by row id;
    the key None lists the link fields."""
    from sqlalchemy import inspect

    out: dict[int | None, dict[str, str]] = {}
    for rel in inspect(cls).relationships:
        if rel.secondary is None or rel.viewonly:
            continue
        target = rel.mapper.class_
        tt = target.__table__
        # labelled exactly as the trail labels them (a tag: "Age band: Under 18"); linked
        # tables (plans, tags) are small, so their objects are loaded whole
        labels = {o.id: audit.label_of(o) for o in session.scalars(select(target))}
        (local,) = [c for c in rel.secondary.c if c.references(cls.__table__.c.id)]
        (remote,) = [c for c in rel.secondary.c if c.references(tt.c.id)]
        grouped: dict[int, set[str]] = {}
        for a, b in session.connection().execute(select(local, remote)):
            grouped.setdefault(a, set()).add(labels.get(b, ""))
        out.setdefault(None, {})[rel.key] = ""
        for a, found in grouped.items():
            out.setdefault(a, {})[rel.key] = ", ".join(sorted(found))
    return out
