"""Value parsing: typical tracker cells and pathological ones (Excel's 32,767 characters).

Prints microseconds per cell for vrboard's parsers next to the plain library doing the
nearest same work (``datetime.strptime`` with one known format, ``float``), and the time
for the pathological cells that once took 31 s to hours each. Targets: every pathological
cell within 50 ms (linear: a full 32,767-character cell is split and joined once); typical
dates within 3x strptime (which knows the format in advance). Percentages do more than
float (text, signs, fractions, the 0-100 rule); the ratio is shown for scale.

    .venv/bin/python benchmarks/bench_values.py [--cells 50000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vrboard.excel import values as v  # noqa: E402

PATHOLOGICAL = {
    "'1' + 32,767 spaces": "1" + " " * 32_767,
    "'1', 16,000 spaces, '1', 16,000 spaces, 'x'": "1" + " " * 16_000 + "1" + " " * 16_000 + "x",
    "'1 ' x 16,000 + 'x'": "1 " * 16_000 + "x",
    "'(' x 32,767": "(" * 32_767,
    "'9' x 32,767": "9" * 32_767,
}


def timed(fn, items) -> float:  # noqa: ANN001
    start = time.perf_counter()
    for x in items:
        try:
            fn(x)
        except ValueError:
            pass
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cells", type=int, default=50_000)
    n = ap.parse_args().cells
    rng = random.Random(7)
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(3000)) for _ in range(n)]
    typed = [d.strftime("%d/%m/%Y") for d in days]
    pcts = [str(rng.randrange(101)) for _ in range(n)]

    ours = timed(v.parse_date, typed)
    plain = timed(lambda s: dt.datetime.strptime(s, "%d/%m/%Y"), typed)
    print(f"dates dd/mm/yyyy  vrboard {ours / n * 1e6:6.2f} us/cell   strptime {plain / n * 1e6:6.2f} "
          f"us/cell   ratio {ours / plain:.2f}")
    ours = timed(v.parse_percent, pcts)
    plain = timed(float, pcts)
    print(f"percentages       vrboard {ours / n * 1e6:6.2f} us/cell   float    {plain / n * 1e6:6.2f} "
          f"us/cell   ratio {ours / plain:.2f}")
    for label, cell in PATHOLOGICAL.items():
        parsers = (v.parse_date, v.parse_percent, v.parse_status, v.parse_rag)
        worst = max(timed(p, [cell]) for p in parsers)
        print(f"pathological {label:<46} slowest parser {worst * 1e3:7.3f} ms")


if __name__ == "__main__":
    main()
