"""What a backup's rows must be before they enter a board: each value suits its column, each
key is unique, each link points at a row that exists, and the board's own rules hold.

``RowChecker`` converts and checks rows one by one as they stream (``convert``), and says at
the end (``finish``) what only the whole file can show: a link to a row that never came, an
action marked signed off with no sign-off behind it. Messages name the table, row number
and column; the caller adds the file's name.
"""
from __future__ import annotations

import base64
import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
)

from .errors import DatabaseError
from .model.base import UTCDateTime

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # INTEGER on PostgreSQL; SQLite takes them too


class Bad(Exception):
    """A row breaks a rule; the message says where and what (without the file name)."""


def _converter(col: Column[Any]) -> Callable[[Any], Any]:
    """A function turning ``col``'s JSON form into its Python value, refusing anything out of
    place. Built once per column: a restore converts every value of every row."""
    t = col.type
    nullable = col.nullable

    def parse(fn: Callable[[str], Any], what: str) -> Callable[[Any], Any]:
        def conv(v: Any) -> Any:
            if not isinstance(v, str):
                raise Bad(f"expected {what}, found {_show(v)}")
            if len(v) > 40:
                raise Bad(f"'{v[:40]}…' is not {what}")
            try:
                return fn(v[:-1] + "+00:00" if v.endswith("Z") else v)
            except ValueError:
                raise Bad(f"'{v}' is not {what}") from None
        return conv

    def utc(v: Any) -> Any:
        d = stamp(v)
        if d.tzinfo is None:
            raise Bad(f"'{v}' has no time zone (UTC expected)")
        return d

    def local(v: Any) -> Any:
        d = stamp(v)
        if d.tzinfo is not None:
            raise Bad(f"'{v}' should be a local time without a zone")
        return d

    def boolean(v: Any) -> Any:
        if v is True or v is False:
            return v
        raise Bad(f"expected true or false, found {_show(v)}")

    def integer(v: Any) -> Any:
        if type(v) is not int:
            raise Bad(f"expected a whole number, found {_show(v)}")
        if not low <= v <= INT_MAX:
            raise Bad(f"{v} is out of range (a whole number from {low:,} to {INT_MAX:,})")
        return v

    def number(v: Any) -> Any:
        if type(v) not in (int, float):
            raise Bad(f"expected a number, found {_show(v)}")
        f = float(v)
        if not math.isfinite(f):
            raise Bad(f"{v} is not a finite number")
        return f

    def string(v: Any) -> Any:
        if type(v) is not str:
            raise Bad(f"expected text, found {_show(v)}")
        if limit is not None and len(v) > limit:
            raise Bad(f"the text is {len(v):,} characters long; at most {limit} fit")
        if "\x00" in v:
            raise Bad("the text holds a NUL character, which no text field can hold")
        return v

    def binary(v: Any) -> Any:  # an issued document, a paper, a certificate: base64 text
        if type(v) is not str:
            raise Bad(f"expected base64 text, found {_show(v)}")
        try:
            return base64.b64decode(v, validate=True)
        except ValueError:
            raise Bad("the value is not valid base64") from None

    def choice(v: Any) -> Any:
        if isinstance(v, str) and v in allowed:
            return v  # the stored value; SQLAlchemy's Enum accepts it as it is
        raise Bad(f"{_show(v)} is not one of {', '.join(sorted(allowed))}")

    stamp = parse(dt.datetime.fromisoformat, "a date and time")
    limit = getattr(t, "length", None)
    low = 1 if col.name == "version" else INT_MIN  # optimistic-locking counters start at 1
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
            raise Bad("a value is required but the file has none")
        return fn(v)

    return convert


def _show(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:40] + "…"


class RowChecker:
    """Checks the rows of every table of ``order`` (parents first) as they arrive."""

    def __init__(self, order: list[Table]) -> None:
        self.order = order
        self.convs = {t.name: [(c.name, _converter(c)) for c in t.columns] for t in order}
        self.names = {t.name: {c.name for c in t.columns} for t in order}
        # every unique key (primary key, unique constraints) -> {value: row number}
        self.keys: dict[str, list[tuple[tuple[str, ...], dict[Any, int]]]] = {}
        for t in order:
            sets = [tuple(c.name for c in t.primary_key.columns)]
            sets += [tuple(c.name for c in con.columns) for con in t.constraints
                     if isinstance(con, UniqueConstraint)]
            sets += [tuple(c.name for c in ix.columns) for ix in t.indexes if ix.unique]
            self.keys[t.name] = [(cols, {}) for cols in dict.fromkeys(sets)]
        self.lookup = {(t, cols): seen for t, keys in self.keys.items() for cols, seen in keys}
        self.links = {t.name: [(tuple(fk.parent.name for fk in con.elements),
                                con.referred_table.name,
                                tuple(fk.column.name for fk in con.elements))
                               for con in t.foreign_key_constraints] for t in order}
        # the common case, one column pointing at one key column, without tuples
        self.single_keys = {t: [(cols[0], seen) for cols, seen in keys if len(cols) == 1]
                            for t, keys in self.keys.items()}
        self.multi_keys = {t: [(cols, seen) for cols, seen in keys if len(cols) > 1]
                           for t, keys in self.keys.items()}
        self.later: list[tuple[str, int, str, str, Any]] = []  # links to check at the end
        self.done: set[str] = set()
        self.signed_off: dict[int, str] = {}  # action id -> reference
        self.last_sign_off: dict[int, tuple[Any, int, str]] = {}  # action -> (at, id, kind)

    def convert(self, table: str, n: int, row: dict[str, Any]) -> dict[str, Any]:
        if row.keys() != self.names[table]:
            raise Bad(f"table {table}, row {n} does not have exactly the table's columns")
        rec = {}
        for key, conv in self.convs[table]:
            try:
                rec[key] = conv(row[key])
            except Bad as bad:
                raise Bad(f"table {table}, row {n}, column {key}: {bad}") from None
        self._unique(table, n, rec)
        self._linked(table, n, rec)
        self._rules(table, rec)
        return rec

    def _unique(self, table: str, n: int, rec: dict[str, Any]) -> None:
        for col, seen in self.single_keys[table]:
            value = rec[col]
            if value is not None and seen.setdefault(value, n) != n:
                raise Bad(f"table {table}, row {n}: {col} {value!r} is already used by row "
                          f"{seen[value]}; it must be unique")
        for cols, seen in self.multi_keys[table]:
            key = tuple(rec[c] for c in cols)
            if None in key:
                continue  # NULLs never clash
            first = seen.setdefault(key, n)
            if first != n:
                shown = ", ".join(f"{c} {rec[c]!r}" for c in cols)
                raise Bad(f"table {table}, row {n}: {shown} is already used by row {first}; "
                          "it must be unique")

    def _has(self, table: str, cols: tuple[str, ...], value: tuple[Any, ...]) -> bool:
        seen = self.lookup.get((table, cols))
        if seen is None:  # pragma: no cover - every link points at a key
            return True
        return (value[0] if len(value) == 1 else value) in seen

    def _linked(self, table: str, n: int, rec: dict[str, Any]) -> None:
        for cols, target, tcols in self.links[table]:
            value = tuple(rec[c] for c in cols)
            if None in value:
                continue
            if target in self.done:
                if not self._has(target, tcols, value):
                    raise Bad(self._dangling(table, n, cols, target, value))
            else:  # the same table, or one that comes later: check once all rows are in
                self.later.append((table, n, ",".join(cols), target, value))

    @staticmethod
    def _dangling(table: str, n: int, cols: tuple[str, ...], target: str,
                  value: tuple[Any, ...]) -> str:
        shown = value[0] if len(value) == 1 else value
        return (f"table {table}, row {n}, column {', '.join(cols)}: there is no {target} "
                f"{shown!r} for it to point at")

    def _rules(self, table: str, rec: dict[str, Any]) -> None:
        if table == "action" and rec.get("status") == "signed_off":
            self.signed_off[rec["id"]] = rec["reference"]
        elif table == "sign_off":
            mark = (rec["at"], rec["id"], rec["kind"])
            last = self.last_sign_off.get(rec["action_id"])
            if last is None or mark[:2] > last[:2]:
                self.last_sign_off[rec["action_id"]] = mark

    def end_table(self, table: str) -> None:
        self.done.add(table)

    def finish(self) -> None:
        """What only the whole file shows: links forward, and the board's rules."""
        targets = {t.name: t for t in self.order}
        for table, n, cols, target, value in self.later:
            tcols = next(tc for c, tg, tc in self.links[table] if ",".join(c) == cols
                         and tg == target)
            if target not in targets or not self._has(target, tcols, value):
                raise Bad(self._dangling(table, n, tuple(cols.split(",")), target, value))
        for action_id, reference in sorted(self.signed_off.items()):
            last = self.last_sign_off.get(action_id)
            if last is None:
                raise Bad(f"action {reference} is marked signed off but has no sign-off record; "
                          "an action is signed off only by a recorded sign-off")
            if last[2] != "signed_off":
                raise Bad(f"action {reference} is marked signed off but its latest sign-off "
                          "record reopens it")
