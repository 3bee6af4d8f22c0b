"""The value parsers take time linear in the cell's length and never fail with anything but
a plain ``CellValueError``: pathological cells (Excel allows 32,767 characters) and a
hypothesis sweep over what people and spreadsheets put in cells."""
from __future__ import annotations

import datetime as dt
import math
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vrboard.excel import values as v
from vrboard.model import RAG, ActionStatus

EXCEL_MAX = 32_767  # characters in one Excel cell

PATHOLOGICAL = [
    "1" + " " * EXCEL_MAX,                                        # the probe
    "1" + " " * 16_000 + "1" + " " * 16_000 + "x",                # cubic before: hours
    "1" + " " * 16_000 + "1" + " " * 16_000 + "2020 x",
    "mon" + " " * EXCEL_MAX + "x",
    "1" + "\u3000" * 16_000 + "1" + "\u00a0" * 16_000 + "x",      # other white space
    "1 " * 16_000 + "x",
    "1-" * 16_000 + "x",
    "31" + "." * EXCEL_MAX,
    "(" * EXCEL_MAX,
    "9" * EXCEL_MAX,
    "1." + "0" * EXCEL_MAX + "%",
    "x" * EXCEL_MAX,
]

PARSERS: list[Callable[[object], object]] = [
    v.parse_date, v.parse_percent, v.parse_status, v.parse_rag, v.parse_codes, v.text,
    lambda x: v.parse_date(x, date1904=True), lambda x: v.parse_percent(x, fractions=True),
]


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail (rather than hang) when the block runs longer than ``seconds``. Python's regular
    expression engine checks for signals, so even a backtracking match is interrupted."""
    def expired(_sig: int, _frame: object) -> None:
        raise AssertionError(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _call(parse: Callable[[object], object], value: object) -> object:
    try:
        return parse(value)
    except v.CellValueError as exc:
        message = str(exc)
        assert message and len(message) < 400, message  # a cell is never quoted whole
        return exc


@pytest.mark.parametrize("cell", PATHOLOGICAL, ids=lambda c: f"{c[:6]!r}x{len(c)}")
def test_a_pathological_cell_is_parsed_at_once(cell: str) -> None:
    # Before: "1", 16,000 spaces, "1", 16,000 spaces, "x" did not finish in hours (a 2,000
    # character version took 48 s). 3 s is generous for 8 parsers on a loaded machine.
    with deadline(3.0):
        for parse in PARSERS:
            _call(parse, cell)


def test_a_long_cell_is_named_but_not_quoted_whole() -> None:
    with pytest.raises(v.CellValueError, match=r"32,767 characters long, too long to be a date") as err:
        v.parse_date("x" * EXCEL_MAX)
    assert len(str(err.value)) < 200
    with pytest.raises(v.CellValueError, match="too long to be a percentage"):
        v.parse_percent("5" * 100)
    assert v.parse_date(" " * EXCEL_MAX + "\t") is None  # white space only is a blank cell


def test_white_space_inside_a_date_is_read_as_one_space() -> None:
    assert v.parse_date("31 \t March \u00a0 2020") == dt.date(2020, 3, 31)
    assert v.parse_date("Tuesday,   31/03/2020   09:30") == dt.date(2020, 3, 31)
    assert v.parse_date("31 / 03 / 2020") == dt.date(2020, 3, 31)


def test_numbers_too_large_for_a_float_are_refused_plainly() -> None:
    with pytest.raises(v.CellValueError, match="not a date"):
        v.parse_date(10 ** 400)
    with pytest.raises(v.CellValueError, match="outside 0-100"):
        v.parse_percent(-(10 ** 400))
    with pytest.raises(v.CellValueError, match="not a date"):
        v.parse_date(-1e308)


# --- hypothesis: any cell value, only plain refusals, results within the rules --------------

_PIECES = list("0123456789 /.-:,T\t\u00a0%") + ["st", "th", "mar", "march", "sept", "tue", "day"]
_DATEISH = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)
CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.dates(), st.datetimes(), st.text(max_size=300), _DATEISH,
    st.builds(lambda a, n, b: a + " " * n + b, _DATEISH, st.integers(0, 3000), _DATEISH),
    st.sampled_from(PATHOLOGICAL),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          database=None)
@given(CELLS)
def test_parsers_accept_or_refuse_plainly(cell: object) -> None:
    with deadline(5.0):
        d = _call(v.parse_date, cell)
        assert d is None or isinstance(d, v.CellValueError) or v.EARLIEST <= d <= v.LATEST
        p = _call(v.parse_percent, cell)
        assert p is None or isinstance(p, v.CellValueError) or (isinstance(p, int) and 0 <= p <= 100)
        s = _call(v.parse_status, cell)
        assert s is None or isinstance(s, v.CellValueError | ActionStatus)
        r = _call(v.parse_rag, cell)
        assert r is None or isinstance(r, v.CellValueError | RAG)
        codes = v.parse_codes(cell)
        assert all(c and c == c.upper() for c in codes)
        assert isinstance(v.text(cell), str)


@settings(max_examples=200, deadline=None, database=None)
@given(st.dates(min_value=v.EARLIEST, max_value=v.LATEST),
       st.sampled_from(["%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d %B %Y", "%d-%b-%y", "%Y-%m-%d",
                        "%A %d %B %Y", "%d/%m/%y"]),
       st.sampled_from(["", " ", "  \t", "\u00a0"]))
def test_a_written_date_reads_back(d: dt.date, fmt: str, pad: str) -> None:
    if fmt.endswith("%y") and not dt.date(1970, 1, 1) <= d <= dt.date(2069, 12, 31):
        return  # two-digit years mean 1970-2069
    assert v.parse_date(pad + d.strftime(fmt) + pad) == d


@settings(max_examples=200, deadline=None, database=None)
@given(st.integers(0, 100), st.sampled_from(["{}", "{}%", " {} % ", "{}.0"]))
def test_a_written_percentage_reads_back(n: int, fmt: str) -> None:
    assert v.parse_percent(fmt.format(n)) == n


def test_serials_of_every_kind_are_numbers_or_refusals() -> None:
    for x in (math.inf, -math.inf, math.nan, -1e308, 1e308, 0, -1, 2958466, 10 ** 20):
        assert isinstance(_call(v.parse_date, x), dt.date | v.CellValueError)


def test_the_dry_run_of_a_tracker_with_pathological_cells_is_quick(tmp_path: Path,
                                                                 demo_db) -> None:  # noqa: ANN001
    """The probe: a 19 KB tracker with four such cells took 1 min 49 s for a dry run."""
    from tests.excel.conftest import col, edit, export, plan_of

    src = export(demo_db, "rkaplan", tmp_path / "t.xlsx").path
    due, revised = col("due_date"), col("revised_due_date")
    bad = "1" + " " * 16_000 + "1" + " " * 16_000 + "x"
    dst = edit(src, tmp_path / "e.xlsx", {f"{due}3": bad, f"{revised}4": bad,
                                          f"{due}5": "1" + " " * EXCEL_MAX, f"{revised}6": bad})
    with deadline(20.0):
        plan = plan_of(demo_db, "rkaplan", dst)
    errors = [e.message for rp in plan.rows for e in rp.errors]
    assert any("is not a date" in m for m in errors), errors
    assert all(len(m) < 400 for m in errors)


def test_a_header_row_of_pathological_cells_is_scanned_at_once() -> None:
    """The header search reads up to 30 rows of every column: each "((((…" cell took 1.7 s."""
    from vrboard.excel.headers import find_header

    rows = [["(" * EXCEL_MAX, "[" * EXCEL_MAX, "Reference", "Status"]] * 30
    with deadline(5.0):
        match = find_header(rows)
    assert match is not None and match.columns == {"reference": 2, "status": 3}
