"""The chained audit trail: each entry's hash covers the entry and the hash of the one before.

One serialisation, shared by the writers (``link``), ``verify`` and the migration that
chained the entries written before the chain existed, and described in
``docs/audit-chain.md`` so anyone can check the trail with their own code:

    entry_hash = hex(SHA-256(UTF-8(JSON object of the entry's fields)))

The object holds the fields that the entry's ``chain_format`` lists in ``FORMAT_FIELDS``,
plus ``chain_format`` and ``prev_hash``, keys sorted, no spaces, non-ASCII characters as
themselves (RFC 8785 canonical JSON: the values are only strings, integers and nulls).
``at`` is written ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (UTC, always six decimals). The first
entry's ``prev_hash`` is 64 zeros.

Adding a field to the serialisation is a new format: add ``FORMAT_FIELDS[n]`` (the old
fields plus the new ones), make it ``CURRENT_FORMAT``, and document it. Entries keep the
format they were written with, so older entries still verify.

Appending must not fork the chain when two people save at once: ``lock`` takes a
transaction-scoped advisory lock on PostgreSQL (held until commit or rollback) and the
write lock on SQLite before the head is read; a unique index on ``prev_hash`` refuses a
second entry after the same head whatever happens.
"""
from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # the C encoder
from typing import Any

from sqlalchemy import Connection

#: The fields each format serialises, besides ``chain_format`` and ``prev_hash``.
#: Never change a listed format: add a new one. Format 2 adds who recorded an act done for
#: someone else (the secretariat recording the chair's approval: ``recorded_by_*``).
FORMAT_FIELDS: dict[int, tuple[str, ...]] = {
    1: ("at", "actor_id", "actor_name", "channel", "source", "entity", "entity_id",
        "entity_label", "field", "old_value", "new_value"),
    2: ("at", "actor_id", "actor_name", "channel", "source", "entity", "entity_id",
        "entity_label", "field", "old_value", "new_value", "recorded_by_id", "recorded_by_name"),
}
CURRENT_FORMAT = 2
GENESIS = "0" * 64
#: pg_advisory_xact_lock key: b"vrbaudit" as a big-endian signed 64-bit integer.
ADVISORY_KEY = int.from_bytes(b"vrbaudit", "big", signed=True)

_sha256 = hashlib.sha256


def _templates(fmt: int) -> tuple[str, tuple[str, ...]]:
    keys = tuple(sorted((*FORMAT_FIELDS[fmt], "chain_format", "prev_hash")))
    return "{" + ",".join(f'"{k}":%s' for k in keys) + "}", keys


_TEMPLATES = {fmt: _templates(fmt) for fmt in FORMAT_FIELDS}


def at_text(value: Any) -> str:
    """``at`` as serialised: UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``. Takes a datetime (naive
    means UTC, as stored) or the text SQLite holds ("2026-11-29 05:26:18.123456")."""
    if isinstance(value, str):
        if len(value) == 26 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}Z"
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _json(value: Any) -> str:
    if value is None:
        return "null"
    cls = value.__class__
    if cls is str:
        return encode_basestring(value)
    if cls is int:
        return str(value)
    if isinstance(value, enum.Enum):
        return _json(value.value)
    if isinstance(value, str):
        return encode_basestring(str(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(int(value))
    raise TypeError(f"an audit entry holds a {cls.__name__}; only text, whole numbers and nulls are chained")


def canonical(values: Mapping[str, Any], prev_hash: str, fmt: int = CURRENT_FORMAT) -> bytes:
    """The bytes whose SHA-256 is the entry's hash. ``values`` maps field names to values
    (``at`` as a datetime or SQLite's text; ``channel`` as text or its enumeration)."""
    template, keys = _TEMPLATES[fmt]
    out = []
    for k in keys:
        if k == "at":
            out.append(encode_basestring(at_text(values["at"])))
        elif k == "prev_hash":
            out.append(encode_basestring(prev_hash))
        elif k == "chain_format":
            out.append(str(fmt))
        else:
            out.append(_json(values.get(k)))
    return (template % tuple(out)).encode("utf-8")


def entry_hash(values: Mapping[str, Any], prev_hash: str, fmt: int = CURRENT_FORMAT) -> str:
    return _sha256(canonical(values, prev_hash, fmt)).hexdigest()


def row_hasher(fmt: int, columns: Sequence[str]) -> Callable[[Sequence[Any], str, str], str]:
    """A fast ``f(row, at, prev_hash) -> hash`` for rows read as tuples in ``columns`` order,
    ``at`` already as ``at_text`` gives it; the same result as ``entry_hash``. ``verify`` hashes
    millions of rows, so the function is generated for the format: one expression per field,
    no loop, no lookups (a third faster than a loop over the fields)."""
    template, keys = _TEMPLATES[fmt]
    parts = []
    for k in keys:
        if k == "chain_format":
            parts.append(repr(str(fmt)))
        elif k == "at":
            parts.append("enc(at)")
        elif k == "prev_hash":
            parts.append("enc(prev)")
        elif k in columns:
            v = f"row[{columns.index(k)}]"
            parts.append(f"(enc({v}) if {v}.__class__ is str else 'null' if {v} is None else J({v}))")
        else:
            parts.append("'null'")
    source = (f"def hasher(row, at, prev):\n"
              f"    return sha((T % ({', '.join(parts)},)).encode('utf-8')).hexdigest()\n")
    namespace: dict[str, Any] = {"enc": encode_basestring, "sha": _sha256, "T": template, "J": _json}
    exec(compile(source, f"<chain format {fmt} hasher>", "exec"), namespace)  # noqa: S102 - built above
    return namespace["hasher"]  # type: ignore[no-any-return]


# --- appending ----------------------------------------------------------------------------


def lock(conn: Connection) -> None:
    """Hold the right to append until the transaction ends."""
    name = conn.dialect.name
    if name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_KEY})")
    elif name == "sqlite":
        raw = conn.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def head(conn: Connection) -> str:
    """The hash of the newest entry (64 zeros when there is none). Call after ``lock``.
    On a shared server row-level security may hide entries from this login, so the head is
    read through the server's ``vrboard_audit_chain_head()`` (pg/security.py) when it has it."""
    if conn.dialect.name == "postgresql" and conn.exec_driver_sql(
            "SELECT to_regprocedure('vrboard_audit_chain_head()') IS NOT NULL").scalar():
        found = conn.exec_driver_sql("SELECT vrboard_audit_chain_head()").scalar()
    else:
        found = conn.exec_driver_sql(
            "SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1").scalar()
    return found or GENESIS


def link(conn: Connection, rows: Sequence[MutableMapping[str, Any]]) -> None:
    """Lock the chain and give ``rows`` (about to be inserted, in this order, in this
    transaction) their ``chain_format``, ``prev_hash`` and ``entry_hash``."""
    if not rows:
        return
    lock(conn)
    prev = head(conn)
    fmt = CURRENT_FORMAT
    for row in rows:
        row["chain_format"] = fmt
        row["prev_hash"] = prev
        prev = row["entry_hash"] = entry_hash(row, prev, fmt)
