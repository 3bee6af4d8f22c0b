"""The read-only check done a column at a time (``untouched.read_only_differ``) gives exactly
the row-by-row answer (``stamp.fingerprint`` of each row against its exported line)."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as hs

from vrboard.excel.stamp import Exports, fingerprint
from vrboard.excel.untouched import read_only_differ

RO = [1, 2, 3]  # title, description, due date
CELL = hs.one_of(hs.text(max_size=6), hs.none(), hs.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
                 hs.floats(allow_nan=False, allow_infinity=False, width=32), hs.integers(-5, 5),
                 hs.sampled_from([" padded ", "a\r\nb", "True", "1"]), hs.booleans())


def _row_by_row(rows, exports, states):
    out = {}
    for i, raw in enumerate(rows):
        raw = list(raw) + [None] * (4 - len(raw))
        ref = raw[0]
        if type(ref) is not str or not ref:
            continue
        ref = ref.strip().upper()
        fp, state = exports.fingerprint(ref), states.get(ref)
        if fp and state is not None and fp != fingerprint([raw[c] for c in RO]):
            out[i] = state.id
    return out


@settings(max_examples=150, deadline=None)
@given(hs.lists(hs.tuples(hs.sampled_from(["A-1", " a-2 ", "A-3", "", "B-9"]), CELL, CELL, CELL),
                min_size=1, max_size=12),
       hs.lists(hs.tuples(CELL, CELL, CELL), min_size=3, max_size=3), hs.booleans())
def test_same_answer_as_row_by_row(rows, exported, short) -> None:
    exports = Exports()
    for n, cells in enumerate(exported, start=1):
        exports.add_line(f"A-{n}", f"{n}\tA-{n}\t1\tin_progress\tgreen\t0\t\t{fingerprint(cells)}")
    exports.add_line("B-9", "9\tB-9\t1")  # a damaged line: no fingerprint
    states = {f"A-{n}": SimpleNamespace(id=n) for n in range(1, 4)} | {"B-9": SimpleNamespace(id=9)}
    data = [list(r) for r in rows]
    if short:
        data[0] = data[0][:2]  # a short row
    assert read_only_differ(data, 0, 0, RO, exports, states) == _row_by_row(data, exports, states)


def test_untouched_rows_match_and_edited_ones_do_not() -> None:
    exports = Exports()
    cells = ["Title", "Some text", dt.date(2026, 3, 31)]
    exports.add_line("A-1", f"1\tA-1\t1\tin_progress\tgreen\t0\t\t{fingerprint(cells)}")
    exports.add_line("A-2", f"2\tA-2\t1\tin_progress\tgreen\t0\t\t{fingerprint(cells)}")
    states = {"A-1": SimpleNamespace(id=1), "A-2": SimpleNamespace(id=2)}
    rows = [["hdr"], ["A-1", "Title", "Some text", dt.datetime(2026, 3, 31)],
            ["a-2", "Title", "Typed over", dt.date(2026, 3, 31)]]
    assert read_only_differ(rows, 1, 0, RO, exports, states) == {2: 2}
