"""Benchmark: the board pack for a meeting with 500 open actions across the eight
workstreams, ten indicators and twelve agenda items.

Prints the whole pack's time, pages and peak memory next to the time reportlab takes to
lay out the bare action table alone (the same 500 rows, same cells and widths, in
100-row tables, no other sections, no page furniture). Target: pack within 2x the table.

    .venv/bin/python benchmarks/bench_pack.py [--actions 500] [--runs 3]
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from vrboard.demo_papers import make_paper  # noqa: E402
from vrboard.model import (  # noqa: E402
    RAG,
    AccessRole,
    BoardRole,
    Channel,
    Classification,
    MeetingStatus,
    Workstream,
)
from vrboard.seed import init_board  # noqa: E402
from vrboard.services import actions as act  # noqa: E402
from vrboard.services import board as brd  # noqa: E402
from vrboard.services import indicators as ind  # noqa: E402
from vrboard.services import meetings as mtg  # noqa: E402
from vrboard.services import papers as pap  # noqa: E402
from vrboard.services.context import SYSTEM, Actor  # noqa: E402
from vrboard.store import Database, open_database  # noqa: E402

UPDATES = ["Scoping completed and partners identified; project plan agreed with the lead officer.",
           "Delivery under way; early feedback positive from schools and youth services.",
           "Slipped by two weeks because of staff vacancies; recovery plan in place.",
           "Awaiting data from a partner agency before the next step can be taken."]


def build_database(path: Path, n_actions: int) -> tuple[Database, int]:
    db = open_database(f"sqlite:///{path}")
    today = dt.date.today()
    with db.transaction() as s:
        init_board(s, "bench")
        sys_actor = SYSTEM.via(Channel.SYSTEM, "benchmark")
        people = []
        for n, name in enumerate(["Cllr Zoë Adeyemi", "Cllr Łukasz Nowak", "Nguyễn Thị Mai",
                                  "Tom Fletcher", "Maria Santos", "Owen Price"]):
            p = brd.add_person(s, sys_actor, name=name, job_title="Officer", login=f"u{n}",
                               access_role=AccessRole.CHAIR if n == 0 else AccessRole.OWNER)
            people.append(p)
            brd.add_membership(s, sys_actor, p.id, role=BoardRole.CHAIR if n == 0 else BoardRole.MEMBER,
                               term_start=today - dt.timedelta(days=400))
        sec = Actor(None, "Benchmark secretariat", AccessRole.SECRETARIAT, Channel.SYSTEM, "benchmark")
        ws = list(s.scalars(select(Workstream).order_by(Workstream.position)))
        prev = mtg.create_meeting(s, sec, dt.datetime.combine(today - dt.timedelta(days=60), dt.time(14)),
                                  venue="Committee Room 1", status=MeetingStatus.HELD)
        meeting = mtg.create_meeting(s, sec, dt.datetime.combine(today + dt.timedelta(days=10), dt.time(14)),
                                     venue="Committee Room 2")
        for m in (prev, meeting):
            for n in range(11):
                item = mtg.add_item(s, sec, m.id, title=f"Report {n + 1}: workstream progress and risks",
                                    presenter="Lead officer", minutes_allotted=10,
                                    workstream_id=ws[n % 8].id)
                pap.attach_paper_data(s, sec, item.id, f"Report {n + 1}", f"item-{n + 1}.pdf",
                                      make_paper(f"Report {n + 1}", 2))
            mtg.add_item(s, sec, m.id, title="Case review themes", part=2, exempt_paragraph=1,
                         classification=Classification.OFFICIAL_SENSITIVE, presenter="Head of service")
            for item in m.items:
                if m is prev:
                    mtg.save_minute(s, sec, item.id, "The board discussed the report.",
                                    ["The board NOTED the report."])
        for n in range(n_actions):
            w = ws[n % 8]
            a = act.create_action(
                s, sec, title=f"Action {n + 1} for {w.name.lower()}: deliver the agreed milestone "
                              "with partners and report back to the board",
                workstream_id=w.id, owner_id=people[n % len(people)].id,
                raised_meeting_id=prev.id if n % 16 == 0 else None,
                start_date=today - dt.timedelta(days=120), due_date=today + dt.timedelta(days=(n % 90) - 30))
            for k in range(1 + n % 2):
                act.add_progress(s, sec, a.id, UPDATES[(n + k) % 4], percent=10 + (n * 7 + k * 20) % 80,
                                 rag=list(RAG)[(n + k) % 3], on_date=today - dt.timedelta(days=50 - 20 * k))
        for n in range(10):
            i = ind.add_indicator(s, sec, code=f"PF{n + 1:02d}", name=f"Indicator {n + 1}",
                                  unit="offences", higher_is_better=n % 2 == 0, target=50.0 + n)
            for q, period in enumerate(["2024/25 Q3", "2024/25 Q4", "2025/26 Q1", "2025/26 Q2",
                                        "2025/26 Q3", "2025/26 Q4"]):
                ind.set_value(s, sec, i.id, period, 40.0 + n + q * (1 if n % 2 == 0 else -1) * 2)
        meeting_id = meeting.id
    return db, meeting_id


def bare_table_seconds(db: Database, meeting_id: int, chunk: int) -> tuple[float, int]:
    """reportlab alone: the pack's open-action rows as one bare table (chunked), no furniture."""
    from reportlab.platypus import SimpleDocTemplate

    from vrboard.pdf.page import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE
    from vrboard.pdf.sections.actions import open_table
    from vrboard.services.pack_data import pack_data

    with db.session() as s:
        rows = tuple(a for w in pack_data(s, meeting_id).open_by_workstream for a in w.actions)
    import vrboard.pdf.tables as tables

    old, tables.CHUNK = tables.CHUNK, chunk
    try:
        start = time.perf_counter()
        story = open_table(rows)
        buf = io.BytesIO()
        doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                                topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM)
        doc.build(story)
        return time.perf_counter() - start, doc.page
    finally:
        tables.CHUNK = old


def pack_seconds(db: Database, meeting_id: int, out: Path) -> tuple[float, int]:
    from vrboard.pdf import build_board_pack

    start = time.perf_counter()
    with db.session() as s:
        result = build_board_pack(s, meeting_id, out)
    return time.perf_counter() - start, result.pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actions", type=int, default=500)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", metavar="PACK.pdf", help="also save the benchmark's pack here, to look at")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        db, meeting_id = build_database(Path(tmp) / "bench.sqlite3", args.actions)
        print(f"set-up (not timed below): {args.actions} open actions, 10 indicators, 12 agenda "
              f"items in {time.perf_counter() - t0:.1f} s")
        out = Path(tmp) / "pack.pdf"
        pack_seconds(db, meeting_id, out)  # warm-up: imports, font registration
        bare_table_seconds(db, meeting_id, 100)
        packs, tables = [], []
        for _ in range(args.runs):  # interleaved, so a busy machine slows both alike
            packs.append(pack_seconds(db, meeting_id, out))
            tables.append(bare_table_seconds(db, meeting_id, 100))
        single = bare_table_seconds(db, meeting_id, 10**9)
        tracemalloc.start()
        pack_seconds(db, meeting_id, out)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        pack_t, pages = min(packs)
        table_t, table_pages = min(tables)
        print(f"whole pack:            {pack_t:6.2f} s  {pages} pages  "
              f"({pages / pack_t:.0f} pages/s), peak Python memory {peak / 2**20:.1f} MB")
        print(f"bare action table:     {table_t:6.2f} s  {table_pages} pages  (reportlab alone, "
              "100-row tables)")
        print(f"  same, one big table: {single[0]:6.2f} s  {single[1]} pages  (for reference)")
        ratio = pack_t / table_t
        print(f"ratio pack / bare table: {ratio:.2f}x  (target <= 2x: {'met' if ratio <= 2 else 'NOT met'})")
        print(f"best of {args.runs} runs each; Python {sys.version.split()[0]}")
        if args.keep:
            shutil.copyfile(out, args.keep)
            print(f"pack saved to {args.keep}")
        db.close()


if __name__ == "__main__":
    main()
