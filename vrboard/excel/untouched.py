"""Finding a returned tracker's untouched rows in bulk, before the row-by-row comparison.

Most rows of a return are untouched. A row is surely untouched when each editable cell
reads as exactly vrboard's value now and no progress update is written: such a row can
hold no change and no conflict, since both need the file's value to differ from
vrboard's. The work is done a column at a time with C-level ``map`` calls, and each
distinct cell value is parsed once, by the same parsers the full comparison uses.
Anything unusual (a short row, a cell of another type, a value that does not parse, a
reference not written exactly as stored) is left to the full comparison.
"""
from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import compress, count, repeat
from operator import eq, itemgetter, not_
from typing import TYPE_CHECKING, Any

from .values import CellValueError

if TYPE_CHECKING:
    from .stamp import Exports

# Cell types whose values can key one dict safely: none of them equals a value of another
# (unlike True, 1 and 1.0, which are one key).
_KEYABLE = frozenset({str, float, dt.date, dt.datetime, type(None)})
_MISS = object()      # a cell that did not parse
_ABSENT = object()    # the value of a reference vrboard does not have


def untouched(rows: Sequence[Sequence[object]], start: int, ref_col: int, prog_col: int | None,
              columns: Sequence[tuple[int, Callable[[object], Any], int]],
              states: Mapping[str, Sequence[Any]]) -> list[Any]:
    """For each row from ``start``, vrboard's state of the action when the row is surely
    untouched, else None. ``columns``: (column, parser, position of the field in a state)."""
    data = rows[start:]
    n = len(data)
    nothing: list[Any] = [None] * n
    need = max(ref_col, -1 if prog_col is None else prog_col, *(c for c, _p, _k in columns)) + 1
    if not n or min(map(len, data)) < need:
        return nothing
    width = max(k for _c, _p, k in columns) + 1
    absent = tuple(repeat(_ABSENT, width))
    now = list(map(states.get, map(itemgetter(ref_col), data), repeat(absent, n)))
    checks: list[Any] = []
    for col, parse, k in columns:
        cells = list(map(itemgetter(col), data))
        if not set(map(type, cells)) <= _KEYABLE:
            return nothing
        known: dict[object, Any] = {}
        for x in set(cells):
            try:
                known[x] = parse(x)
            except CellValueError:
                pass
        checks.append(map(eq, map(known.get, cells, repeat(_MISS, n)), map(itemgetter(k), now)))
    if prog_col is not None:
        checks.append(map(("", None).__contains__, map(itemgetter(prog_col), data)))
    return [s if ok else None for s, ok in zip(now, map(all, zip(*checks, strict=True)), strict=True)]




def _canon_column(cells: list[object]) -> Iterable[str]:
    """``stamp.canon`` of every cell of one column, each distinct value worked out once."""
    from .stamp import canon

    if not set(map(type, cells)) <= _KEYABLE:
        return list(map(canon, cells))
    known = {x: canon(x) for x in set(cells)}
    return map(known.__getitem__, cells)


def read_only_differ(rows: Sequence[Sequence[object]], start: int, ref_col: int,
                     ro_cols: Sequence[int], exports: Exports, states: Mapping[str, Any]) -> dict[int, int]:
    """{row index: action id} for each row from ``start`` whose read-only cells no longer
    match the fingerprint exported with it (``stamp.fingerprint``).

    Done a column at a time, by C-level ``map`` calls: text cells are taken as they are (the
    export wrote them canonical, so an untouched cell already is), other columns (dates) are
    made canonical once per distinct value; the columns are joined, encoded and checksummed
    row-wise and each checksum compared with the end of the row's exported line. Only rows
    that do not match, a few, are then checked one by one with ``stamp.fingerprint`` itself,
    so the answer is exactly the row-by-row one."""
    from .stamp import fingerprint

    need = max(ref_col, *ro_cols) + 1
    data = rows[start:]
    if not data:
        return {}
    if min(map(len, data)) < need:
        data = [r if len(r) >= need else list(r) + [None] * (need - len(r)) for r in data]
    refs = list(map(itemgetter(ref_col), data))
    if set(map(type, refs)) == {str}:
        keys = list(map(str.upper, map(str.strip, refs)))
    else:
        keys = [r.strip().upper() if type(r) is str else "" for r in refs]
    head = data[0]
    columns = [map(itemgetter(c), data) if type(head[c]) is str
               else _canon_column(list(map(itemgetter(c), data))) for c in ro_cols]
    try:
        joined = list(map("\x1f".join, zip(*columns, strict=True)))
    except TypeError:  # a text column with another kind of cell: every column made canonical
        joined = list(map("\x1f".join, zip(*(_canon_column(list(map(itemgetter(c), data)))
                                               for c in ro_cols), strict=True)))
    sums = map(zlib.crc32, map(str.encode, joined))
    ends = map("\t{:08x}".format, sums)
    lines = map(exports.lines.get, keys, repeat(""))
    pick = itemgetter(*ro_cols) if len(ro_cols) > 1 else (lambda r: (r[ro_cols[0]],))
    out: dict[int, int] = {}
    for n in compress(count(), map(not_, map(str.endswith, lines, ends))):
        fp, state = exports.fingerprint(keys[n]), states.get(keys[n])
        if fp and state is not None and fp != fingerprint(pick(data[n])):
            out[start + n] = state.id
    return out
