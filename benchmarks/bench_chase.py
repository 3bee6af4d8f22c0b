"""Benchmark: ``chase`` for 40 owners (10 open actions each) next to exporting their 40
tracker workbooks alone (the same ``export_for_owner`` calls, no e-mail). The difference is
the cost of the messages: bodies, MIME encoding of the workbook, writing the .eml files and
the audit entries.

    .venv/bin/python benchmarks/bench_chase.py [--owners 40] [--actions 10] [--runs 3]
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from vrboard.model import AccessRole, BoardRole, Channel, Workstream  # noqa: E402
from vrboard.seed import init_board  # noqa: E402
from vrboard.services import actions as act  # noqa: E402
from vrboard.services import board as brd  # noqa: E402
from vrboard.services.context import Actor  # noqa: E402
from vrboard.store import open_database  # noqa: E402


def build(folder: Path, owners: int, per: int) -> tuple[object, Actor, list[int]]:
    db = open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
    sec = Actor(None, "Benchmark secretariat", AccessRole.SECRETARIAT, Channel.SYSTEM, "bench")
    today = dt.date.today()
    with db.transaction() as s:
        init_board(s, "")
        me = brd.add_person(s, sec, name="Board Secretary", email="secretary@example.gov.uk",
                            login="benchsec", access_role=AccessRole.SECRETARIAT)
        brd.add_membership(s, sec, me.id, role=BoardRole.SECRETARIAT,
                           term_start=today - dt.timedelta(days=30))
        ws = list(s.scalars(select(Workstream).order_by(Workstream.position)))
        ids = []
        for n in range(owners):
            p = brd.add_person(s, sec, name=f"Owner {n + 1:02d}", email=f"owner{n + 1}@example.org")
            ids.append(p.id)
            for k in range(per):
                act.create_action(s, sec, title=f"Action {k + 1} of owner {n + 1}",
                                  workstream_id=ws[(n + k) % len(ws)].id, owner_id=p.id,
                                  due_date=today + dt.timedelta(days=k * 7 - 20))
        actor = Actor(me.id, me.name, AccessRole.SECRETARIAT, Channel.SYSTEM, "bench")
    return db, actor, ids


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--owners", type=int, default=40)
    ap.add_argument("--actions", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from vrboard.excel.export import export_for_owner
    from vrboard.services.chase import chase

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, actor, ids = build(folder, args.owners, args.actions)
        best_export = best_chase = float("inf")
        for run in range(args.runs):
            out = folder / f"export-{run}"
            out.mkdir()
            t0 = time.perf_counter()
            with db.transaction() as s:  # type: ignore[attr-defined]
                for pid in ids:
                    export_for_owner(s, actor, pid, out / f"{pid}.xlsx")
            best_export = min(best_export, time.perf_counter() - t0)
            t0 = time.perf_counter()
            with db.transaction() as s:  # type: ignore[attr-defined]
                result = chase(s, actor, folder / f"chase-{run}")
            best_chase = min(best_chase, time.perf_counter() - t0)
            assert len(result.drafted) == args.owners
        db.close()  # type: ignore[attr-defined]
    print(f"{args.owners} owners x {args.actions} actions, best of {args.runs}")
    print(f"export 40 workbooks alone: {best_export:6.2f} s")
    print(f"chase (workbooks + drafts): {best_chase:6.2f} s  ({best_chase / best_export:.2f}x)")


if __name__ == "__main__":
    main()
